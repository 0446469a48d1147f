import { countTask, emptyCounts, statusLabel, timelinessOf, type ReportingPeriod, type TaskCounts, type Timeliness } from '@mandate/kernel';
import type { PlanFeedState, ReportedPlan, ReportedTask } from './plan-feed';

export type ConsolidatedTask = ReportedTask & { timeliness: Timeliness; label: string };

export type CountsRow = { key: string; name: string; counts: TaskCounts };

/**
 * The planning department's report of a plan for a period (báo cáo tổng hợp): every task as it stood
 * when the period's data were cut off, the counts the monitoring report gives (đã giao, đến hạn,
 * hoàn thành đúng hạn / quá hạn, chưa hoàn thành trong hạn / quá hạn) in total, per lead agency and
 * per supervising leader, and the overdue tasks.
 */
export type PlanReport = {
  plan: ReportedPlan;
  period: ReportingPeriod | null;
  asOf: string;
  totals: TaskCounts;
  byAgency: CountsRow[];
  bySupervisor: CountsRow[];
  tasks: ConsolidatedTask[];
  overdue: ConsolidatedTask[];
};

const NO_AGENCY = 'Chưa giao';
const NO_SUPERVISOR = 'Không ghi lãnh đạo phụ trách';

const countBy = (tasks: readonly ConsolidatedTask[], keyOf: (t: ConsolidatedTask) => { key: string; name: string }, asOf: Date, dueSoonDays?: number): CountsRow[] => {
  const rows = new Map<string, CountsRow>();
  for (const task of tasks) {
    const { key, name } = keyOf(task);
    const row = rows.get(key) ?? { key, name, counts: emptyCounts() };
    row.counts = countTask(row.counts, task, asOf, dueSoonDays);
    rows.set(key, row);
  }
  // Most tasks first, as reports rank agencies; ties by name.
  return [...rows.values()].sort((a, b) => b.counts.assigned - a.counts.assigned || a.name.localeCompare(b.name, 'vi'));
};

export const consolidatePlan = (feed: PlanFeedState, asOf: Date, period: ReportingPeriod | null, dueSoonDays?: number): PlanReport | null => {
  if (!feed.plan) return null;
  const tasks = feed.tasks
    .filter((t) => !t.withdrawn)
    .map((t) => {
      const timeliness = timelinessOf(t, asOf, dueSoonDays);
      return { ...t, timeliness, label: statusLabel(t.status, timeliness) };
    });
  return {
    plan: feed.plan,
    period,
    asOf: asOf.toISOString(),
    totals: tasks.reduce((counts, t) => countTask(counts, t, asOf, dueSoonDays), emptyCounts()),
    byAgency: countBy(tasks, (t) => ({ key: t.lead?.agencyId ?? t.lead?.name ?? '', name: t.lead?.name ?? NO_AGENCY }), asOf, dueSoonDays),
    bySupervisor: countBy(tasks, (t) => ({ key: t.supervisor ?? '', name: t.supervisor ?? NO_SUPERVISOR }), asOf, dueSoonDays),
    tasks,
    overdue: tasks.filter((t) => t.timeliness === 'overdue'),
  };
};
