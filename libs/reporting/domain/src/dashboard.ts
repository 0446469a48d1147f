import { countTask, emptyCounts, timelinessOf, type TaskCounts } from '@mandate/kernel';
import { planFeedAt, planNumberLabel, type FeedEvent, type ReportedPlan, type ReportedTask } from './plan-feed';

/**
 * `agencies`: whose the tasks count as when agencies merged — `current`, the successor's from the
 * hand-over on; `former`, the old split, each task under the agency that held it before.
 */
export type DashboardFilter = { planId?: string; agencyId?: string; supervisor?: string; agencies?: 'current' | 'former' };

/** The lead a task counts under, by the dashboard's choice of split. */
const leadFor = (task: ReportedTask, agencies: DashboardFilter['agencies']) => (agencies === 'former' ? (task.formerLead ?? task.lead) : task.lead);

export type DashboardRow = { key: string; name: string; counts: TaskCounts };

/**
 * What a city's leaders look at: the monitoring counts as of an instant, in total, per plan, per
 * lead agency and per supervising leader, plus by timeliness for the status chart, and the same
 * totals at each point of a series (for trend lines) — all folded from the published events.
 */
export type Dashboard = {
  asOf: string;
  totals: TaskCounts;
  byTimeliness: Record<string, number>;
  byStatus: Record<string, number>;
  byPlan: DashboardRow[];
  byAgency: DashboardRow[];
  bySupervisor: DashboardRow[];
  series: { at: string; counts: TaskCounts }[];
};

export type PlanEvents = { planId: string; events: readonly FeedEvent[] };

const add = (rows: Map<string, DashboardRow>, key: string, name: string, task: Parameters<typeof countTask>[1], at: Date, dueSoonDays?: number) => {
  const row = rows.get(key) ?? { key, name, counts: emptyCounts() };
  row.counts = countTask(row.counts, task, at, dueSoonDays);
  rows.set(key, row);
};

const ranked = (rows: Map<string, DashboardRow>) =>
  [...rows.values()].sort((a, b) => b.counts.assigned - a.counts.assigned || a.name.localeCompare(b.name, 'vi'));

/** The city's tasks as they stood at `at`, filtered. */
const tasksAt = (plans: readonly PlanEvents[], at: Date, filter: DashboardFilter) =>
  plans.flatMap(({ events }) => {
    const { plan, tasks } = planFeedAt(events, at);
    if (!plan || (filter.planId && plan.planId !== filter.planId)) return [];
    return tasks
      .filter((t) => !t.withdrawn)
      .filter((t) => !filter.agencyId || leadFor(t, filter.agencies)?.agencyId === filter.agencyId)
      .filter((t) => !filter.supervisor || t.supervisor === filter.supervisor)
      .map((task) => ({ plan: plan as ReportedPlan, task }));
  });

export const dashboardOf = (
  plans: readonly PlanEvents[],
  asOf: Date,
  seriesAt: readonly Date[],
  filter: DashboardFilter = {},
  dueSoonDays?: number,
): Dashboard => {
  const now = tasksAt(plans, asOf, filter);
  const byPlan = new Map<string, DashboardRow>();
  const byAgency = new Map<string, DashboardRow>();
  const bySupervisor = new Map<string, DashboardRow>();
  const byTimeliness: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  let totals = emptyCounts();
  for (const { plan, task } of now) {
    totals = countTask(totals, task, asOf, dueSoonDays);
    add(byPlan, plan.planId, planNumberLabel(plan.number), task, asOf, dueSoonDays);
    const lead = leadFor(task, filter.agencies);
    add(byAgency, lead?.agencyId ?? lead?.name ?? '', lead?.name ?? 'Chưa giao', task, asOf, dueSoonDays);
    add(bySupervisor, task.supervisor ?? '', task.supervisor ?? 'Không ghi lãnh đạo phụ trách', task, asOf, dueSoonDays);
    const timeliness = timelinessOf(task, asOf, dueSoonDays);
    byTimeliness[timeliness] = (byTimeliness[timeliness] ?? 0) + 1;
    byStatus[task.status] = (byStatus[task.status] ?? 0) + 1;
  }
  return {
    asOf: asOf.toISOString(),
    totals,
    byTimeliness,
    byStatus,
    byPlan: ranked(byPlan),
    byAgency: ranked(byAgency),
    bySupervisor: ranked(bySupervisor),
    series: seriesAt.map((at) => ({
      at: at.toISOString(),
      counts: tasksAt(plans, at, filter).reduce((c, { task }) => countTask(c, task, at, dueSoonDays), emptyCounts()),
    })),
  };
};
