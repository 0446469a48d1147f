// Import jobs under review (issue 18 item 5): kept with their bytes, confirmed once, swept when stuck or a day old. Real PostgreSQL.
import { systemClock } from '@mandate/kernel';
import { createLogger } from '@mandate/runtime';
import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import { ImportJobs } from './import-jobs';
import { PLANS_SCHEMA, startPlans, type PlansHost } from './plans.service-host';

jest.setTimeout(120_000);

describe('Import jobs', () => {
  let db: TestDatabase;
  let host: PlansHost;
  let jobs: ImportJobs;
  const logged: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const logger = {
    error: (fields: Record<string, unknown>, message: string) => logged.push({ level: 'error', fields, message }),
    warn: (fields: Record<string, unknown>, message: string) => logged.push({ level: 'warn', fields, message }),
  };

  beforeAll(async () => {
    db = await createTestDatabase('plans_import_jobs');
    // The host's own sweeper would race the test's: it runs once an hour here.
    host = await startPlans({ databaseUrl: db.url, logger: createLogger('silent'), clock: systemClock, importSweepMs: 3_600_000 });
    jobs = new ImportJobs(host.db, PLANS_SCHEMA, logger as never);
  });
  afterAll(async () => {
    await host?.stop();
    await db?.drop();
  });

  const aged = async (id: string, column: 'updated_at' | 'created_at' | 'confirming_since', minutes: number) =>
    host.db.query(`UPDATE plans.import_jobs SET ${column} = now() - make_interval(mins => $2) WHERE id = $1`, [id, minutes]);
  const dryRun = (cityId = 'ha-noi') =>
    jobs.create({
      cityId,
      document: 'kh.pdf',
      dryRun: true,
      createdBy: 'office@ha-noi',
      state: 'parsed',
      bytes: Buffer.from('%PDF-1.7'),
      result: { tasks: [] },
      changes: [],
      pages: 2,
    });

  it('given a dry run read at once, when created, then it is parsed with its result and pages, and keeps its bytes for its city only', async () => {
    const job = await dryRun();
    expect(job).toEqual(expect.objectContaining({ state: 'parsed', dryRun: true, pages: 2, pagesDone: 2, result: { tasks: [] } }));
    expect(job).not.toHaveProperty('bytes');
    expect((await jobs.document(job.id, 'ha-noi'))?.bytes?.toString()).toBe('%PDF-1.7');
    expect(await jobs.document(job.id, 'hai-phong')).toBeNull();
    expect(await jobs.document('not-a-uuid', 'ha-noi')).toBeNull();
  });

  it('given a parsed dry run, when two confirmations claim it at once, then one gets it; released after a failed import, it is claimable again; confirmed, never', async () => {
    const job = await dryRun();
    const claims = await Promise.all([jobs.claim(job.id, 'ha-noi', 'a'), jobs.claim(job.id, 'ha-noi', 'b')]);
    expect(claims.filter((c) => c !== null)).toHaveLength(1);
    expect(claims.find((c) => c !== null)).toEqual({ document: 'kh.pdf', result: { tasks: [] }, changes: [] });
    await jobs.release(job.id);
    expect(await jobs.claim(job.id, 'hai-phong', 'c')).toBeNull();
    expect(await jobs.claim(job.id, 'ha-noi', 'c')).not.toBeNull();
    await jobs.confirmed(job.id, { planId: 'p' });
    expect(await jobs.get(job.id, 'ha-noi')).toEqual(expect.objectContaining({ state: 'stored', result: { planId: 'p' } }));
    await jobs.release(job.id);
    expect(await jobs.claim(job.id, 'ha-noi', 'd')).toBeNull();
  });

  it('given a job still reading after 10 minutes, when swept, then it failed as import-interrupted (logged); one reading for 5 minutes is left', async () => {
    const stuck = await jobs.create({ cityId: 'ha-noi', document: 'scan.pdf', dryRun: true, createdBy: 'x', state: 'reading' });
    const reading = await jobs.create({ cityId: 'hai-phong', document: 'scan.pdf', dryRun: true, createdBy: 'x', state: 'reading' });
    await aged(stuck.id, 'updated_at', 11);
    await aged(reading.id, 'updated_at', 5);
    // Every instance sweeps: two at once fail the job once.
    const [a, b] = await Promise.all([jobs.sweep(), jobs.sweep()]);
    expect(a.interrupted + b.interrupted).toBe(1);
    expect(await jobs.get(stuck.id, 'ha-noi')).toEqual(
      expect.objectContaining({
        state: 'failed',
        error: {
          type: 'https://mandate.dev/problems/import-interrupted',
          title: expect.any(String),
          status: 503,
          detail: expect.stringMatching(/upload the document again/),
        },
      }),
    );
    expect((await jobs.get(reading.id, 'hai-phong'))?.state).toBe('reading');
    expect(logged).toContainEqual(expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ importJob: stuck.id }) }));
  });

  it('given a confirmation claimed 11 minutes ago and never finished, when swept, then the job is confirmable again', async () => {
    const job = await dryRun();
    await jobs.claim(job.id, 'ha-noi', 'a');
    await aged(job.id, 'confirming_since', 11);
    expect((await jobs.sweep()).released).toBeGreaterThanOrEqual(1);
    expect(await jobs.claim(job.id, 'ha-noi', 'b')).not.toBeNull();
  });

  it('given jobs of a day ago, when swept, then they are gone with their bytes; a younger one stays', async () => {
    const old = await dryRun();
    const young = await dryRun('hai-phong');
    await aged(old.id, 'created_at', 24 * 60 + 1);
    await aged(young.id, 'created_at', 23 * 60);
    expect((await jobs.sweep()).deleted).toBe(1);
    expect(await jobs.get(old.id, 'ha-noi')).toBeNull();
    expect(await jobs.get(young.id, 'hai-phong')).not.toBeNull();
  });

  it('given a failing job, when failed, then the failure is logged: an error with its cause for ours (5xx), a warning for a refused document', async () => {
    const job = await dryRun();
    const cause = new Error('worker crashed');
    await jobs.fail(job.id, { type: 'https://mandate.dev/problems/internal', status: 500, detail: 'x' }, cause);
    await jobs.fail(job.id, { type: 'https://mandate.dev/problems/document.corrupt', status: 422, detail: 'damaged' });
    expect(logged).toContainEqual({ level: 'error', fields: expect.objectContaining({ err: cause, importJob: job.id }), message: 'import job failed' });
    expect(logged).toContainEqual(expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ importJob: job.id, status: 422 }) }));
    expect((await jobs.get(job.id, 'ha-noi'))?.state).toBe('failed');
  });
});
