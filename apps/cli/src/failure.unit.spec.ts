import { describeFailure } from './failure';

describe('describeFailure (what `mandate: …` prints)', () => {
  it('says something in words for a rejection without a reason, never "undefined"', () => {
    expect(describeFailure(undefined)).toMatch(/gave no reason/);
    expect(describeFailure(null)).toMatch(/gave no reason/);
  });

  it("gives an error's message, a string as it is, and other values inspected", () => {
    expect(describeFailure(new Error('port 5 is used'))).toBe('port 5 is used');
    expect(describeFailure('plain words')).toBe('plain words');
    expect(describeFailure({ code: 'X' })).toBe("{ code: 'X' }");
  });

  it('reads an AggregateError by its errors and an empty message by its name and code', () => {
    const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
    expect(describeFailure(new AggregateError([refused('::1:5432'), refused('127.0.0.1:5432')]))).toBe(
      'connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432',
    );
    expect(describeFailure(Object.assign(new Error(''), { code: 'EPIPE' }))).toBe('Error EPIPE');
  });

  it('adds the cause when the message does not already say it', () => {
    expect(describeFailure(new Error('could not start', { cause: new Error('disk full') }))).toBe('could not start (because: disk full)');
    expect(describeFailure(new Error('could not start: disk full', { cause: new Error('disk full') }))).toBe('could not start: disk full');
  });
});
