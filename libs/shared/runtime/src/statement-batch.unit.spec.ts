import { inlineSql, StatementBatch } from './statement-batch';

describe('inlineSql: parameters as literals, as pg would bind them', () => {
  it('quotes strings (doubling quotes, escaping backslashes), and writes NULL for null and undefined', () => {
    expect(inlineSql('SELECT $1, $2, $3', ["l'an", null, undefined])).toBe(`SELECT 'l''an', NULL, NULL`);
    // pg's escapeLiteral: a backslash makes it an E'' string, led by a space.
    expect(inlineSql('SELECT $1', ['a\\b'])).toBe("SELECT  E'a\\\\b'");
  });

  it('tells $1 from $10 and gives numbers, booleans, dates, arrays and objects their text form', () => {
    const ps = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(inlineSql('$1 $10', ps)).toBe(`'1' '10'`);
    expect(inlineSql('$1 $2 $3', [true, ['a', 'b'], { k: 'v' }])).toBe(`'true' '{"a","b"}' '{"k":"v"}'`);
    expect(inlineSql('$1', [new Date('2026-12-07T00:00:00Z')])).toMatch(/^'2026-12-07T\d\d:00:00\.000[+-]\d\d:\d\d'$/);
  });

  it('writes a Buffer as bytea hex text', () => {
    expect(inlineSql('SELECT $1::bytea', [Buffer.from([0xde, 0xad])])).toBe("SELECT  E'\\\\xdead'::bytea");
  });

  it('refuses a statement that names a parameter it was not given', () => {
    expect(() => inlineSql('SELECT $2', ['only one'])).toThrow(/\$2.*1 parameter/);
  });
});

describe('StatementBatch: writes sent together, reads after them', () => {
  const target = () => {
    const sent: string[] = [];
    return {
      sent,
      query: async (sql: string) => {
        sent.push(sql);
        return [];
      },
    };
  };

  it('sends queued writes as one query, in order, only when flushed', async () => {
    const t = target();
    const batch = new StatementBatch(t);
    await batch.query('UPDATE a SET x = $1', [1]);
    await batch.query('DELETE FROM b WHERE id = $1', ['k']);
    expect(t.sent).toEqual([]);
    await batch.flush();
    await batch.flush();
    expect(t.sent).toEqual([`UPDATE a SET x = '1';\nDELETE FROM b WHERE id = 'k'`]);
  });

  it('a read through `reader` sends the queued writes before itself', async () => {
    const t = target();
    const batch = new StatementBatch(t);
    const reader = batch.reader(t);
    await batch.query('INSERT INTO a VALUES ($1)', [1]);
    await reader.query('SELECT * FROM a');
    expect(t.sent).toEqual([`INSERT INTO a VALUES ('1')`, 'SELECT * FROM a']);
    await batch.flush();
    expect(t.sent).toHaveLength(2); // the write went once, before the read
  });
});

describe('StatementBatch with a combined sender', () => {
  it('sends the queued writes and the next read as one query, and answers the read', async () => {
    const direct: string[] = [];
    const combined: string[] = [];
    const target = { query: async (sql: string, _parameters?: unknown[]) => void direct.push(sql) };
    const batch = new StatementBatch(target, async (text) => {
      combined.push(text);
      return [{ n: 1 }];
    });
    await batch.query('UPDATE t SET a = $1', [2]);
    expect(await batch.reader(target).query('SELECT n FROM t WHERE id = $1', ['x'])).toEqual([{ n: 1 }]);
    expect(combined).toEqual([`UPDATE t SET a = '2';\nSELECT n FROM t WHERE id = 'x'`]);
    await batch.reader(target).query('SELECT 1');
    expect(direct).toEqual(['SELECT 1']); // nothing queued: straight through
  });
});
