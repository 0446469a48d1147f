import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { ident } from './sql-migration';

/**
 * Which city's rows the database lets a piece of work see: PostgreSQL row-level security on every
 * city-owned table compares `city_id` with the setting `mandate.city` of the connection. A request
 * made by a city's user runs scoped to that city; work that spans cities by its nature (consumers
 * reading the whole log, schedulers, relays, the platform operator, the CLI) runs as the system,
 * whose scope is `*`. A connection whose setting is missing or empty sees no city's rows.
 */
export const ALL_CITIES = '*';

/** The setting the policies read. */
export const CITY_SETTING = 'mandate.city';

/** The role the services' pools act as: no superuser, no BYPASSRLS, only DML on their own schema. */
export const DEFAULT_SERVICE_ROLE = 'mandate_service';

type Scope = { city: string; owner?: true };
const scopes = new AsyncLocalStorage<Scope>();

/** The city the current work may touch (`*` outside any scope: background work starts as the system). */
export const currentCityScope = (): string => scopes.getStore()?.city ?? ALL_CITIES;

/**
 * Runs `work` with the login's own rights instead of the service role's: for the few administrative
 * steps that change the schema (a rebuild swapping in new tables), which must secure what they add.
 */
export const withOwnerRights = <T>(work: () => T): T => scopes.run({ city: ALL_CITIES, owner: true }, work);

/** Runs `work` (and everything it starts) scoped to one city, or to all with `*`. */
export const withCityScope = <T>(city: string, work: () => T): T => scopes.run({ city }, work);

/**
 * Opens a scope whose city is decided later in the same flow (an HTTP request: the scope is opened
 * before the route's guard knows the caller); it stays the system's until `narrowCityScope`.
 */
export const openCityScope = (work: () => void): void => scopes.run({ city: ALL_CITIES }, work);

/** Narrows the scope opened by `openCityScope` to the caller's city. */
export const narrowCityScope = (city: string): void => {
  const scope = scopes.getStore();
  if (!scope) throw new Error('narrowCityScope outside an opened scope: the city would not reach the database');
  scope.city = city;
};

const APPLIED = Symbol('mandate.city-scope');
type ScopedClient = PoolClient & { [APPLIED]?: string };
const serviceRoles = new WeakMap<DataSource, string>();

/** The role a data source's connections act as (set by `scopeConnections`). */
export const serviceRoleOf = (dataSource: DataSource): string => {
  const role = serviceRoles.get(dataSource);
  if (!role) throw new Error('This data source was not opened by openServiceDatabase: it has no service role');
  return role;
};

/**
 * Makes every connection the data source hands out act as `role` with the current city scope. The
 * setting is applied when a connection is taken from the pool (it is then this work's until it goes
 * back, a transaction included) and only when it differs from what the connection already carries,
 * so a city's steady traffic costs no extra round trip.
 */
export const scopeConnections = (dataSource: DataSource, role: string): void => {
  serviceRoles.set(dataSource, role);
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const take = pool.connect.bind(pool) as (callback: (error: Error | undefined, client: PoolClient, release: (error?: Error) => void) => void) => void;
  (pool as unknown as { connect: unknown }).connect = (
    callback?: (error: Error | undefined, client?: PoolClient, release?: (error?: Error) => void) => void,
  ) => {
    const scope = scopes.getStore();
    const wanted = scope?.owner ? 'owner' : currentCityScope();
    // 'none' is SET ROLE NONE: back to the login.
    const settings = scope?.owner ? ['none', ALL_CITIES] : [role, wanted];
    const connect = (done: (error: Error | undefined, client?: PoolClient, release?: (error?: Error) => void) => void) =>
      take((error, client, release) => {
        if (error) return done(error);
        const scoped = client as ScopedClient;
        if (scoped[APPLIED] === wanted) return done(undefined, client, release);
        client
          .query(`SELECT set_config('role', $1, false), set_config($2, $3, false)`, [settings[0], CITY_SETTING, settings[1]])
          .then(() => {
            scoped[APPLIED] = wanted;
            done(undefined, client, release);
          })
          .catch((failure: Error) => {
            release(failure);
            done(failure);
          });
      });
    if (callback) return connect(callback);
    return new Promise<PoolClient>((resolve, reject) => connect((error, client) => (error ? reject(error) : resolve(client!))));
  };
};

type Sql = { query(statement: string, parameters?: unknown[]): Promise<any> };

/**
 * Row-level security for every table of `schema` that has a `city_id` column (found in the catalogue,
 * so a table added later is covered without anyone remembering to), and the service role's rights
 * on the schema. Idempotent; runs inside the caller's transaction, serialised per schema so replicas
 * starting together do not race. Answers the tables it secured.
 */
export const secureCityTables = async (manager: Sql, schema: string, role: string): Promise<string[]> => {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`mandate-rls:${schema}`]);
  const tables: { table_name: string; secured: boolean; has_policy: boolean }[] = await manager.query(
    `SELECT c.relname AS table_name, c.relrowsecurity AS secured,
            EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'city_isolation') AS has_policy
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'city_id' AND NOT a.attisdropped)
      ORDER BY c.relname`,
    [schema],
  );
  const s = ident(schema);
  for (const table of tables) {
    const t = `${s}.${ident(table.table_name)}`;
    if (!table.secured) await manager.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`);
    if (!table.has_policy) {
      await manager.query(
        `CREATE POLICY city_isolation ON ${t}
           USING (city_id = current_setting('${CITY_SETTING}', true) OR current_setting('${CITY_SETTING}', true) = '${ALL_CITIES}')
           WITH CHECK (city_id = current_setting('${CITY_SETTING}', true) OR current_setting('${CITY_SETTING}', true) = '${ALL_CITIES}')`,
      );
    }
  }
  const r = ident(role);
  await manager.query(`GRANT USAGE ON SCHEMA ${s} TO ${r}`);
  // TRUNCATE for the projections' rebuild (the events and anchors refuse it by trigger).
  await manager.query(`GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA ${s} TO ${r}`);
  await manager.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`);
  await manager.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${s} TO ${r}`);
  return tables.map((table) => table.table_name);
};

/**
 * The service role, created on first start where the login may create roles; elsewhere a DBA
 * creates it (docs/security.md). Refuses a role that could bypass row-level security.
 */
export const ensureServiceRole = async (dataSource: DataSource, role: string): Promise<void> => {
  const found: { rolsuper: boolean; rolbypassrls: boolean }[] = await dataSource.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`, [
    role,
  ]);
  if (!found.length) {
    try {
      await dataSource.query(`CREATE ROLE ${ident(role)} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`);
    } catch (error) {
      const code = (error as { code?: string }).code;
      // Another process created it meanwhile.
      if (code !== '42710' && code !== '23505') {
        throw new Error(
          `The service role "${role}" does not exist and could not be created (${(error as Error).message}); create it as docs/security.md shows`,
        );
      }
    }
  } else if (found[0].rolsuper || found[0].rolbypassrls) {
    throw new Error(`The service role "${role}" bypasses row-level security (superuser or BYPASSRLS): tenant isolation would not hold`);
  }
  const [{ member }]: { member: boolean }[] = await dataSource.query(`SELECT pg_has_role(current_user, $1, 'MEMBER') AS member`, [role]);
  if (!member) await dataSource.query(`GRANT ${ident(role)} TO CURRENT_USER`);
};
