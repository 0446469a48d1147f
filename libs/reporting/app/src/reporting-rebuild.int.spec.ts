// Reporting's read models rebuilt beside the live ones and switched, while events and commands keep coming.
import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@mandate/event-store';
import { Inbox, type CloudEvent } from '@mandate/messaging';
import { PLAN_ISSUED_V1, TASK_ASSIGNED_V1, TASK_ISSUED_V2, TASK_STATUS_CHANGED_V2 } from '@mandate/plans-contracts';
import { openServiceDatabase, withCityScope } from '@mandate/runtime';
import { aCloudEvent, createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { AgencyReports, agencyReportsMigration, agencyReportsOverdueMigration } from './agency-reports';
import { PlanFeedStore, planFeedMigration } from './plan-feed.store';
import { PlanSummaryProjection, planSummaryChangesMigration, planSummaryMigration } from './plan-summary.projection';
import { ReportingIntake } from './reporting-intake';
import { rebuildReportingReadModels } from './reporting-rebuild';

const SCHEMA = 'reporting';
const CITY = 'ha-noi';
const PLAN = randomUUID();
const TASKS = Array.from({ length: 30 }, () => randomUUID());
const sequences = new Map<string, number>();
/** Each subject's events numbered in order, as the plans service publishes them. */
const event = (type: string, subject: string, data: unknown): CloudEvent => {
  const sequence = (sequences.get(subject) ?? 0) + 1;
  sequences.set(subject, sequence);
  return aCloudEvent(type, data, { cityid: CITY, subject, sequence: String(sequence) });
};
const agencies = ['so-tu-phap', 'so-tai-chinh', 'so-noi-vu'];
const issued = (taskId: string, i: number) =>
  event(TASK_ISSUED_V2, `task-${taskId}`, {
    taskId,
    planId: PLAN,
    planNumber: '183/KH-UBND',
    ref: `PL2.I.${i + 1}`,
    title: `Nhiệm vụ ${i + 1}`,
    status: 'not_started',
    deadline: { text: 'Quý IV/2025', kind: 'quarter', due: '2025-12-31' },
    group: null,
    deliverable: null,
    supervisor: null,
    note: null,
    issuedAt: new Date().toISOString(),
  });
const assigned = (taskId: string, i: number) =>
  event(TASK_ASSIGNED_V1, `task-${taskId}`, {
    taskId,
    planId: PLAN,
    lead: { agencyId: agencies[i % 3], name: agencies[i % 3], resolution: 'resolved' },
    coordinators: [],
    previousLeadAgencyId: null,
  });
const moved = (taskId: string, from: string, to: string) =>
  event(TASK_STATUS_CHANGED_V2, `task-${taskId}`, {
    taskId,
    planId: PLAN,
    from,
    to,
    note: '',
    changedAt: new Date().toISOString(),
    actor: { userId: 'u', role: 'agency', agencyId: null },
  });

describe("Rebuilding reporting's read models", () => {
  let db: TestDatabase;
  let ds: DataSource;
  let intake: ReportingIntake;
  let reports: AgencyReports;
  let store: PostgresEventStore;
  const tables = async () => ({
    plans: await ds.query(`SELECT * FROM reporting.plans ORDER BY plan_id`),
    tasks: await ds.query(`SELECT * FROM reporting.task_status ORDER BY task_id`),
    reports: await ds.query(`SELECT * FROM reporting.agency_reports ORDER BY report_id`),
  });
  const planning = { userId: 'p', role: 'planning' as const, agencyId: null, cityId: CITY };

  beforeAll(async () => {
    db = await createTestDatabase('reporting_rebuild');
    ds = await openServiceDatabase({
      url: db.url,
      schema: SCHEMA,
      migrations: [
        ...PostgresEventStore.migrations(SCHEMA),
        Inbox.migration(SCHEMA),
        planSummaryMigration(SCHEMA),
        planSummaryChangesMigration(SCHEMA),
        planFeedMigration(SCHEMA),
        agencyReportsMigration(SCHEMA),
        agencyReportsOverdueMigration(SCHEMA),
      ],
    });
    store = new PostgresEventStore(ds, { schema: SCHEMA });
    const feed = new PlanFeedStore(ds, SCHEMA);
    reports = new AgencyReports(
      ds,
      SCHEMA,
      store,
      feed,
      () => ({}),
      () => new Date('2025-03-10T02:00:00Z'),
    );
    intake = new ReportingIntake(ds, feed, new PlanSummaryProjection(ds, SCHEMA, new Inbox(ds, SCHEMA)), reports);
    await intake.handle(
      event(PLAN_ISSUED_V1, `plan-${PLAN}`, {
        planId: PLAN,
        number: '183/KH-UBND',
        kind: 'plan',
        title: 'Kế hoạch',
        issuedOn: '2025-01-05',
        issuer: 'UBND Thành phố Hà Nội',
        taskCount: TASKS.length,
        taskIds: TASKS,
      }),
    );
    for (const [i, taskId] of TASKS.entries()) {
      await intake.handle(issued(taskId, i));
      await intake.handle(assigned(taskId, i));
      if (i % 2 === 0) await intake.handle(moved(taskId, 'not_started', 'in_progress'));
    }
    await reports.requestForPlan(PLAN, '2025-Q1', planning, 'c');
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('gives the same tables as the live ones when nothing moves', async () => {
    const before = await tables();
    expect(before.tasks).toHaveLength(30);
    expect(before.reports).toHaveLength(3);
    const result = await rebuildReportingReadModels(ds, SCHEMA, store);
    expect(result).toMatchObject({ events: 1 + 30 * 2 + 15 + 3, tailEvents: 0 });
    expect(await tables()).toEqual(before);
    // The tables switched in are as secured as the ones they replaced: another city sees none of their rows.
    const secured: { relname: string }[] = await ds.query(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relrowsecurity`,
      [SCHEMA],
    );
    expect(secured.map((t) => t.relname)).toEqual(expect.arrayContaining(['agency_reports', 'plans', 'task_status']));
    const seen = (city: string) => withCityScope(city, () => ds.query(`SELECT count(*)::int AS n FROM "${SCHEMA}".task_status`));
    expect(await seen('another-city')).toEqual([{ n: 0 }]);
    expect(await seen(CITY)).toEqual([{ n: 30 }]);
  });

  it('keeps what arrives during the build, through the feed and the log, and switches without a gap', async () => {
    const [row] = await reports.list(planning, { planId: PLAN, agencyId: 'so-tu-phap' });
    // Assigned in the callback below: the assertion keeps TypeScript from narrowing it to null here.
    let racing = null as Promise<unknown> | null;
    const result = await rebuildReportingReadModels(ds, SCHEMA, store, async () => {
      if (racing) return;
      // Committed after the build's snapshot: one status change and one report command.
      await intake.handle(moved(TASKS[1], 'not_started', 'in_progress'));
      await reports.accept(row.id, 'x', planning, { correlationId: 'c' }).catch((e: Error) => e); // refused: not submitted
      await reports.saveDraft(
        row.id,
        { summary: 'Báo cáo quý I', tasks: [], indicators: [] },
        { userId: 'a', role: 'agency', agencyId: 'so-tu-phap', cityId: CITY },
        { correlationId: 'c' },
      );
      // And one racing the switch itself.
      racing = intake.handle(moved(TASKS[3], 'not_started', 'in_progress'));
    });
    await racing;
    expect(result.tailEvents).toBeGreaterThanOrEqual(2);
    const after = await tables();
    const status = (taskId: string) => (after.tasks as { task_id: string; status: string }[]).find((t) => t.task_id === taskId)!.status;
    expect([status(TASKS[1]), status(TASKS[3]), status(TASKS[5])]).toEqual(['in_progress', 'in_progress', 'not_started']);
    expect((after.reports as { report_id: string; status: string }[]).find((r) => r.report_id === row.id)!.status).toBe('draft');
    // The scratch schemas are gone; a quiet rebuild agrees row for row.
    expect(await ds.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'reporting_%'`)).toEqual([]);
    await rebuildReportingReadModels(ds, SCHEMA, store);
    expect(await tables()).toEqual(after);
  });
});
