import { Controller, Get, Inject, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { openServiceDatabase, sqlMigration } from '@mandate/runtime';
import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { Public, Requires, signToken, type RequestActor } from './auth';
import { listenTestApp, serveSeedCities } from './testing/test-app';

const SECRET = 'city-scope-secret-city-scope-secret-0123';
const DB = Symbol('DB');
const notes = sqlMigration(
  'Notes',
  1700000000002,
  (s) => [`CREATE TABLE "${s}".notes (id serial PRIMARY KEY, city_id text NOT NULL)`],
  (s) => [`DROP TABLE "${s}".notes`],
);

/** What the database shows the request: its city setting and the cities of the rows it can read. */
@Controller('probe')
class ProbeController {
  constructor(@Inject(DB) private readonly db: DataSource) {}

  private async seen() {
    // A pause first: the scope must survive the awaits between the guard and the query.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const [{ city }] = await this.db.query(`SELECT current_setting('mandate.city', true) AS city`);
    const rows: { city_id: string }[] = await this.db.query(`SELECT DISTINCT city_id FROM probe.notes ORDER BY 1`);
    return { city, rows: rows.map((r) => r.city_id) };
  }

  @Get()
  @Requires('plans.read')
  scoped() {
    return this.seen();
  }

  @Get('overview')
  @Requires('platform.overview')
  overview() {
    return this.seen();
  }

  @Get('public')
  @Public()
  open() {
    return this.seen();
  }
}

beforeAll(serveSeedCities);

describe("HTTP requests reach the database scoped to the caller's city", () => {
  let database: TestDatabase;
  let db: DataSource;
  let app: INestApplication;
  let url: string;
  const get = async (path: string, actor?: RequestActor) =>
    (await (await fetch(`${url}${path}`, { headers: actor ? { authorization: `Bearer ${await signToken(SECRET, actor)}` } : {} })).json()) as {
      city: string;
      rows: string[];
    };

  beforeAll(async () => {
    database = await createTestDatabase('http_city_scope');
    db = await openServiceDatabase({ url: database.url, schema: 'probe', migrations: [notes('probe')] });
    await db.query(`INSERT INTO probe.notes (city_id) VALUES ('ha-noi'), ('hai-phong')`);
    @Module({ controllers: [ProbeController], providers: [{ provide: DB, useValue: db }] })
    class ProbeModule {}
    ({ app, url } = await listenTestApp({ modules: [{ module: ProbeModule } as DynamicModule], jwtSecret: SECRET }));
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
    await database?.drop();
  });

  it("shows a city's user that city's rows only", async () => {
    expect(await get('/probe', { userId: 'u', role: 'office', cityId: 'hai-phong', agencyId: null })).toEqual({ city: 'hai-phong', rows: ['hai-phong'] });
    expect(await get('/probe', { userId: 'u', role: 'office', cityId: 'ha-noi', agencyId: null })).toEqual({ city: 'ha-noi', rows: ['ha-noi'] });
  });

  it('keeps concurrent requests of two cities apart', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => get('/probe', { userId: 'u', role: 'office', cityId: i % 2 ? 'ha-noi' : 'hai-phong', agencyId: null })),
    );
    answers.forEach((answer, i) => expect(answer.rows).toEqual([i % 2 ? 'ha-noi' : 'hai-phong']));
  });

  it("shows the platform operator's overview every city, and so the public routes", async () => {
    expect(await get('/probe/overview', { userId: 'op', role: 'operator', cityId: 'platform', agencyId: null })).toEqual({
      city: '*',
      rows: ['ha-noi', 'hai-phong'],
    });
    expect((await get('/probe/public')).rows).toEqual(['ha-noi', 'hai-phong']);
  });
});
