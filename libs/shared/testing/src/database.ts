import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';

type PostgresConnectionOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

export const adminDatabaseUrl = (): string => process.env.MANDATE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestDataSourceOptions = Partial<Omit<PostgresConnectionOptions, 'type' | 'url'>>;

export type TestDatabase = {
  url: string;
  name: string;
  /**
   * A new, NOT yet initialized DataSource on this database (call `initialize()`); `schema` also sets
   * where TypeORM keeps its migrations table. `drop()` destroys the ones still open.
   */
  dataSource(options?: TestDataSourceOptions): DataSource;
  drop(): Promise<void>;
};

const withAdmin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
  const client = new Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

/** A fresh database `mandate_test_<prefix>_<random>` for one suite; drop it in afterAll. */
export const createTestDatabase = async (prefix: string): Promise<TestDatabase> => {
  const safePrefix = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 30);
  const name = `mandate_test_${safePrefix}_${randomBytes(5).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  const created: DataSource[] = [];
  return {
    url: url.toString(),
    name,
    dataSource(options = {}) {
      const dataSource = new DataSource({ ...options, type: 'postgres', url: url.toString() });
      created.push(dataSource);
      return dataSource;
    },
    async drop() {
      await Promise.all(created.filter((ds) => ds.isInitialized).map((ds) => ds.destroy()));
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
};
