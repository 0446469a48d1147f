// Reports not in by their sending day are marked overdue once, and the reporting log is published as
// mandate.reports.v1 CloudEvents (the TopicSource the bus pulls and the relay sends to Kafka).
import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@mandate/event-store';
import { PostgresLeaderLock, Relay, type LeaderLock, type OutgoingMessage, type TopicSource } from '@mandate/messaging';
import {
  PLAN_ISSUED_V1,
  REPORT_ACCEPTED_V1,
  REPORT_OVERDUE_V1,
  REPORT_REQUESTED_V1,
  REPORT_RETURNED_V1,
  REPORT_SUBMITTED_V1,
  REPORTS_TOPIC,
  TASK_ASSIGNED_V1,
  TASK_ISSUED_V2,
  validateCloudEvent,
} from '@mandate/plans-contracts';
import { createLogger, openServiceDatabase } from '@mandate/runtime';
import { aCloudEvent, createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { AgencyReports, agencyReportsMigration, agencyReportsOverdueMigration, type ReportActor } from './agency-reports';
import { PlanFeedStore, planFeedMigration } from './plan-feed.store';
import { ReportOverdueScheduler } from './report-overdue-scheduler';
import { reportingTopicSource } from './reporting-topic-source';

const SCHEMA = 'reporting';
const CITY = 'hai-phong';
const PLAN = randomUUID();
const [TASK_1, TASK_2] = [randomUUID(), randomUUID()];
const logger = createLogger('silent');
const planning: ReportActor = { userId: 'u-planning', role: 'planning', agencyId: 'so-ke-hoach-dau-tu', cityId: CITY };
const justice: ReportActor = { userId: 'u-justice', role: 'agency', agencyId: 'so-tu-phap', cityId: CITY };
const finance: ReportActor = { userId: 'u-finance', role: 'agency', agencyId: 'so-tai-chinh', cityId: CITY };
const content = (taskId: string) => ({
  summary: 'Quý I/2024 triển khai đúng kế hoạch',
  tasks: [{ taskId, progress: 50, result: 'Đạt 50%', difficulties: '', proposals: '' }],
  indicators: [],
});
/** Always the leader: two such schedulers scan at once, as two instances would after a lost lock. */
const alwaysLeader: LeaderLock = { acquire: async () => true, isHeld: () => true, release: async () => undefined };

const waitUntilAsync = async (condition: () => Promise<boolean>, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};
const waitUntil = (condition: () => boolean, ms?: number) => waitUntilAsync(async () => condition(), ms);

/** Every message the source has, paged as the bus and the relay page it (`source` per page: a fresh one has no cache). */
const readAll = async (source: () => TopicSource, pageSize: number): Promise<OutgoingMessage[]> => {
  const messages: OutgoingMessage[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await source().read(after, pageSize);
    messages.push(...page.messages.map(({ topic, key, event }) => ({ topic, key, event })));
    if (page.checkpoint === after) return messages;
    after = page.checkpoint;
  }
};

describe('Agency reports: overdue marks and published events', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: PostgresEventStore;
  let reports: AgencyReports;
  let now = new Date('2024-03-01T02:00:00Z');
  let appended = 0;
  const at = (iso: string) => (now = new Date(iso));
  const ids: Record<string, string> = {};
  /**
   * The source reads only below the oldest transaction running anywhere on the server (other suites
   * run beside this one): wait until it shows every event of the log that publishes something.
   */
  const published = async (source: () => TopicSource, pageSize: number) => {
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.events WHERE type <> 'ReportDraftSaved'`)) as { n: number }[];
    let messages: OutgoingMessage[] = [];
    await waitUntilAsync(async () => (messages = await readAll(source, pageSize)).length === n);
    return messages;
  };

  beforeAll(async () => {
    db = await createTestDatabase('report_publishing');
    ds = await openServiceDatabase({
      url: db.url,
      schema: SCHEMA,
      migrations: [
        ...PostgresEventStore.migrations(SCHEMA),
        planFeedMigration(SCHEMA),
        agencyReportsMigration(SCHEMA),
        agencyReportsOverdueMigration(SCHEMA),
        Relay.migration(SCHEMA),
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
      () => now,
      () => appended++,
    );
    const plan = {
      planId: PLAN,
      number: '40/KH-UBND',
      kind: 'plan',
      title: 'Kế hoạch cải cách hành chính',
      issuedOn: '2024-01-05',
      issuer: 'UBND thành phố Hải Phòng',
      taskCount: 2,
      taskIds: [TASK_1, TASK_2],
    };
    await feed.append(aCloudEvent(PLAN_ISSUED_V1, plan, { cityid: CITY }));
    for (const [taskId, agencyId, name] of [
      [TASK_1, 'so-tu-phap', 'Sở Tư pháp'],
      [TASK_2, 'so-tai-chinh', 'Sở Tài chính'],
    ]) {
      const task = {
        taskId,
        planId: PLAN,
        planNumber: '40/KH-UBND',
        ref: taskId === TASK_1 ? '1' : '2',
        title: `Nhiệm vụ của ${name}`,
        status: 'not_started',
        deadline: { text: 'Quý IV/2024', kind: 'quarter', due: '2024-12-31' },
        group: null,
        deliverable: null,
        supervisor: null,
        note: null,
        issuedAt: '2024-01-05T02:00:00.000Z',
      };
      await feed.append(aCloudEvent(TASK_ISSUED_V2, task, { cityid: CITY }));
      await feed.append(
        aCloudEvent(
          TASK_ASSIGNED_V1,
          { taskId, planId: PLAN, lead: { agencyId, name, resolution: 'resolved' }, coordinators: [], previousLeadAgencyId: null },
          { cityid: CITY },
        ),
      );
    }
    const { items } = await reports.requestForPlan(PLAN, '2024-Q1', planning, 'request-q1');
    for (const row of items) ids[row.agency.agencyId] = row.id;
    expect(items.map((r) => [r.agency.agencyId, r.period.due, r.overdue])).toEqual([
      ['so-tai-chinh', '2024-03-20', false],
      ['so-tu-phap', '2024-03-20', false],
    ]);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('marks a requested report past its sending day overdue exactly once, through two scans and two instances', async () => {
    at('2024-03-15T02:00:00Z');
    await reports.submit(ids['so-tu-phap'], content(TASK_1), justice, { correlationId: 'c' }); // in time: never overdue
    await reports.saveDraft(ids['so-tai-chinh'], content(TASK_2), finance, { correlationId: 'c' });
    const first = new ReportOverdueScheduler(reports, new PostgresLeaderLock(db.url, 'reporting-overdue', logger), { intervalMs: 60_000, logger });
    const second = new ReportOverdueScheduler(reports, new PostgresLeaderLock(db.url, 'reporting-overdue', logger), { intervalMs: 60_000, logger });

    // 23:00 on the sending day in Hải Phòng: not overdue yet.
    at('2024-03-20T16:00:00Z');
    expect(await reports.overdueCandidates(100)).toEqual([]);
    expect(await first.tick()).toBe(0);
    // The next morning: the draft was never sent.
    at('2024-03-21T01:00:00Z');
    expect(await reports.overdueCandidates(100)).toEqual([{ reportId: ids['so-tai-chinh'], cityId: CITY }]);
    expect(await second.tick()).toBe(0); // the first instance holds the lock
    expect(await first.tick()).toBe(1);
    at('2024-03-22T01:00:00Z');
    expect(await first.tick()).toBe(0); // the second scan finds it marked
    await first.stop();
    expect(await second.tick()).toBe(0); // the other instance takes over and finds nothing left
    await second.stop();

    const history = await reports.history(ids['so-tai-chinh'], planning);
    expect(history.map((e) => e.type)).toEqual(['ReportRequested', 'ReportDraftSaved', 'ReportOverdue']);
    expect(history[2]).toMatchObject({
      data: { reportId: ids['so-tai-chinh'], dueOn: '2024-03-20', markedAt: '2024-03-21T01:00:00.000Z' },
      metadata: { actorId: 'system:report-scheduler', role: 'office' },
    });
    const row = await reports.get(ids['so-tai-chinh'], finance);
    expect(row).toMatchObject({ status: 'draft', overdue: true, overdueMarkedAt: '2024-03-21T01:00:00.000Z', late: false, version: 3 });
    expect(await reports.get(ids['so-tu-phap'], justice)).toMatchObject({ status: 'submitted', overdue: false, overdueMarkedAt: null });
    expect(await reports.countsOf(CITY)).toEqual({ byStatus: { draft: 1, submitted: 1 }, late: 0, overdue: 1 });

    // Sent late at last: no longer owed, still late, the mark kept.
    at('2024-03-25T02:00:00Z');
    expect(await reports.submit(ids['so-tai-chinh'], undefined, finance, { correlationId: 'c' })).toMatchObject({
      status: 'submitted',
      late: true,
      overdue: false,
      overdueMarkedAt: '2024-03-21T01:00:00.000Z',
    });
  });

  it('publishes the report events as valid mandate.reports.v1 CloudEvents, keyed by the report, drafts left out', async () => {
    at('2024-03-26T02:00:00Z');
    const before = appended;
    await reports.return(ids['so-tu-phap'], 'Thiếu số liệu chỉ tiêu', planning, { correlationId: 'return-1' });
    await reports.submit(ids['so-tu-phap'], undefined, justice, { correlationId: 'c' });
    await reports.accept(ids['so-tu-phap'], 'Đạt', planning, { correlationId: 'c' });
    await reports.requestForPlan(PLAN, '2024-Q1', planning, 'request-q1-again'); // nothing new: no nudge
    expect(appended - before).toBe(3); // each append nudges the publisher

    const source = reportingTopicSource(store);
    expect(source.topics).toEqual([REPORTS_TOPIC]);
    const messages = await published(() => source, 1000);
    // Page by page from a cold source: a report's later events read its request from the log.
    expect(await readAll(() => reportingTopicSource(store), 2)).toEqual(messages);

    for (const { event } of messages) expect([event.type, validateCloudEvent(event)]).toEqual([event.type, { valid: true, errors: [] }]);
    expect(new Set(messages.map((m) => m.event.type))).toEqual(
      new Set([REPORT_REQUESTED_V1, REPORT_SUBMITTED_V1, REPORT_RETURNED_V1, REPORT_ACCEPTED_V1, REPORT_OVERDUE_V1]),
    );
    for (const { topic, key, event } of messages) {
      const reportId = (event.data as { reportId: string }).reportId;
      expect({ topic, key, subject: event.subject, source: event.source, cityid: event.cityid }).toEqual({
        topic: REPORTS_TOPIC,
        key: `report-${reportId}`,
        subject: `report-${reportId}`,
        source: `/mandate/${CITY}/reporting`,
        cityid: CITY,
      });
    }

    const stored = await store.readStream(`report-${ids['so-tai-chinh']}`, { cityId: CITY });
    const finances = messages.filter((m) => m.key === `report-${ids['so-tai-chinh']}`);
    // Its draft published nothing; each message is the stored event (id, time, stream version).
    expect(finances.map((m) => [m.event.type, m.event.sequence])).toEqual([
      [REPORT_REQUESTED_V1, '1'],
      [REPORT_OVERDUE_V1, '3'],
      [REPORT_SUBMITTED_V1, '4'],
    ]);
    expect(finances.map((m) => m.event.id)).toEqual([stored.events[0].id, stored.events[2].id, stored.events[3].id]);
    const facts = { reportId: ids['so-tai-chinh'], planId: PLAN, agencyId: 'so-tai-chinh', periodKey: '2024-Q1', dueOn: '2024-03-20' };
    expect(finances.map((m) => m.event.data)).toEqual([
      { ...facts, planNumber: '40/KH-UBND', receiver: 'Sở Kế hoạch và Đầu tư', taskIds: [TASK_2], requestedAt: '2024-03-01T02:00:00.000Z' },
      { ...facts, markedAt: '2024-03-21T01:00:00.000Z' },
      { ...facts, submittedAt: '2024-03-25T02:00:00.000Z', late: true },
    ]);
    const justices = messages.filter((m) => m.key === `report-${ids['so-tu-phap']}`);
    expect(justices.map((m) => [m.event.type, m.event.data])).toEqual([
      [REPORT_REQUESTED_V1, expect.objectContaining({ agencyId: 'so-tu-phap', taskIds: [TASK_1] })],
      [REPORT_SUBMITTED_V1, expect.objectContaining({ submittedAt: '2024-03-15T02:00:00.000Z', late: false })],
      [REPORT_RETURNED_V1, expect.objectContaining({ reason: 'Thiếu số liệu chỉ tiêu', returnedAt: '2024-03-26T02:00:00.000Z' })],
      [REPORT_SUBMITTED_V1, expect.objectContaining({ late: true })],
      [
        REPORT_ACCEPTED_V1,
        {
          reportId: ids['so-tu-phap'],
          planId: PLAN,
          agencyId: 'so-tu-phap',
          periodKey: '2024-Q1',
          dueOn: '2024-03-20',
          acceptedAt: '2024-03-26T02:00:00.000Z',
        },
      ],
    ]);
    expect(justices[2].event.correlationid).toBe('return-1');
  });

  it('is what the relay sends to the broker, in log order, by one leader', async () => {
    const sent: OutgoingMessage[] = [];
    const relay = new Relay(
      ds,
      reportingTopicSource(store),
      { publish: async (batch) => void sent.push(...batch) },
      new PostgresLeaderLock(db.url, 'reporting-relay', logger),
      {
        schema: SCHEMA,
        logger,
        pollIntervalMs: 20,
      },
    );
    const expected = await published(() => reportingTopicSource(store), 1000);
    relay.start();
    try {
      await waitUntil(() => sent.length === expected.length);
    } finally {
      await relay.stop();
    }
    expect(sent).toEqual(expected);
  });

  it('marks each report once when two instances scan at the same instant (a lost lock)', async () => {
    // A month asked for after its sending day (20/4): both agencies owe it at once.
    at('2024-05-02T02:00:00Z');
    const { items } = await reports.requestForPlan(PLAN, '2024-M04', planning, 'request-m04');
    expect(items.map((r) => r.period.due)).toEqual(['2024-04-20', '2024-04-20']);
    const racing = [1, 2].map(() => new ReportOverdueScheduler(reports, alwaysLeader, { intervalMs: 60_000, logger }));
    expect((await Promise.all(racing.map((scheduler) => scheduler.tick()))).reduce((a, b) => a + b, 0)).toBe(items.length);
    for (const row of items) expect((await reports.history(row.id, planning)).filter((e) => e.type === 'ReportOverdue')).toHaveLength(1);
    expect(await racing[0].tick()).toBe(0);
  });
});
