// Tenant isolation in the database itself: every city-owned table of every service has row-level
// security, and the role the services act as, set to one city, can neither see nor change another's
// rows — whatever the code above it asks. The API side is in permissions.e2e.spec.ts.
import { Client } from 'pg';
import { signToken } from '@mandate/http';
import { CITY_SETTING, DEFAULT_SERVICE_ROLE } from '@mandate/runtime';
import { embeddedDeployment, TEST_SECRET } from './testing/deployments';
import { eventually } from './testing/http-contract';

jest.setTimeout(120_000);

/**
 * Tables that hold no city's data: the services' own bookkeeping. Anything else must carry city_id.
 * `shared_state` is the edge's key-value store (idempotency records): read and written before the caller's
 * city scope is set, only by exact key, and every key names the city and the user.
 */
const INFRASTRUCTURE = ['dead_letters', 'inbox', 'migrations', 'relay_checkpoints', 'seed_runs', 'shared_state', 'subscriptions'];
const POLICY = `((city_id = current_setting('${CITY_SETTING}'::text, true)) OR (current_setting('${CITY_SETTING}'::text, true) = '*'::text))`;

type Table = { schema: string; name: string; city: boolean; secured: boolean; qual: string | null; check: string | null };

describe('Tenant isolation in PostgreSQL (row-level security)', () => {
  let deployment: Awaited<ReturnType<typeof embeddedDeployment>>;
  let sql: Client;
  let tables: Table[];
  const name = (t: Table) => `"${t.schema}"."${t.name}"`;

  /** Runs `work` on a connection acting as the services do, scoped to `city`. */
  const as = async <T>(city: string, work: () => Promise<T>): Promise<T> => {
    await sql.query('BEGIN');
    try {
      await sql.query(`SELECT set_config('role', $1, true), set_config($2, $3, true)`, [DEFAULT_SERVICE_ROLE, CITY_SETTING, city]);
      return await work();
    } finally {
      await sql.query('ROLLBACK');
    }
  };
  const count = async (table: Table, where: string) => Number((await sql.query(`SELECT count(*)::int AS n FROM ${name(table)} WHERE ${where}`)).rows[0].n);

  beforeAll(async () => {
    deployment = await embeddedDeployment();
    // Some traffic beyond the seeds, so that the notifications' and reporting's tables hold rows of two cities.
    const office = async (cityId: string) => ({
      authorization: `Bearer ${await signToken(TEST_SECRET, { userId: 'office-1', role: 'office', cityId, agencyId: null })}`,
    });
    for (const city of ['ha-noi', 'hai-phong']) {
      const response = await fetch(`${deployment.url()}/api/v1/plans`, { headers: await office(city) });
      expect(response.status).toBe(200);
    }
    sql = new Client({ connectionString: deployment.db.url });
    await sql.connect();
    const cities = await eventually(
      async () => Number((await sql.query(`SELECT count(DISTINCT city_id)::int AS n FROM assignments.work_queue`)).rows[0].n),
      (n) => n >= 2,
      60_000,
    );
    expect(cities).toBeGreaterThanOrEqual(2);
    tables = (
      await sql.query(
        `SELECT n.nspname AS schema, c.relname AS name,
                EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'city_id' AND NOT a.attisdropped) AS city,
                c.relrowsecurity AS secured, p.qual, p.with_check AS check
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_policies p ON p.schemaname = n.nspname AND p.tablename = c.relname AND p.policyname = 'city_isolation'
          WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
          ORDER BY 1, 2`,
      )
    ).rows;
  });
  afterAll(async () => {
    await sql?.end();
    await deployment?.stop();
  });

  it("finds a city on every table but the services' bookkeeping", () => {
    expect(tables.filter((t) => t.city).length).toBeGreaterThan(15);
    expect(tables.filter((t) => !t.city && !INFRASTRUCTURE.includes(t.name)).map(name)).toEqual([]);
  });

  it('secures every city-owned table with the city policy, for reads and for writes', () => {
    const unsecured = tables.filter((t) => t.city && !(t.secured && t.qual === POLICY && t.check === POLICY)).map(name);
    expect(unsecured).toEqual([]);
  });

  it("shows the services' role, scoped to one city, no row of another, in any city-owned table", async () => {
    const leaks: string[] = [];
    let othersSeenBySystem = 0;
    for (const table of tables.filter((t) => t.city)) {
      othersSeenBySystem += await as('*', () => count(table, `city_id <> 'hai-phong'`));
      const seen = await as('hai-phong', () => count(table, `city_id <> 'hai-phong'`));
      if (seen) leaks.push(`${name(table)}: ${seen} rows of other cities`);
    }
    expect(leaks).toEqual([]);
    // The check means something: the system sees other cities' rows in those very tables.
    expect(othersSeenBySystem).toBeGreaterThan(100);
  });

  it("lets no write reach another city's rows, nor move a row to another city", async () => {
    const workQueue = tables.find((t) => t.schema === 'assignments' && t.name === 'work_queue')!;
    const taskList = tables.find((t) => t.schema === 'plans' && t.name === 'task_list')!;
    await as('hai-phong', async () => {
      expect((await sql.query(`UPDATE ${name(taskList)} SET title = 'taken' WHERE city_id = 'ha-noi'`)).rowCount).toBe(0);
      expect((await sql.query(`DELETE FROM ${name(workQueue)} WHERE city_id = 'ha-noi'`)).rowCount).toBe(0);
    });
    await expect(as('hai-phong', () => sql.query(`UPDATE ${name(taskList)} SET city_id = 'ha-noi' WHERE city_id = 'hai-phong'`))).rejects.toThrow(
      /row-level security/,
    );
    await expect(
      as('hai-phong', () =>
        sql.query(`INSERT INTO ${name(workQueue)} (city_id, agency_id, task_id, relation) VALUES ('ha-noi', 'so-tu-phap', gen_random_uuid(), 'lead')`),
      ),
    ).rejects.toThrow(/row-level security/);
    // Nothing of Hà Nội's moved.
    expect(await as('*', () => count(taskList, `city_id = 'ha-noi' AND title = 'taken'`))).toBe(0);
  });

  it('shows a connection that names no city nothing, and the role cannot lift the policy', async () => {
    const events = tables.find((t) => t.schema === 'plans' && t.name === 'events')!;
    expect(await as('', () => count(events, 'true'))).toBe(0);
    await expect(as('ha-noi', () => sql.query(`ALTER TABLE ${name(events)} DISABLE ROW LEVEL SECURITY`))).rejects.toThrow(/must be owner/);
    await expect(as('ha-noi', () => sql.query(`SET LOCAL row_security = off`).then(() => count(events, 'true')))).rejects.toThrow(/row-level security/);
  });
});
