import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { ALL_CITIES, currentCityScope, DEFAULT_SERVICE_ROLE, narrowCityScope, openCityScope, withCityScope } from './city-scope';
import { openServiceDatabase } from './database';
import { sqlMigration } from './sql-migration';

const SCHEMA = 'scoped';
const notes = sqlMigration(
  'Notes',
  1700000000001,
  (s) => [
    `CREATE TABLE "${s}".notes (id serial PRIMARY KEY, city_id text NOT NULL, body text NOT NULL)`,
    `CREATE TABLE "${s}".checkpoints (name text PRIMARY KEY, position bigint NOT NULL)`,
  ],
  (s) => [`DROP TABLE "${s}".notes`, `DROP TABLE "${s}".checkpoints`],
);

describe('City scope: row-level security on city-owned tables', () => {
  let database: TestDatabase;
  let db: DataSource;
  const count = async () => Number((await db.query(`SELECT count(*)::int AS n FROM scoped.notes`))[0].n);

  beforeAll(async () => {
    database = await createTestDatabase('city_scope');
    db = await openServiceDatabase({ url: database.url, schema: SCHEMA, migrations: [notes(SCHEMA)] });
    await db.query(`INSERT INTO scoped.notes (city_id, body) VALUES ('hcm', 'a'), ('hcm', 'b'), ('hn', 'c')`);
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('secures every table with a city_id column and leaves the others alone', async () => {
    const rows: { relname: string; relrowsecurity: boolean }[] = await db.query(
      `SELECT c.relname, c.relrowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname`,
      [SCHEMA],
    );
    expect(rows).toEqual([
      { relname: 'checkpoints', relrowsecurity: false },
      { relname: 'migrations', relrowsecurity: false },
      { relname: 'notes', relrowsecurity: true },
    ]);
  });

  it('acts as the service role, which can neither bypass row-level security nor change the schema', async () => {
    const [who] = await db.query(`SELECT current_user AS role, r.rolsuper, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user`);
    expect(who).toEqual({ role: DEFAULT_SERVICE_ROLE, rolsuper: false, rolbypassrls: false });
    await expect(db.query(`CREATE TABLE scoped.sneaky (id int)`)).rejects.toThrow(/permission denied/);
    await expect(db.query(`ALTER TABLE scoped.notes DISABLE ROW LEVEL SECURITY`)).rejects.toThrow(/must be owner/);
  });

  it('shows the system every city', async () => {
    expect(currentCityScope()).toBe(ALL_CITIES);
    expect(await count()).toBe(3);
  });

  it("shows a city's work its own rows only, in reads, updates, deletes and inserts", async () => {
    await withCityScope('hcm', async () => {
      expect(await count()).toBe(2);
      expect(await db.query(`SELECT body FROM scoped.notes WHERE city_id = 'hn'`)).toEqual([]);
      const [, updated] = await db.query(`UPDATE scoped.notes SET body = 'taken' WHERE city_id = 'hn'`);
      expect(updated).toBe(0);
      const [, deleted] = await db.query(`DELETE FROM scoped.notes WHERE city_id = 'hn'`);
      expect(deleted).toBe(0);
      await expect(db.query(`INSERT INTO scoped.notes (city_id, body) VALUES ('hn', 'planted')`)).rejects.toThrow(/row-level security/);
      // Nor may a row of one's own city be moved to another.
      await expect(db.query(`UPDATE scoped.notes SET city_id = 'hn' WHERE body = 'a'`)).rejects.toThrow(/row-level security/);
    });
    expect(await db.query(`SELECT city_id, body FROM scoped.notes ORDER BY id`)).toEqual([
      { city_id: 'hcm', body: 'a' },
      { city_id: 'hcm', body: 'b' },
      { city_id: 'hn', body: 'c' },
    ]);
  });

  it('keeps the scope through a transaction and back to the system after it', async () => {
    await withCityScope('hn', () =>
      db.transaction(async (manager) => {
        expect(Number((await manager.query(`SELECT count(*)::int AS n FROM scoped.notes`))[0].n)).toBe(1);
      }),
    );
    expect(await count()).toBe(3);
  });

  it('gives two cities working at once their own rows each', async () => {
    const [hcm, hn] = await Promise.all([
      withCityScope('hcm', async () => (await db.query(`SELECT body FROM scoped.notes ORDER BY id`)).map((r: { body: string }) => r.body)),
      withCityScope('hn', async () => (await db.query(`SELECT body FROM scoped.notes ORDER BY id`)).map((r: { body: string }) => r.body)),
    ]);
    expect(hcm).toEqual(['a', 'b']);
    expect(hn).toEqual(['c']);
  });

  it('narrows a scope opened before the caller was known (an HTTP request)', async () => {
    const seen = await new Promise<number>((resolve, reject) =>
      openCityScope(() => {
        narrowCityScope('hn');
        count().then(resolve, reject);
      }),
    );
    expect(seen).toBe(1);
    expect(() => narrowCityScope('hn')).toThrow(/outside an opened scope/);
  });

  it('shows a connection without a city nothing', async () => {
    const rows = await db.transaction(async (manager) => {
      await manager.query(`SELECT set_config('mandate.city', '', true)`);
      return manager.query(`SELECT * FROM scoped.notes`);
    });
    expect(rows).toEqual([]);
  });
});
