import { ValidationError } from '@mandate/kernel';
import type { NextFunction, Request, Response } from 'express';
import { assertStorableText, storableTextMiddleware, unstorableTextIn } from './validation';

describe('Text PostgreSQL cannot store', () => {
  it.each([
    ['a NUL', 'Đã xong\u0000 phần 1', 'NUL'],
    ['a lone high surrogate', 'xin chào \ud83d', 'surrogate'],
    ['a lone low surrogate', '\ude00 cuối', 'surrogate'],
    ['a low surrogate before its high one', '\ude00\ud83d', 'surrogate'],
  ])('finds %s and names the field', (_, text, problem) => {
    expect(unstorableTextIn({ text }, 'body')).toEqual({ field: 'body.text', problem: expect.stringContaining(problem) });
  });

  it('looks into nested objects, arrays and keys', () => {
    expect(unstorableTextIn({ attachments: [{ name: 'a.pdf' }, { name: 'b\u0000.pdf' }] }, 'body')).toMatchObject({ field: 'body.attachments.1.name' });
    expect(unstorableTextIn({ content: { tasks: [{ result: '\ud800' }] } }, 'body')).toMatchObject({ field: 'body.content.tasks.0.result' });
    expect(unstorableTextIn({ ['k\u0000']: 1 }, 'body')).toMatchObject({ field: 'body (a key)' });
  });

  it('lets Vietnamese, emoji (surrogate pairs), control characters other than NUL and non-strings through', () => {
    expect(unstorableTextIn({ text: 'Sở Tư pháp 😀 \t\n\u0001', n: 3, b: true, nil: null, list: ['Quý II/2025'] }, 'body')).toBeNull();
    expect(unstorableTextIn(Buffer.from([0, 1, 2]), 'body')).toBeNull();
  });

  it('refuses with a 400 validation error naming the field', () => {
    expect(() => assertStorableText({ note: 'x\u0000' }, 'body')).toThrow(ValidationError);
    try {
      assertStorableText({ note: 'x\u0000' }, 'body');
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid-text', kind: 'validation', details: { field: 'body.note' } });
      expect((error as Error).message).toContain('body.note');
    }
  });

  describe('the middleware every request passes', () => {
    const run = (req: Partial<Request>) => {
      const next = jest.fn() as jest.MockedFunction<NextFunction>;
      storableTextMiddleware({ path: '/api/v1/tasks/1', query: {}, body: undefined, ...req } as Request, {} as Response, next);
      return next.mock.calls[0][0] as unknown;
    };

    it('checks the JSON body, the query and the decoded path', () => {
      expect(run({ body: { text: 'ổn' } })).toBeUndefined();
      expect(run({ body: { percent: 5, text: 'a\u0000' } })).toMatchObject({ code: 'invalid-text', details: { field: 'body.text' } });
      expect(run({ query: { q: 'x\u0000y' } })).toMatchObject({ details: { field: 'query.q' } });
      expect(run({ query: { types: ['a', '\udfff'] } })).toMatchObject({ details: { field: 'query.types.1' } });
      expect(run({ path: '/api/v1/tasks/%00' })).toMatchObject({ details: { field: 'path' } });
    });

    it('leaves raw bodies (document uploads) and malformed escapes to their owners', () => {
      expect(run({ body: Buffer.from('a\u0000b') })).toBeUndefined();
      expect(run({ path: '/api/v1/tasks/%E0%A4%A' })).toBeUndefined();
    });
  });
});
