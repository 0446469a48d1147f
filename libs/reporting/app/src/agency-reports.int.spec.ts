// Report requests from repeating duties: the plans service's task.occurrence-opened, through the feed.
import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@mandate/event-store';
import type { CloudEvent } from '@mandate/messaging';
import { PLAN_ISSUED_V1, TASK_ASSIGNED_V1, TASK_ISSUED_V2, TASK_OCCURRENCE_OPENED_V1, validateCloudEvent } from '@mandate/plans-contracts';
import { openServiceDatabase } from '@mandate/runtime';
import { aCloudEvent, createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { AgencyReports, agencyReportsMigration, periodOfOccurrence, receiverOf } from './agency-reports';
import { PlanFeedStore, planFeedMigration } from './plan-feed.store';

const SCHEMA = 'reporting';
const PLAN = randomUUID();
const TASK = randomUUID();
const event = (type: string, data: unknown, cityid = 'hai-phong'): CloudEvent => {
  const e = aCloudEvent(type, data, { cityid, time: '2024-01-10T02:00:00.000Z' });
  expect(validateCloudEvent(e)).toEqual({ valid: true, errors: [] });
  return e;
};
const office = { agencyId: 'phong-van-hoa', name: 'Phòng Văn hóa và Thông tin' };
const feedEvents = [
  event(PLAN_ISSUED_V1, {
    planId: PLAN,
    number: '35/KH-UBND',
    kind: 'plan',
    title: 'Kế hoạch chuyển đổi số',
    issuedOn: '2024-01-05',
    issuer: 'UBND huyện Bạch Long Vĩ',
    taskCount: 1,
    taskIds: [TASK],
  }),
  event(TASK_ISSUED_V2, {
    taskId: TASK,
    planId: PLAN,
    planNumber: '35/KH-UBND',
    ref: 'II.1',
    status: 'not_started',
    title: 'Tháng đầu mỗi quý có báo cáo kết quả thực hiện gửi về Phòng Kinh tế và Hạ tầng để tổng hợp',
    deadline: { text: 'Tháng đầu mỗi quý', kind: 'recurring', due: null },
    group: null,
    deliverable: null,
    supervisor: null,
    note: null,
    issuedAt: '2024-01-10T02:00:00.000Z',
  }),
  event(TASK_ASSIGNED_V1, {
    taskId: TASK,
    planId: PLAN,
    lead: { agencyId: office.agencyId, name: office.name, resolution: 'resolved' },
    coordinators: [],
    previousLeadAgencyId: null,
  }),
];
const opened = (occurrence: number, periodStart: string, due: string) =>
  event(TASK_OCCURRENCE_OPENED_V1, { taskId: TASK, planId: PLAN, occurrence, periodStart, due, kind: 'report', openedAt: `${periodStart}T00:00:00.000Z` });

describe('Report requests from a repeating duty', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let reports: AgencyReports;
  let feed: PlanFeedStore;

  beforeAll(async () => {
    db = await createTestDatabase('agency_reports');
    ds = await openServiceDatabase({
      url: db.url,
      schema: SCHEMA,
      migrations: [...PostgresEventStore.migrations(SCHEMA), planFeedMigration(SCHEMA), agencyReportsMigration(SCHEMA)],
    });
    feed = new PlanFeedStore(ds, SCHEMA);
    reports = new AgencyReports(
      ds,
      SCHEMA,
      new PostgresEventStore(ds, { schema: SCHEMA }),
      feed,
      () => ({}),
      () => new Date('2024-04-01T02:00:00Z'),
    );
    for (const e of feedEvents) await feed.append(e);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('asks the lead agency once per period, addressed to the receiver the duty names, through redelivery', async () => {
    const q2 = opened(2, '2024-04-01', '2024-06-30');
    await feed.append(q2);
    expect(await reports.requestForOccurrence(q2)).toBe(true);
    expect(await reports.requestForOccurrence(q2)).toBe(false); // redelivered
    expect(await reports.requestForOccurrence({ ...q2, id: randomUUID() })).toBe(false); // the same period again, another message
    const q3 = opened(3, '2024-07-01', '2024-09-30');
    expect(await reports.requestForOccurrence(q3)).toBe(true);
    const rows = await reports.list({ userId: 'p', role: 'planning', agencyId: null, cityId: 'hai-phong' }, { planId: PLAN });
    expect(rows.map((r) => [r.period.key, r.agency.agencyId, r.receiver, r.status])).toEqual([
      ['2024-Q2', 'phong-van-hoa', 'Phòng Kinh tế và Hạ tầng', 'requested'],
      ['2024-Q3', 'phong-van-hoa', 'Phòng Kinh tế và Hạ tầng', 'requested'],
    ]);
    const history = await reports.history(rows[0].id, { userId: 'p', role: 'planning', agencyId: null, cityId: 'hai-phong' });
    expect(history[0].metadata).toMatchObject({ actorId: 'system:reporting', causationId: q2.id });
    // Another city sees none of it.
    expect(await reports.list({ userId: 'p', role: 'planning', agencyId: null, cityId: 'ha-noi' }, { planId: PLAN })).toEqual([]);
  });

  it('ignores other events and tasks it knows nothing of', async () => {
    expect(await reports.requestForOccurrence(feedEvents[1])).toBe(false);
    const stranger = event(TASK_OCCURRENCE_OPENED_V1, {
      taskId: randomUUID(),
      planId: PLAN,
      occurrence: 1,
      periodStart: '2024-01-01',
      due: '2024-03-31',
      kind: 'report',
      openedAt: '2024-01-01T00:00:00.000Z',
    });
    expect(await reports.requestForOccurrence(stranger)).toBe(false);
  });
});

describe('Where a duty reports, and for which period', () => {
  const plan = (issuer: string) => ({ planId: PLAN, number: '1/KH-UBND', kind: 'plan', title: 't', issuedOn: '2024-01-01', issuer });
  it('reads the receiver from the duty, else the planning office of the plan’s level', () => {
    expect(receiverOf(plan('UBND thành phố Hải Phòng'))).toBe('Sở Kế hoạch và Đầu tư');
    expect(receiverOf(plan('UBND huyện Bạch Long Vĩ'))).toBe('Phòng Tài chính - Kế hoạch');
    const task = { title: 'Định kỳ hàng năm báo cáo kết quả gửi Sở Thông tin và Truyền thông trước ngày 15/12' } as never;
    expect(receiverOf(plan('UBND thành phố Hải Phòng'), task)).toBe('Sở Thông tin và Truyền thông');
  });
  it('maps an occurrence to the period of its length ending in its last month', () => {
    expect(periodOfOccurrence({ periodStart: '2024-01-01', due: '2024-03-31' })?.key).toBe('2024-Q1');
    expect(periodOfOccurrence({ periodStart: '2024-01-01', due: '2024-12-31' })?.key).toBe('2024-Y');
    expect(periodOfOccurrence({ periodStart: '2024-05-01', due: '2024-05-31' })?.key).toBe('2024-M05');
    expect(periodOfOccurrence({ periodStart: '2024-07-01', due: '2024-12-31' })?.key).toBe('2024-H2');
  });
  it("counts a weekly duty's occurrence in the month of its due day, a week across two months too", () => {
    // Given weeks from Monday, due on their Friday (thứ Sáu hằng tuần)
    // Then each belongs to the monthly period that holds its due day, not to a quarter
    expect(periodOfOccurrence({ periodStart: '2024-04-22', due: '2024-04-26' })?.key).toBe('2024-M04');
    expect(periodOfOccurrence({ periodStart: '2024-04-29', due: '2024-05-03' })?.key).toBe('2024-M05');
    expect(periodOfOccurrence({ periodStart: '2024-12-30', due: '2025-01-03' })?.key).toBe('2025-M01');
    // And a Monday due (thứ Hai hằng tuần) is its own week's first day
    expect(periodOfOccurrence({ periodStart: '2024-09-30', due: '2024-09-30' })?.key).toBe('2024-M09');
  });
});
