import { TASK_ASSIGNED_V2 } from '@mandate/plans-contracts';
import { dashboardOf } from './dashboard';
import type { FeedEvent } from './plan-feed';
import { feed, PLAN, T2, T3 } from './testing/feed.fixture';

describe("A city's dashboard, folded from the published events", () => {
  const plans = [{ planId: PLAN, events: feed }];
  // 14 March 2024 (Q1's cut-off), with monthly points back to December 2023.
  const asOf = new Date('2024-03-14T16:59:59.999Z');
  const months = ['2023-12-14', '2024-01-14', '2024-02-14', '2024-03-14'].map((d) => new Date(`${d}T16:59:59.999Z`));

  it('counts in total, by status and timeliness, per plan, agency and leader', () => {
    const board = dashboardOf(plans, asOf, [asOf]);
    expect(board.totals).toEqual({ assigned: 3, due: 1, completedOnTime: 1, completedLate: 0, openOnTime: 2, openOverdue: 0, cancelled: 0 });
    expect(board.byStatus).toEqual({ completed: 1, in_progress: 1, not_started: 1 });
    expect(board.byTimeliness).toEqual({ completed_on_time: 1, on_time: 2 });
    expect(board.byPlan.map((r) => [r.name, r.counts.assigned])).toEqual([['183/KH-UBND', 3]]);
    expect(board.byAgency.map((r) => [r.key, r.counts.assigned])).toEqual([
      ['so-tu-phap', 2],
      ['so-tai-chinh', 1],
    ]);
    expect(board.bySupervisor.map((r) => [r.name, r.counts.assigned])).toEqual([
      ['PCT Dương Đức Tuấn', 2],
      ['Không ghi lãnh đạo phụ trách', 1],
    ]);
  });

  it('draws the series from what was known at each point', () => {
    const board = dashboardOf(plans, asOf, months);
    expect(board.series.map((p) => [p.at.slice(0, 10), p.counts.assigned, p.counts.completedOnTime])).toEqual([
      ['2023-12-14', 0, 0], // the plan was not issued yet
      ['2024-01-14', 4, 0], // the task withdrawn on 1/2 still counted
      ['2024-02-14', 3, 0],
      ['2024-03-14', 3, 1],
    ]);
  });

  it("narrows to one agency's or one leader's tasks", () => {
    expect(dashboardOf(plans, asOf, [], { agencyId: 'so-tai-chinh' }).totals.assigned).toBe(1);
    expect(dashboardOf(plans, asOf, [], { supervisor: 'PCT Dương Đức Tuấn' }).totals).toMatchObject({ assigned: 2, completedOnTime: 1 });
    expect(dashboardOf(plans, asOf, [], { planId: 'another' }).totals.assigned).toBe(0);
  });

  describe('after agencies merged (Sở Tư pháp into Sở Tài chính from 1 March 2024, its open task handed over on 5 March)', () => {
    const handOver = (
      taskId: string,
      reason: string | null,
      succession: { predecessorAgencyIds: string[]; effectiveOn: string | null } | null,
      lead = 'so-tai-chinh',
      previous = 'so-tu-phap',
      time = '2024-03-05T03:00:00Z',
    ): FeedEvent => ({
      type: TASK_ASSIGNED_V2,
      time,
      data: {
        taskId,
        planId: PLAN,
        lead: { agencyId: lead, name: lead === 'so-tai-chinh' ? 'Sở Tài chính' : 'Sở Nội vụ', resolution: 'resolved' },
        coordinators: [],
        previousLeadAgencyId: previous,
        reason,
        succession,
      },
    });
    const merger = { predecessorAgencyIds: ['so-tu-phap'], effectiveOn: '2024-03-01' };
    const merged = [{ planId: PLAN, events: [...feed, handOver(T2, 'Sáp nhập Sở Tư pháp vào Sở Tài chính từ ngày 01/03/2024', merger)] }];

    it('counts the handed-over task under the successor, and under its former agency when the old split is asked for', () => {
      expect(dashboardOf(merged, asOf, []).byAgency.map((r) => [r.key, r.counts.assigned])).toEqual([
        ['so-tai-chinh', 2],
        ['so-tu-phap', 1],
      ]);
      expect(dashboardOf(merged, asOf, [], { agencies: 'former' }).byAgency.map((r) => [r.key, r.counts.assigned])).toEqual([
        ['so-tu-phap', 2],
        ['so-tai-chinh', 1],
      ]);
      expect(dashboardOf(merged, asOf, [], { agencies: 'former', agencyId: 'so-tu-phap' }).totals.assigned).toBe(2);
      // Before the hand-over the task was the predecessor's in either view.
      expect(dashboardOf(merged, new Date('2024-03-04T00:00:00Z'), []).byAgency.map((r) => [r.key, r.counts.assigned])).toEqual([
        ['so-tu-phap', 2],
        ['so-tai-chinh', 1],
      ]);
    });

    it("keeps the first predecessor through a second merger, and ends the old split at the office's own reassignment", () => {
      const again = [
        {
          planId: PLAN,
          events: [
            ...merged[0].events,
            handOver(
              T2,
              'Sáp nhập lần hai',
              { predecessorAgencyIds: ['so-tai-chinh'], effectiveOn: null },
              'so-noi-vu',
              'so-tai-chinh',
              '2024-03-06T03:00:00Z',
            ),
          ],
        },
      ];
      expect(dashboardOf(again, asOf, [], { agencies: 'former' }).byAgency.find((r) => r.key === 'so-tu-phap')?.counts.assigned).toBe(2);
      const reassigned = [{ planId: PLAN, events: [...merged[0].events, handOver(T2, null, null, 'so-noi-vu', 'so-tai-chinh', '2024-03-06T03:00:00Z')] }];
      expect(dashboardOf(reassigned, asOf, [], { agencies: 'former' }).byAgency.map((r) => [r.key, r.counts.assigned])).toEqual([
        ['so-noi-vu', 1],
        ['so-tai-chinh', 1],
        ['so-tu-phap', 1],
      ]);
    });

    it('reads a v1 assignment as the office’s own choice', () => {
      const plain = [{ planId: PLAN, events: [...feed, { ...handOver(T3, null, null, 'so-tu-phap', 'so-tai-chinh'), type: 'vn.mandate.task.assigned.v1' }] }];
      expect(dashboardOf(plain, asOf, [], { agencies: 'former' }).byAgency.map((r) => [r.key, r.counts.assigned])).toEqual([['so-tu-phap', 3]]);
    });
  });
});
