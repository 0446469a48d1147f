import { ValidationError } from '@mandate/kernel';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint';

describe('Checkpoint', () => {
  it('pads the transaction id to 20 digits and the position to 19', () => {
    expect(encodeCheckpoint('981234', 4711n)).toBe('00000000000000981234:0000000000000004711');
  });

  it('round-trips the largest xid8 and bigint', () => {
    const checkpoint = encodeCheckpoint(18446744073709551615n, 9223372036854775807n);

    expect(checkpoint).toBe('18446744073709551615:9223372036854775807');
    expect(decodeCheckpoint(checkpoint)).toEqual({
      transactionId: '18446744073709551615',
      globalPosition: 9223372036854775807n,
    });
  });

  it('sorts as text in log order: transaction first, then position', () => {
    const inLogOrder = [encodeCheckpoint('9', 500n), encodeCheckpoint('10', 2n), encodeCheckpoint('10', 30n), encodeCheckpoint('100', 1n)];

    expect([...inLogOrder].reverse().sort()).toEqual(inLogOrder);
  });

  it.each([
    '',
    '12:34',
    '00000000000000981234-0000000000000004711',
    'x0000000000000981234:0000000000000004711',
    // Beyond xid8 / bigint: PostgreSQL refused them (a 500) before they were checked here.
    '99999999999999999999:9999999999999999999',
    '18446744073709551616:0000000000000000001',
    '00000000000000981234:9223372036854775808',
  ])('rejects %p', (text) => expect(() => decodeCheckpoint(text)).toThrow(ValidationError));
});
