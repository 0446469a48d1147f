import { PLAN_ISSUED_V2, PLAN_NUMBERED_V1, TASK_ISSUED_V3 } from '@mandate/plans-contracts';
import { consolidatePlan } from './consolidation';
import { dashboardOf } from './dashboard';
import { planFeedAt, type FeedEvent } from './plan-feed';
import { planReportDocument } from './report-document';
import { PLAN, T1 } from './testing/feed.fixture';

// A copy before signing the office tracks as it is (plan.issued.v2, number and date null), then its
// signed version imported as its amendment (plan.numbered.v1).
const issued: FeedEvent = {
  type: PLAN_ISSUED_V2,
  time: '2024-01-05T02:00:00Z',
  data: {
    planId: PLAN,
    number: null,
    kind: 'plan',
    title: 'Thực hiện Chương trình số 06-CTr/TU',
    issuedOn: null,
    issuer: 'UBND Thành phố Hà Nội',
    taskCount: 1,
    taskIds: [T1],
  },
};
const task: FeedEvent = {
  type: TASK_ISSUED_V3,
  time: '2024-01-05T02:00:00Z',
  data: {
    taskId: T1,
    planId: PLAN,
    planNumber: null,
    ref: 'PL2.I.1',
    title: 'Rà soát văn bản quy phạm pháp luật',
    group: null,
    deliverable: null,
    deadline: { text: 'Quý I/2024', kind: 'quarter', due: '2024-03-31' },
    supervisor: null,
    note: null,
    status: 'not_started',
    issuedAt: '2024-01-05T02:00:00Z',
  },
};
const numbered: FeedEvent = {
  type: PLAN_NUMBERED_V1,
  time: '2024-01-20T02:00:00Z',
  data: { planId: PLAN, number: '183/KH-UBND', issuedOn: '2024-01-19', numberedAt: '2024-01-20T02:00:00Z' },
};

describe('A plan tracked before signing, in reports', () => {
  it('is reported without number or date, its tasks as any others', () => {
    const state = planFeedAt([issued, task], new Date('2024-01-10T00:00:00Z'));
    expect(state.plan).toMatchObject({ planId: PLAN, number: null, issuedOn: null });
    expect(state.tasks.map((t) => t.taskId)).toEqual([T1]);
  });

  it('prints "Chưa có số" where a report names its number', () => {
    const asOf = new Date('2024-01-10T00:00:00Z');
    const doc = planReportDocument(consolidatePlan(planFeedAt([issued, task], asOf), asOf, null)!);
    expect(doc.heading[1]).toBe('BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH (CHƯA CÓ SỐ)');
    expect(doc.name).toMatch(/^bao-cao-chua-co-so-/);
    expect(dashboardOf([{ planId: PLAN, events: [issued, task] }], asOf, []).byPlan).toEqual([expect.objectContaining({ name: 'Chưa có số' })]);
  });

  it('takes the number and date its signed version gives, from then on', () => {
    expect(planFeedAt([issued, task, numbered], new Date('2024-01-10T00:00:00Z')).plan).toMatchObject({ number: null, issuedOn: null });
    expect(planFeedAt([issued, task, numbered], new Date('2024-02-01T00:00:00Z')).plan).toMatchObject({ number: '183/KH-UBND', issuedOn: '2024-01-19' });
  });
});
