import type { DataSource, QueryRunner } from 'typeorm';

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
