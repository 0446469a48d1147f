import { countTask, emptyCounts, statusLabel, timelinessOf, type ReportingPeriod, type TaskCounts, type Timeliness } from '@mandate/kernel';
import type { IndicatorActual } from './agency-report/agency-report';
import { indicatorTable, type IndicatorRow, type PeriodActuals } from './indicators';
import type { PlanFeedState, ReportedPlan, ReportedTask } from './plan-feed';

/** What the lead agency's report of the period said about a task. */
export type TaskReported = { progress: number | null; result: string; difficulties: string; proposals: string };

/** A lower level's task that carries this one out (a district's for a city task), as it stood. */
export type CarriedOutBy = {
  planId: string;
  planNumber: string | null;
  issuer: string;
  taskId: string;
  ref: string;
  title: string;
  lead: string | null;
  status: string;
  timeliness: Timeliness;
  label: string;
};

/** The roll-up of a task over the tasks that carry it out: how many, how they stand. */
export type RollUp = { total: number; completed: number; overdue: number; tasks: CarriedOutBy[] };

export type ConsolidatedTask = ReportedTask & { timeliness: Timeliness; label: string; reported: TaskReported | null; rollUp: RollUp | null };

/** The other plans of the city (district plans and the like) as they stood, for roll-ups. */
export type LinkedPlans = readonly PlanFeedState[];

/** An agency's report of the period, as consolidation reads it (from reporting's own log). */
export type AgencyReportSummary = {
  agencyId: string;
  agencyName: string;
  status: string;
  late: boolean;
  submittedAt: string | null;
  content: { summary: string; tasks: readonly ({ taskId: string } & TaskReported)[]; indicators?: readonly IndicatorActual[] };
};

/** Reports of earlier periods of the plan, for indicator trends. */
export type EarlierReports = { period: string; reports: readonly AgencyReportSummary[] };

/** The agencies' reports gathered: whether each came in, and the difficulties and proposals they raised. */
export type GatheredReport = {
  agencyId: string;
  agencyName: string;
  status: string;
  late: boolean;
  submittedAt: string | null;
  summary: string;
  difficulties: string[];
  proposals: string[];
};

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
  agencyReports: GatheredReport[];
  indicators: IndicatorRow[];
};

/** Reports count once they were sent: a draft, a request not answered or a returned report says nothing yet. */
const COUNTED = new Set(['submitted', 'accepted']);

const NO_AGENCY = 'Chưa giao';

/** The indicator lines of the reports that were sent. */
const actualsOf = (reports: readonly AgencyReportSummary[]): PeriodActuals['lines'] =>
  reports
    .filter((r) => COUNTED.has(r.status))
    .flatMap((r) => (r.content.indicators ?? []).map((line) => ({ ...line, agencyId: r.agencyId, agencyName: r.agencyName })));
const NO_SUPERVISOR = 'Không ghi lãnh đạo phụ trách';

const countBy = (
  tasks: readonly ConsolidatedTask[],
  keyOf: (t: ConsolidatedTask) => { key: string; name: string },
  asOf: Date,
  dueSoonDays?: number,
): CountsRow[] => {
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

export const consolidatePlan = (
  feed: PlanFeedState,
  asOf: Date,
  period: ReportingPeriod | null,
  dueSoonDays?: number,
  reports: readonly AgencyReportSummary[] = [],
  earlier: readonly EarlierReports[] = [],
  linked: LinkedPlans = [],
): PlanReport | null => {
  if (!feed.plan) return null;
  const children = new Map<string, CarriedOutBy[]>();
  for (const other of linked) {
    if (!other.plan || other.plan.planId === feed.plan.planId) continue;
    for (const child of other.tasks) {
      if (child.withdrawn || !child.parentTaskId) continue;
      const timeliness = timelinessOf(child, asOf, dueSoonDays);
      const entry = {
        planId: other.plan.planId,
        planNumber: other.plan.number,
        issuer: other.plan.issuer,
        taskId: child.taskId,
        ref: child.ref,
        title: child.title,
        lead: child.lead?.name ?? null,
        status: child.status,
        timeliness,
        label: statusLabel(child.status, timeliness),
      };
      children.set(child.parentTaskId, [...(children.get(child.parentTaskId) ?? []), entry]);
    }
  }
  const rollUpOf = (taskId: string): RollUp | null => {
    const tasks = children.get(taskId);
    if (!tasks) return null;
    return {
      total: tasks.length,
      completed: tasks.filter((t) => t.status === 'completed').length,
      overdue: tasks.filter((t) => t.timeliness === 'overdue').length,
      tasks,
    };
  };
  const reportedTasks = new Map<string, TaskReported>();
  for (const report of reports) {
    if (!COUNTED.has(report.status)) continue;
    for (const { taskId, ...item } of report.content.tasks) reportedTasks.set(taskId, item);
  }
  const tasks = feed.tasks
    .filter((t) => !t.withdrawn)
    .map((t) => {
      const timeliness = timelinessOf(t, asOf, dueSoonDays);
      return { ...t, timeliness, label: statusLabel(t.status, timeliness), reported: reportedTasks.get(t.taskId) ?? null, rollUp: rollUpOf(t.taskId) };
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
    indicators: indicatorTable(
      feed.indicators,
      Number((period?.to ?? asOf.toISOString()).slice(0, 4)),
      actualsOf(reports),
      earlier.map((e) => ({ period: e.period, lines: actualsOf(e.reports) })),
    ),
    agencyReports: reports.map((r) => {
      const counted = COUNTED.has(r.status);
      return {
        agencyId: r.agencyId,
        agencyName: r.agencyName,
        status: r.status,
        late: r.late,
        submittedAt: r.submittedAt,
        summary: counted ? r.content.summary : '',
        difficulties: counted ? r.content.tasks.map((t) => t.difficulties).filter(Boolean) : [],
        proposals: counted ? r.content.tasks.map((t) => t.proposals).filter(Boolean) : [],
      };
    }),
  };
};
