import { Client } from 'pg';
import { DataSource, type MigrationInterface } from 'typeorm';
import { DEFAULT_SERVICE_ROLE, ensureServiceRole, scopeConnections, secureCityTables } from './city-scope';
import { ident } from './sql-migration';

export type ServiceDatabaseOptions = {
  url: string;
  /** The schema this service owns; nobody else reads or writes it. */
  schema: string;
  migrations: (new () => MigrationInterface)[];
  poolSize?: number;
  /** The role the pool acts as once the schema is up to date (MANDATE_DB_ROLE); row-level security applies to it. */
  serviceRole?: string;
};

/**
 * Connects a service to its own schema and brings the schema up to date. Each service gets its own
 * pool and its own `migrations` table, so services can live in one database (embedded) or many.
 * Migrations run as the login; then every city-owned table gets row-level security and the pool's
 * connections act as the service role, scoped to the city of the work at hand (city-scope.ts).
 */
export const openServiceDatabase = async (options: ServiceDatabaseOptions): Promise<DataSource> => {
  const bootstrap = new Client({ connectionString: options.url });
  await bootstrap.connect();
  try {
    await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS ${ident(options.schema)}`);
  } catch (error) {
    // Two processes creating the same schema at once: the loser sees a unique violation; the schema exists.
    if ((error as { code?: string }).code !== '23505') throw error;
  } finally {
    await bootstrap.end();
  }
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    extra: { max: options.poolSize ?? 5, application_name: `mandate-${options.schema}` },
    logging: false,
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  // One deployment-wide setting (checked with the rest in config.ts) read here, where every pool is made.
  const role = options.serviceRole ?? (process.env.MANDATE_DB_ROLE || DEFAULT_SERVICE_ROLE);
  await ensureServiceRole(dataSource, role);
  await dataSource.transaction((manager) => secureCityTables(manager, options.schema, role));
  scopeConnections(dataSource, role);
  return dataSource;
};

/** Creates the database named in `url` if it does not exist (first start of a deployment). */
export const ensureDatabase = async (url: string): Promise<void> => {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (error) {
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
};

/**
 * The rows a statement's RETURNING gave, whatever the statement: TypeORM answers an UPDATE or DELETE
 * with `[rows, affected]` and an INSERT or SELECT with the rows.
 */
export const returnedRows = <Row>(result: unknown): Row[] => {
  const value = result as unknown[];
  return (value.length === 2 && Array.isArray(value[0]) && typeof value[1] === 'number' ? value[0] : value) as Row[];
};
