import { periodOfKey, periodEnd } from '@mandate/kernel';
import { TASK_EXTENSION_APPROVED_V1 } from '@mandate/plans-contracts';
import { consolidatePlan } from './consolidation';
import { planFeedAt } from './plan-feed';
import { planReportDocument } from './report-document';
import { feed, T1, T2, T3 } from './testing/feed.fixture';

describe("A plan's report from the plans service's published events", () => {
  const q1 = periodOfKey('2024-Q1')!;
  const q2 = periodOfKey('2024-Q2')!;

  it('lists the tasks in the order of the Phụ lục, as they stood at the cut-off, withdrawn ones out', () => {
    const report = consolidatePlan(planFeedAt(feed, periodEnd(q1)), periodEnd(q1), q1)!;
    expect(report.plan).toMatchObject({ number: '183/KH-UBND', issuer: 'UBND Thành phố Hà Nội' });
    expect(report.tasks.map((t) => [t.ref, t.status, t.timeliness, t.label])).toEqual([
      ['PL2.I.1', 'completed', 'completed_on_time', 'Hoàn thành đúng hạn'],
      ['PL2.I.2', 'in_progress', 'on_time', 'Đang thực hiện - trong hạn'],
      ['PL2.II.1', 'not_started', 'on_time', 'Chưa thực hiện'],
    ]);
    // A task published in the first contract version has no group, deliverable or supervisor.
    expect(report.tasks[2]).toMatchObject({ group: null, deliverable: null, supervisor: null });
    expect(report.tasks[1]).toMatchObject({ title: 'Ban hành quy chế phối hợp', progress: { percent: 60 }, adjustedAt: null });
  });

  it('counts per agency and per supervising leader as the monitoring report does (hand count)', () => {
    const report = consolidatePlan(planFeedAt(feed, periodEnd(q1)), periodEnd(q1), q1)!;
    expect(report.totals).toEqual({ assigned: 3, due: 1, completedOnTime: 1, completedLate: 0, openOnTime: 2, openOverdue: 0, cancelled: 0 });
    expect(report.byAgency.map((r) => [r.name, r.counts.assigned, r.counts.completedOnTime, r.counts.openOnTime])).toEqual([
      ['Sở Tư pháp', 2, 1, 1],
      ['Sở Tài chính', 1, 0, 1],
    ]);
    expect(report.bySupervisor.map((r) => [r.name, r.counts.assigned])).toEqual([
      ['PCT Dương Đức Tuấn', 2],
      ['Không ghi lãnh đạo phụ trách', 1],
    ]);
    expect(report.overdue).toEqual([]);
  });

  it('sees the next quarter through the events after the cut-off: the old vocabulary read, revisions marked, deadlines moved', () => {
    const report = consolidatePlan(planFeedAt(feed, periodEnd(q2)), periodEnd(q2), q2)!;
    expect(report.tasks.map((t) => [t.ref, t.status, t.timeliness])).toEqual([
      ['PL2.I.1', 'completed', 'completed_on_time'],
      ['PL2.I.2', 'in_progress', 'on_time'], // due 30/6, the data cut on 14/6
      ['PL2.II.1', 'paused', 'no_deadline'],
    ]);
    expect(report.tasks[1]).toMatchObject({
      title: 'Ban hành quy chế phối hợp liên ngành',
      adjustedAt: '2024-04-03T03:00:00Z',
      deadline: { due: '2024-06-30' },
    });
    // Without the extension the task would be overdue at the end of Q2.
    const unextended = consolidatePlan(
      planFeedAt(
        feed.filter((e) => e.type !== TASK_EXTENSION_APPROVED_V1),
        periodEnd(q2),
      ),
      periodEnd(q2),
      q2,
    )!;
    expect(unextended.overdue.map((t) => t.ref)).toEqual(['PL2.I.2']);
    expect(unextended.totals).toMatchObject({ due: 2, openOverdue: 1 });
  });

  it('is nothing before the plan was published', () => expect(consolidatePlan(planFeedAt([]), new Date(), null)).toBeNull());

  it('lays the report out as the appendix: groups I/II, numbered rows, Vietnamese dates and labels, counts tables', () => {
    const doc = planReportDocument(consolidatePlan(planFeedAt(feed, periodEnd(q1)), periodEnd(q1), q1)!);
    expect(doc.heading).toEqual([
      'UBND THÀNH PHỐ HÀ NỘI',
      'BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH SỐ 183/KH-UBND',
      'Thực hiện Chương trình số 06-CTr/TU',
      'Kỳ báo cáo: Quý I/2024 (số liệu từ 15/12/2023 đến 14/03/2024)',
    ]);
    const [appendix, byAgency, bySupervisor, overdue] = doc.tables;
    expect(appendix.columns.map((c) => c.header)).toEqual([
      'TT',
      'Nhiệm vụ',
      'Cơ quan chủ trì',
      'Cơ quan phối hợp',
      'Sản phẩm',
      'Thời hạn',
      'Tình hình thực hiện',
    ]);
    expect(appendix.rows).toEqual([
      { kind: 'group', label: 'I. Hoàn thiện thể chế' },
      {
        kind: 'row',
        cells: {
          tt: 1,
          title: 'Rà soát văn bản quy phạm pháp luật',
          lead: 'Sở Tư pháp',
          coordinators: 'Sở Tài chính',
          deliverable: 'Báo cáo UBND Thành phố',
          deadline: 'Tháng 2/2024',
          result: 'Hoàn thành đúng hạn (25/02/2024)',
        },
      },
      {
        kind: 'row',
        cells: {
          tt: 2,
          title: 'Ban hành quy chế phối hợp',
          lead: 'Sở Tư pháp',
          coordinators: 'Sở Tài chính',
          deliverable: 'Báo cáo UBND Thành phố',
          deadline: 'Quý I/2024',
          result: 'Đang thực hiện - trong hạn; 60%: Đã lấy ý kiến các sở',
        },
      },
      {
        kind: 'row',
        cells: {
          tt: 3,
          title: 'Đào tạo cán bộ',
          lead: 'Sở Tài chính',
          coordinators: 'Sở Tài chính',
          deliverable: '',
          deadline: 'Quý IV/2024',
          result: 'Chưa thực hiện',
        },
      },
    ]);
    expect(byAgency.rows.at(-1)).toEqual({
      kind: 'row',
      cells: { tt: null, name: 'Tổng cộng', assigned: 3, due: 1, completedOnTime: 1, completedLate: 0, openOnTime: 2, openOverdue: 0, cancelled: 0 },
    });
    expect(bySupervisor.title).toBe('Theo lãnh đạo phụ trách');
    expect(overdue.rows).toEqual([]);
  });

  it("gathers the agencies' reports of the period: results into the tasks, difficulties and proposals, unsent ones said so", () => {
    const sent = {
      agencyId: 'so-tu-phap',
      agencyName: 'Sở Tư pháp',
      status: 'accepted',
      late: true,
      submittedAt: '2024-03-21T02:00:00Z',
      content: {
        summary: 'Quý I đạt yêu cầu',
        tasks: [{ taskId: T2, progress: 70, result: 'Đã trình dự thảo quy chế', difficulties: 'Chậm góp ý của các sở', proposals: 'Gia hạn đến Quý II' }],
      },
    };
    const unsent = {
      agencyId: 'so-tai-chinh',
      agencyName: 'Sở Tài chính',
      status: 'returned',
      late: false,
      submittedAt: '2024-03-12T02:00:00Z',
      content: { summary: 'x', tasks: [{ taskId: T3, progress: 10, result: 'Chưa', difficulties: 'Không rõ', proposals: '' }] },
    };
    const report = consolidatePlan(planFeedAt(feed, periodEnd(q1)), periodEnd(q1), q1, undefined, [sent, unsent])!;
    expect(report.tasks.find((t) => t.ref === 'PL2.I.2')!.reported).toEqual({
      progress: 70,
      result: 'Đã trình dự thảo quy chế',
      difficulties: 'Chậm góp ý của các sở',
      proposals: 'Gia hạn đến Quý II',
    });
    expect(report.tasks.find((t) => t.ref === 'PL2.II.1')!.reported).toBeNull(); // a returned report says nothing yet
    expect(report.agencyReports.map((r) => [r.agencyName, r.difficulties, r.proposals])).toEqual([
      ['Sở Tư pháp', ['Chậm góp ý của các sở'], ['Gia hạn đến Quý II']],
      ['Sở Tài chính', [], []],
    ]);
    const doc = planReportDocument(report);
    expect(doc.tables[0].rows[2]).toMatchObject({ cells: { result: 'Đang thực hiện - trong hạn; 70%: Đã trình dự thảo quy chế' } });
    expect(doc.tables[5].rows).toEqual([
      {
        kind: 'row',
        cells: { tt: 1, agency: 'Sở Tư pháp', report: 'Đã tiếp nhận (gửi muộn)', difficulties: 'Chậm góp ý của các sở', proposals: 'Gia hạn đến Quý II' },
      },
      { kind: 'row', cells: { tt: 2, agency: 'Sở Tài chính', report: 'Trả lại', difficulties: '', proposals: '' } },
    ]);
  });

  it("rolls up the tasks of the city's other plans that carry a task out, as they stood", () => {
    const DISTRICT = '00000000-0000-4000-8000-0000000000d0';
    const CHILD = '00000000-0000-4000-8000-0000000000d1';
    const district = planFeedAt(
      [
        {
          type: 'vn.mandate.plan.issued.v1',
          time: '2024-01-20T02:00:00Z',
          data: {
            planId: DISTRICT,
            number: '15/KH-UBND',
            kind: 'plan',
            title: 'Kế hoạch của huyện',
            issuedOn: '2024-01-20',
            issuer: 'UBND huyện Bạch Long Vĩ',
            taskCount: 1,
            taskIds: [CHILD],
          },
        },
        {
          type: 'vn.mandate.task.issued.v2',
          time: '2024-01-20T02:00:00Z',
          data: {
            taskId: CHILD,
            planId: DISTRICT,
            planNumber: '15/KH-UBND',
            ref: '1',
            title: 'Rà soát văn bản của huyện',
            deadline: { text: 'Tháng 2/2024', kind: 'month', due: '2024-02-29' },
            status: 'not_started',
            group: null,
            deliverable: null,
            supervisor: null,
            note: null,
            issuedAt: '2024-01-20T02:00:00Z',
          },
        },
        {
          type: 'vn.mandate.task.linked.v1',
          time: '2024-01-21T02:00:00Z',
          data: { taskId: CHILD, planId: DISTRICT, parentTaskId: T1, linkedAt: '2024-01-21T02:00:00Z' },
        },
      ],
      periodEnd(q1),
    );
    const report = consolidatePlan(planFeedAt(feed, periodEnd(q1)), periodEnd(q1), q1, undefined, [], [], [district])!;
    expect(report.tasks.find((t) => t.taskId === T1)!.rollUp).toMatchObject({
      total: 1,
      completed: 0,
      overdue: 1,
      tasks: [{ planNumber: '15/KH-UBND', status: 'not_started', timeliness: 'overdue' }],
    });
    expect(report.tasks.find((t) => t.taskId === T2)!.rollUp).toBeNull();
    expect(planReportDocument(report).tables[0].rows[1]).toMatchObject({
      cells: { result: 'Hoàn thành đúng hạn (25/02/2024); Cấp dưới: 0/1 hoàn thành, 1 quá hạn' },
    });
  });
});
