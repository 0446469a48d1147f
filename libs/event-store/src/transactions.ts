import { lastResultOf, StatementBatch, type SqlWrites } from '@mandate/runtime';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** `work` in one read-write transaction on a connection of its own: committed when it returns, rolled back when it throws. */
export const inTransaction = async <T>(dataSource: DataSource, work: (runner: QueryRunner) => Promise<T>): Promise<T> => {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    try {
      const result = await work(runner);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  } finally {
    await runner.release();
  }
};

/** `work` in one read-only REPEATABLE READ snapshot: every query sees the same log. */
export const inReadOnlySnapshot = async <T>(dataSource: DataSource, work: (runner: QueryRunner) => Promise<T>): Promise<T> => {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const result = await work(runner);
      await runner.query('COMMIT');
      return result;
    } catch (error) {
      await runner.query('ROLLBACK');
      throw error;
    }
  } finally {
    await runner.release();
  }
};

/** A transaction whose statements travel together where they can (see `inBatchedTransaction`). */
export type BatchedTransaction = {
  /** A statement whose answer is needed (sent with whatever is queued before it). */
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
  /** The same transaction for code written against TypeORM (its queries send what is queued first). */
  manager: EntityManager;
  /** Statements whose answer nobody reads: sent with the next query, or with the COMMIT. */
  writes: SqlWrites;
};

/**
 * `work` in one read-write transaction, in fewer round trips: BEGIN and `opening` (e.g. a lock) go
 * with the first query, and the answerless writes with the COMMIT (a command's read, append, then
 * inline projection: three round trips instead of six). Statements of one trip run in order, each
 * with a fresh snapshot as separate statements would; a failure rolls the whole transaction back.
 */
export const inBatchedTransaction = async <T>(
  dataSource: DataSource,
  opening: readonly { sql: string; parameters?: unknown[] }[],
  work: (tx: BatchedTransaction) => Promise<T>,
): Promise<T> => {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const batch = new StatementBatch(runner, (text) => lastResultOf(runner, text));
  try {
    await batch.query('BEGIN');
    for (const statement of opening) await batch.query(statement.sql, statement.parameters);
    try {
      const reader = batch.reader(runner);
      const result = await work({ query: (sql, parameters) => reader.query(sql, parameters), manager: batch.reader(runner.manager), writes: batch });
      await batch.query('COMMIT');
      await batch.flush();
      return result;
    } catch (error) {
      // Outside a transaction (BEGIN never sent) PostgreSQL only warns.
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    await runner.release();
  }
};
