import { format, parseISO } from 'date-fns';
import { ADJUSTED_LABEL, localDayOf, type TaskCounts } from '@mandate/kernel';
import type { ReportColumn, ReportDocument, ReportRow, ReportTable } from '@mandate/documents';
import type { ConsolidatedTask, CountsRow, PlanReport } from './consolidation';
import { ACHIEVEMENT_LABELS, TREND_LABELS } from './indicators';
import { planNumberLabel } from './plan-feed';

/** Dates as Vietnamese documents write them. */
export const vietnameseDate = (day: string): string => format(parseISO(day), 'dd/MM/yyyy');

const dayInVietnam = (instant: string): string => localDayOf(new Date(instant));

/** The columns of the seeds' appendices (Phụ lục), plus the report's own. */
export const APPENDIX_COLUMNS: readonly ReportColumn[] = [
  { key: 'tt', header: 'TT', width: 6 },
  { key: 'title', header: 'Nhiệm vụ', width: 48 },
  { key: 'lead', header: 'Cơ quan chủ trì', width: 22 },
  { key: 'coordinators', header: 'Cơ quan phối hợp', width: 26 },
  { key: 'deliverable', header: 'Sản phẩm', width: 22 },
  { key: 'deadline', header: 'Thời hạn', width: 16 },
  { key: 'result', header: 'Tình hình thực hiện', width: 36 },
];

const COUNT_COLUMNS: readonly ReportColumn[] = [
  { key: 'assigned', header: 'Đã giao', width: 10 },
  { key: 'due', header: 'Đến hạn', width: 10 },
  { key: 'completedOnTime', header: 'Hoàn thành đúng hạn', width: 14 },
  { key: 'completedLate', header: 'Hoàn thành quá hạn', width: 14 },
  { key: 'openOnTime', header: 'Chưa hoàn thành trong hạn', width: 16 },
  { key: 'openOverdue', header: 'Chưa hoàn thành quá hạn', width: 16 },
];

/** How an agency's report stands, in the words of the office. */
export const REPORT_STATUS_LABELS: Readonly<Record<string, string>> = {
  requested: 'Chưa gửi',
  draft: 'Đang soạn',
  submitted: 'Đã gửi',
  accepted: 'Đã tiếp nhận',
  returned: 'Trả lại',
};

const deadlineCell = (task: ConsolidatedTask): string => {
  if (task.deadline.text) return task.deadline.text;
  return task.deadline.due ? vietnameseDate(task.deadline.due) : '';
};

/** What the "Tình hình thực hiện" column says: the status at the cut-off, its date, the last progress report. */
export const resultCell = (task: ConsolidatedTask): string => {
  const parts = [task.label];
  if (task.completedAt) parts[0] += ` (${vietnameseDate(dayInVietnam(task.completedAt))})`;
  if (task.adjustedAt) parts.push(ADJUSTED_LABEL);
  // The agency's report of the period says more than the last progress note.
  if (task.reported?.result) parts.push(task.reported.progress === null ? task.reported.result : `${task.reported.progress}%: ${task.reported.result}`);
  else if (task.progress && task.status !== 'completed') parts.push(`${task.progress.percent}%: ${task.progress.text}`);
  if (task.rollUp)
    parts.push(`Cấp dưới: ${task.rollUp.completed}/${task.rollUp.total} hoàn thành${task.rollUp.overdue ? `, ${task.rollUp.overdue} quá hạn` : ''}`);
  return parts.join('; ');
};

const taskRows = (tasks: readonly ConsolidatedTask[], withGroups: boolean): ReportRow[] => {
  const rows: ReportRow[] = [];
  let group: string | null = null;
  let n = 0;
  for (const task of tasks) {
    if (withGroups && task.group && task.group !== group) {
      group = task.group;
      rows.push({ kind: 'group', label: task.group });
    }
    n += 1;
    rows.push({
      kind: 'row',
      cells: {
        tt: n,
        title: task.title,
        lead: task.lead?.name ?? '',
        coordinators: task.coordinators.map((c) => c.name).join('; '),
        deliverable: task.deliverable ?? '',
        deadline: deadlineCell(task),
        result: resultCell(task),
      },
    });
  }
  return rows;
};

const countsTable = (title: string, first: string, rows: readonly CountsRow[], totals: TaskCounts): ReportTable => ({
  title,
  columns: [{ key: 'tt', header: 'TT', width: 6 }, { key: 'name', header: first, width: 36 }, ...COUNT_COLUMNS],
  rows: [
    ...rows.map((row, i): ReportRow => ({ kind: 'row', cells: { tt: i + 1, name: row.name, ...row.counts } })),
    { kind: 'row', cells: { tt: null, name: 'Tổng cộng', ...totals } },
  ],
});

/** The consolidated report laid out as offices exchange it; every format renders this. */
export const planReportDocument = (report: PlanReport): ReportDocument => {
  const { plan, period } = report;
  const cut = period
    ? `${period.label} (số liệu từ ${vietnameseDate(period.from)} đến ${vietnameseDate(period.to)})`
    : `đến ngày ${vietnameseDate(dayInVietnam(report.asOf))}`;
  return {
    name: `bao-cao-${(plan.number ?? `chua-co-so-${plan.planId.slice(0, 8)}`).replace(/[^A-Za-z0-9]+/g, '-')}${period ? `-${period.key}` : ''}`.toLowerCase(),
    heading: [
      plan.issuer.toUpperCase(),
      `BÁO CÁO TÌNH HÌNH THỰC HIỆN ${plan.kind === 'directive' ? 'CHỈ THỊ' : 'KẾ HOẠCH'} ${plan.number === null ? `(${planNumberLabel(null).toUpperCase()})` : `SỐ ${plan.number}`}`,
      plan.title,
      `Kỳ báo cáo: ${cut}`,
    ],
    tables: [
      { title: 'Tình hình thực hiện nhiệm vụ', columns: APPENDIX_COLUMNS, rows: taskRows(report.tasks, true) },
      countsTable('Theo cơ quan chủ trì', 'Cơ quan chủ trì', report.byAgency, report.totals),
      countsTable('Theo lãnh đạo phụ trách', 'Lãnh đạo UBND phụ trách', report.bySupervisor, report.totals),
      { title: 'Nhiệm vụ quá hạn', columns: APPENDIX_COLUMNS, rows: taskRows(report.overdue, false) },
      {
        title: 'Chỉ tiêu',
        columns: [
          { key: 'tt', header: 'TT', width: 6 },
          { key: 'name', header: 'Chỉ tiêu', width: 44 },
          { key: 'unit', header: 'Đơn vị tính', width: 12 },
          { key: 'target', header: 'Mục tiêu', width: 16 },
          { key: 'actual', header: 'Thực hiện', width: 14 },
          { key: 'achievement', header: 'Đánh giá', width: 12 },
          { key: 'trend', header: 'Xu hướng', width: 12 },
          { key: 'lead', header: 'Cơ quan chủ trì', width: 22 },
        ],
        rows: report.indicators.map((row, i): ReportRow => ({
          kind: 'row',
          cells: {
            tt: i + 1,
            name: row.name,
            unit: row.unit ?? '',
            target: row.target ? `${row.target.text}${row.target.horizon ? ` (${row.target.horizon})` : ''}` : '',
            actual: row.actual ?? '',
            achievement: row.achievement ? ACHIEVEMENT_LABELS[row.achievement] : '',
            trend: row.trend ? TREND_LABELS[row.trend] : '',
            lead: row.lead?.name ?? '',
          },
        })),
      },
      {
        title: 'Khó khăn, vướng mắc và đề xuất',
        columns: [
          { key: 'tt', header: 'TT', width: 6 },
          { key: 'agency', header: 'Cơ quan', width: 28 },
          { key: 'report', header: 'Báo cáo', width: 18 },
          { key: 'difficulties', header: 'Khó khăn, vướng mắc', width: 44 },
          { key: 'proposals', header: 'Đề xuất, kiến nghị', width: 44 },
        ],
        rows: report.agencyReports.map((r, i): ReportRow => ({
          kind: 'row',
          cells: {
            tt: i + 1,
            agency: r.agencyName,
            report: `${REPORT_STATUS_LABELS[r.status] ?? r.status}${r.late ? ' (gửi muộn)' : ''}`,
            difficulties: r.difficulties.join('\n'),
            proposals: r.proposals.join('\n'),
          },
        })),
      },
    ],
  };
};
