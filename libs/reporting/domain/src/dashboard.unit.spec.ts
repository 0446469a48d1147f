import { dashboardOf } from './dashboard';
import { feed, PLAN } from './testing/feed.fixture';

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
    expect(board.byAgency.map((r) => [r.key, r.counts.assigned])).toEqual([['so-tu-phap', 2], ['so-tai-chinh', 1]]);
    expect(board.bySupervisor.map((r) => [r.name, r.counts.assigned])).toEqual([['PCT Dương Đức Tuấn', 2], ['Không ghi lãnh đạo phụ trách', 1]]);
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
});
