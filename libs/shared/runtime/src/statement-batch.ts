import { escapeLiteral } from 'pg';

// pg's own text form of a parameter (arrays, dates, buffers, JSON), so an inlined value reads as the bound one
// would; pg ships no types for its utils.
const { prepareValue } = require('pg/lib/utils') as { prepareValue(value: unknown): unknown };

/** Where a projection writes when it needs no answer: the batch's statements, sent together. */
export type SqlWrites = { query(sql: string, parameters?: readonly unknown[]): Promise<void> };

type Queryable = { query(sql: string, parameters?: unknown[]): Promise<unknown> };

/**
 * `sql` with each `$n` replaced by its parameter as a quoted literal (NULL for null/undefined). For
 * statements the platform writes itself; never for SQL that holds `$` in its own text.
 */
export const inlineSql = (sql: string, parameters: readonly unknown[] = []): string =>
  sql.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= parameters.length) throw new Error(`Statement refers to $${n}, but has ${parameters.length} parameter(s)`);
    const value = parameters[index];
    if (value === null || value === undefined) return 'NULL';
    // bytea in its hex text form (pg would send a Buffer as binary).
    if (Buffer.isBuffer(value)) return escapeLiteral(`\\x${value.toString('hex')}`);
    return escapeLiteral(String(prepareValue(value)));
  });

/**
 * Write statements queued and sent in one round trip (one simple-protocol query, statements in
 * order) instead of one each: a consumer's batch of events costs a few round trips, not a few per
 * event. A query that needs an answer goes through `reader`, which sends what is queued first, so
 * reads see every write before them.
 */
export class StatementBatch implements SqlWrites {
  private pending: string[] = [];

  /**
   * `sendWithRead`, when given, sends the queued writes and a read in one round trip (statements of
   * one simple-protocol query) and answers the read's result as `target.query` would.
   */
  constructor(
    private readonly target: Queryable,
    private readonly sendWithRead?: (text: string) => Promise<unknown>,
  ) {}

  async query(sql: string, parameters: readonly unknown[] = []): Promise<void> {
    this.pending.push(inlineSql(sql, parameters));
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join(';\n');
    this.pending = [];
    await this.target.query(text);
  }

  /** `target` whose `query` flushes this batch first (everything else passes through). */
  reader<T extends Queryable>(target: T): T {
    return new Proxy(target, {
      get: (object, property, receiver) => {
        if (property !== 'query') return Reflect.get(object, property, receiver);
        return async (sql: string, parameters?: unknown[]) => {
          if (this.pending.length > 0 && this.sendWithRead) {
            const text = [...this.pending, inlineSql(sql, parameters)].join(';\n');
            this.pending = [];
            return this.sendWithRead(text);
          }
          await this.flush();
          return object.query(sql, parameters);
        };
      },
    });
  }
}

type PgResult = { command: string; rows: unknown[]; rowCount: number | null };

/**
 * Sends several statements as one simple-protocol query on a query runner's connection and answers
 * the last one's result as TypeORM's `query` would (`[rows, affected]` for UPDATE and DELETE, else
 * the rows): TypeORM answers nothing for a multi-statement query. The `sendWithRead` of a
 * StatementBatch on a transaction.
 */
export const lastResultOf = async (runner: { connect(): Promise<unknown> }, text: string): Promise<unknown> => {
  const client = (await runner.connect()) as { query(text: string): Promise<PgResult | PgResult[]> };
  const results = await client.query(text);
  const last = Array.isArray(results) ? results[results.length - 1] : results;
  return last.command === 'UPDATE' || last.command === 'DELETE' ? [last.rows, last.rowCount] : last.rows;
};
