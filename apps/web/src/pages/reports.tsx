import { memo, useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError, download, messageOf, query } from '../api';
import { useSession } from '../session-context';
import { REPORT_STATUS_COLORS, type TaskCounts } from '../components/charts';
import { SelectField } from '../components/fields';
import { Kpis } from '../components/kpis';
import { DoneMessage, ErrorMessage, Loading, RequestState } from '../components/messages';
import { PlanSelect, useFirstPlan, usePlans } from '../components/plan-select';
import { Table, TableHead } from '../components/table';
import { vietnamDay } from '../dates';
import { fill, useFormat, useWords } from '../i18n';
import { fetchPlanTasks } from '../paging';
import { useApi } from '../use-api';
import { clip } from '../text';

type Period = { key: string; kind: string; year: number; from: string; to: string; due: string; label: string };
type TaskItem = { taskId: string; progress: number | null; result: string; difficulties: string; proposals: string };
type IndicatorItem = { indicator: string; actual: string; note: string };
type Content = { summary: string; tasks: TaskItem[]; indicators: IndicatorItem[] };
type Report = {
  id: string;
  planId: string;
  planNumber: string;
  agency: { agencyId: string; name: string };
  receiver?: string;
  period: { key: string; label: string; from: string; to: string; due: string };
  status: string;
  late?: boolean;
  overdue?: boolean;
  submittedAt?: string | null;
  returnedFor?: string | null;
  content?: Partial<Content>;
  version: number;
};
type PlanTask = {
  id: string;
  ref: string;
  title: string;
  lead?: { agencyId: string | null; name: string } | null;
  deadline?: { text?: string; due?: string | null };
};
type Consolidated = {
  plan?: { planId: string; number: string; title?: string };
  period?: Period | null;
  asOf?: string;
  totals?: TaskCounts;
  tasks?: { taskId: string; ref: string; title: string }[];
  indicators?: {
    ref: string;
    name: string;
    unit: string | null;
    lead?: { agencyId: string | null; name: string } | null;
    target?: { text?: string } | null;
    actual?: string | null;
  }[];
};

const STATUSES = ['requested', 'draft', 'submitted', 'returned', 'accepted'] as const;
const OPEN = ['requested', 'draft', 'returned'];

const WORDS = {
  vi: {
    title: 'Báo cáo định kỳ',
    requested: 'Chưa gửi',
    draft: 'Đang soạn',
    submitted: 'Đã gửi, chờ xem xét',
    accepted: 'Đã chấp nhận',
    returned: 'Bị trả lại',
    overdueFlag: 'Quá hạn gửi',
    lateFlag: 'Gửi muộn',
    // Agency
    myReports: 'Báo cáo của cơ quan',
    noReports: 'Chưa có yêu cầu báo cáo nào.',
    plan: 'Kế hoạch',
    period: 'Kỳ báo cáo',
    due: 'Hạn gửi',
    status: 'Trạng thái',
    open: 'Soạn báo cáo',
    view: 'Xem báo cáo',
    reportOf: 'Báo cáo {period} — {plan}',
    receiver: 'Nơi nhận',
    returnedFor: 'Lý do trả lại: {reason}',
    summary: 'Tóm tắt kết quả',
    tasksHeading: 'Kết quả thực hiện nhiệm vụ',
    noTasks: 'Báo cáo này không kèm nhiệm vụ cụ thể.',
    progress: 'Tiến độ (%)',
    result: 'Kết quả thực hiện',
    difficulties: 'Khó khăn, vướng mắc',
    proposals: 'Đề xuất, kiến nghị',
    indicatorsHeading: 'Kết quả thực hiện chỉ tiêu',
    target: 'Mục tiêu',
    actual: 'Thực hiện',
    note: 'Ghi chú',
    save: 'Lưu nháp',
    saving: 'Đang lưu…',
    submit: 'Gửi báo cáo',
    submitting: 'Đang gửi…',
    saved: 'Đã lưu nháp.',
    sent: 'Đã gửi báo cáo.',
    closed: 'Báo cáo đã gửi; không sửa được nữa trừ khi bị trả lại.',
    conflict: 'Báo cáo vừa được thay đổi ở nơi khác. Đã tải lại bản mới nhất; hãy kiểm tra rồi thao tác lại.',
    empty: 'Báo cáo cần có tóm tắt hoặc kết quả của ít nhất một nhiệm vụ.',
    close: 'Đóng',
    // Office / planning
    consolidated: 'Tổng hợp báo cáo theo kế hoạch và kỳ',
    year: 'Năm',
    months: 'Tháng',
    quarters: 'Quý',
    halves: '6 tháng',
    nineMonths: '9 tháng',
    years: 'Năm',
    noPlans: 'Chưa có kế hoạch nào.',
    request: 'Yêu cầu báo cáo kỳ này',
    requesting: 'Đang gửi yêu cầu…',
    requestedDone: 'Đã gửi yêu cầu tới {created} cơ quan mới ({total} cơ quan trong kỳ).',
    downloads: 'Tải báo cáo tổng hợp',
    xlsx: 'Tải Excel',
    docx: 'Tải Word',
    pdf: 'Tải PDF',
    downloading: 'Đang tải…',
    cutOff: 'Số liệu chốt đến {date}',
    notAtPeriod: 'Kế hoạch chưa có tại thời điểm chốt số liệu của kỳ này.',
    assigned: 'Nhiệm vụ được giao',
    dueCount: 'Đến hạn',
    completedOnTime: 'Hoàn thành đúng hạn',
    completedLate: 'Hoàn thành quá hạn',
    openOnTime: 'Chưa hoàn thành, trong hạn',
    openOverdue: 'Chưa hoàn thành, quá hạn',
    agencies: 'Báo cáo của các cơ quan',
    noAgencyReports: 'Chưa có báo cáo nào cho kỳ này. Bấm "Yêu cầu báo cáo kỳ này" để đề nghị các cơ quan chủ trì báo cáo.',
    agency: 'Cơ quan',
    submittedAt: 'Ngày gửi',
    actions: 'Thao tác',
    accept: 'Chấp nhận',
    return: 'Trả lại',
    reason: 'Lý do trả lại',
    confirmReturn: 'Xác nhận trả lại',
    cancel: 'Hủy',
    needReason: 'Hãy nêu lý do trả lại.',
    acceptedDone: 'Đã chấp nhận báo cáo của {agency}.',
    returnedDone: 'Đã trả lại báo cáo của {agency}.',
    hide: 'Ẩn',
    chartTitle: 'Số cơ quan theo trạng thái báo cáo',
    chartAlt: 'Bảng số liệu của biểu đồ',
    count: 'Số cơ quan',
    noSummary: '(không có tóm tắt)',
    task: 'Nhiệm vụ',
    indicator: 'Chỉ tiêu',
    openPlan: 'Mở kế hoạch',
  },
  en: {
    title: 'Periodic reports',
    requested: 'Not sent',
    draft: 'Drafting',
    submitted: 'Sent, awaiting review',
    accepted: 'Accepted',
    returned: 'Returned',
    overdueFlag: 'Overdue',
    lateFlag: 'Sent late',
    myReports: "My agency's reports",
    noReports: 'No report has been requested yet.',
    plan: 'Plan',
    period: 'Period',
    due: 'Due',
    status: 'Status',
    open: 'Write report',
    view: 'View report',
    reportOf: 'Report {period} — {plan}',
    receiver: 'Sent to',
    returnedFor: 'Returned because: {reason}',
    summary: 'Summary of results',
    tasksHeading: 'Results per task',
    noTasks: 'This report covers no specific task.',
    progress: 'Progress (%)',
    result: 'Result',
    difficulties: 'Difficulties',
    proposals: 'Proposals',
    indicatorsHeading: 'Indicators achieved',
    target: 'Target',
    actual: 'Actual',
    note: 'Note',
    save: 'Save draft',
    saving: 'Saving…',
    submit: 'Send report',
    submitting: 'Sending…',
    saved: 'Draft saved.',
    sent: 'Report sent.',
    closed: 'The report was sent; it can be edited again only if it is returned.',
    conflict: 'The report was changed elsewhere. The latest version is loaded; check it and try again.',
    empty: 'A report needs a summary or the result of at least one task.',
    close: 'Close',
    consolidated: 'Consolidated by plan and period',
    year: 'Year',
    months: 'Months',
    quarters: 'Quarters',
    halves: 'Half-years',
    nineMonths: 'Nine months',
    years: 'Years',
    noPlans: 'No plan yet.',
    request: "Request this period's reports",
    requesting: 'Requesting…',
    requestedDone: 'Requested from {created} more agencies ({total} agencies in the period).',
    downloads: 'Download the consolidated report',
    xlsx: 'Download Excel',
    docx: 'Download Word',
    pdf: 'Download PDF',
    downloading: 'Downloading…',
    cutOff: 'Data cut off at {date}',
    notAtPeriod: "The plan did not exist yet at this period's cut-off.",
    assigned: 'Tasks assigned',
    dueCount: 'Due',
    completedOnTime: 'Completed on time',
    completedLate: 'Completed late',
    openOnTime: 'Open, on time',
    openOverdue: 'Open, overdue',
    agencies: "Agencies' reports",
    noAgencyReports: 'No report for this period yet. Use "Request this period\'s reports" to ask the lead agencies.',
    agency: 'Agency',
    submittedAt: 'Sent on',
    actions: 'Actions',
    accept: 'Accept',
    return: 'Return',
    reason: 'Reason for returning',
    confirmReturn: 'Confirm return',
    cancel: 'Cancel',
    needReason: 'Give the reason for returning it.',
    acceptedDone: "Accepted {agency}'s report.",
    returnedDone: "Returned {agency}'s report.",
    hide: 'Hide',
    chartTitle: 'Agencies by report status',
    chartAlt: "The chart's data",
    count: 'Agencies',
    noSummary: '(no summary)',
    task: 'Task',
    indicator: 'Indicator',
    openPlan: 'Open the plan',
  },
};
type Words = Record<keyof (typeof WORDS)['vi'], string>;

/** An indicator's number or name as written, for telling whether two are the same (case and spacing aside; diacritics count). */
const written = (text: string) => text.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim();

const StatusBadge = ({ report, words }: { report: Pick<Report, 'status' | 'late' | 'overdue'>; words: Words }) => (
  <span className="reports-status">
    <span className={`badge report-${report.status}`}>{(words as Record<string, string>)[report.status] ?? report.status}</span>
    {report.overdue ? <span className="badge overdue">{words.overdueFlag}</span> : null}
    {report.late ? <span className="badge due_soon">{words.lateFlag}</span> : null}
  </span>
);

// ------------------------------------------------------------------------------------------------
// The agency officer: its reports, and the form of one.

type TaskFieldsProps = {
  task: { taskId: string; ref: string; title: string; due?: string | null };
  item: TaskItem;
  disabled: boolean;
  words: Words;
  onChange: (taskId: string, patch: Partial<TaskItem>) => void;
};

/** One task's fields; memoised so that typing in one task does not redraw the others. */
const TaskFields = memo(({ task, item, disabled, words, onChange }: TaskFieldsProps) => {
  const id = `rt-${task.taskId}`;
  return (
    <fieldset className="reports-task" disabled={disabled}>
      <legend>
        <strong>{task.ref}</strong> {task.title}
      </legend>
      <div className="reports-task-grid">
        <label htmlFor={`${id}-progress`}>
          {words.progress}
          <input
            id={`${id}-progress`}
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            step={1}
            value={item.progress ?? ''}
            onChange={(e) => onChange(task.taskId, { progress: e.target.value === '' ? null : Math.max(0, Math.min(100, Number(e.target.value))) })}
          />
        </label>
        <label htmlFor={`${id}-result`}>
          {words.result}
          <textarea id={`${id}-result`} rows={2} maxLength={8000} value={item.result} onChange={(e) => onChange(task.taskId, { result: e.target.value })} />
        </label>
        <label htmlFor={`${id}-difficulties`}>
          {words.difficulties}
          <textarea
            id={`${id}-difficulties`}
            rows={2}
            maxLength={8000}
            value={item.difficulties}
            onChange={(e) => onChange(task.taskId, { difficulties: e.target.value })}
          />
        </label>
        <label htmlFor={`${id}-proposals`}>
          {words.proposals}
          <textarea
            id={`${id}-proposals`}
            rows={2}
            maxLength={8000}
            value={item.proposals}
            onChange={(e) => onChange(task.taskId, { proposals: e.target.value })}
          />
        </label>
      </div>
    </fieldset>
  );
});

type IndicatorRef = { ref: string; name: string; unit: string | null; target: string };
type IndicatorFieldsProps = {
  indicator: IndicatorRef;
  value: { actual: string; note: string };
  disabled: boolean;
  words: Words;
  onChange: (ref: string, patch: Partial<{ actual: string; note: string }>) => void;
};

const IndicatorFields = memo(({ indicator, value, disabled, words, onChange }: IndicatorFieldsProps) => {
  const id = `ri-${indicator.ref.replace(/[^\w-]/g, '_')}`;
  return (
    <tr>
      <th scope="row">
        {indicator.ref}. {indicator.name}
        {indicator.unit ? <span className="muted"> ({indicator.unit})</span> : null}
      </th>
      <td>{indicator.target}</td>
      <td>
        <label htmlFor={`${id}-actual`} className="sr-only">
          {words.actual}: {indicator.ref}
        </label>
        <input
          id={`${id}-actual`}
          disabled={disabled}
          maxLength={200}
          value={value.actual}
          onChange={(e) => onChange(indicator.ref, { actual: e.target.value })}
        />
      </td>
      <td>
        <label htmlFor={`${id}-note`} className="sr-only">
          {words.note}: {indicator.ref}
        </label>
        <input id={`${id}-note`} disabled={disabled} maxLength={2000} value={value.note} onChange={(e) => onChange(indicator.ref, { note: e.target.value })} />
      </td>
    </tr>
  );
});

const emptyItem = (taskId: string): TaskItem => ({ taskId, progress: null, result: '', difficulties: '', proposals: '' });
const itemUsed = (item: TaskItem) => item.progress !== null || item.result.trim() !== '' || item.difficulties.trim() !== '' || item.proposals.trim() !== '';

const ReportEditor = ({ reportId, words, onClose, onChanged }: { reportId: string; words: Words; onClose: () => void; onChanged: () => void }) => {
  const format = useFormat();
  const { session } = useSession();
  const [report, setReport] = useState<Report | null>(null);
  const [tasks, setTasks] = useState<{ taskId: string; ref: string; title: string; due?: string | null }[]>([]);
  const [indicators, setIndicators] = useState<IndicatorRef[]>([]);
  const [summary, setSummary] = useState('');
  const [items, setItems] = useState<Record<string, TaskItem>>({});
  const [actuals, setActuals] = useState<Record<string, { actual: string; note: string }>>({});
  const [extraIndicators, setExtraIndicators] = useState<IndicatorItem[]>([]);
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    (async () => {
      const row = await api<Report>(`/api/v1/reporting/reports/${reportId}`);
      // The tasks the report covers, as the request named them; their numbers and titles from the plan.
      const [history, planTasks, consolidated] = await Promise.all([
        api<{ items?: { type: string; data?: { taskIds?: string[] } }[] }>(`/api/v1/reporting/reports/${reportId}/history`).catch(() => ({ items: [] })),
        fetchPlanTasks<PlanTask>(row.planId, { agency: row.agency.agencyId }).catch(() => [] as PlanTask[]),
        api<Consolidated>(`/api/v1/plans/${row.planId}/report`).catch(() => null),
      ]);
      if (!live) return;
      const requested = history.items?.find((e) => e.type === 'ReportRequested')?.data?.taskIds;
      const byId = new Map(planTasks.map((t) => [t.id, t]));
      // A task reassigned since the request is no longer the agency's: its title from the whole plan.
      if (requested?.some((id) => !byId.has(id))) for (const t of await fetchPlanTasks<PlanTask>(row.planId).catch(() => [] as PlanTask[])) byId.set(t.id, t);
      if (!live) return;
      const ids = requested && requested.length > 0 ? requested : planTasks.map((t) => t.id);
      setTasks(
        ids.map((taskId) => ({
          taskId,
          ref: byId.get(taskId)?.ref ?? '',
          title: byId.get(taskId)?.title ?? taskId,
          due: byId.get(taskId)?.deadline?.due ?? null,
        })),
      );
      const own = (consolidated?.indicators ?? []).filter((i) => i.lead?.agencyId && i.lead.agencyId === row.agency.agencyId);
      setIndicators(own.map((i) => ({ ref: i.ref, name: i.name, unit: i.unit, target: i.target?.text ?? '' })));
      // The saved content into the form: tasks by id, indicators by number or name.
      const content = row.content ?? {};
      setSummary(content.summary ?? '');
      setItems(Object.fromEntries((content.tasks ?? []).map((t) => [t.taskId, { ...emptyItem(t.taskId), ...t }])));
      const values: Record<string, { actual: string; note: string }> = {};
      const extra: IndicatorItem[] = [];
      for (const line of content.indicators ?? []) {
        const match = own.find((i) => written(i.ref) === written(line.indicator) || written(i.name) === written(line.indicator));
        if (match) values[match.ref] = { actual: line.actual ?? '', note: line.note ?? '' };
        else extra.push(line);
      }
      setActuals(values);
      setExtraIndicators(extra);
      setReport(row);
      setError(null);
    })().catch((failure) => live && setError(messageOf(failure)));
    return () => {
      live = false;
    };
  }, [reportId, tick]);

  const onTask = useCallback(
    (taskId: string, patch: Partial<TaskItem>) => setItems((all) => ({ ...all, [taskId]: { ...(all[taskId] ?? emptyItem(taskId)), ...patch } })),
    [],
  );
  const onIndicator = useCallback(
    (ref: string, patch: Partial<{ actual: string; note: string }>) =>
      setActuals((all) => ({ ...all, [ref]: { ...(all[ref] ?? { actual: '', note: '' }), ...patch } })),
    [],
  );

  const content = (): Content => ({
    summary,
    tasks: tasks.map((t) => items[t.taskId]).filter((item): item is TaskItem => item !== undefined && itemUsed(item)),
    indicators: [
      ...indicators
        .filter((i) => (actuals[i.ref]?.actual ?? '').trim() !== '' || (actuals[i.ref]?.note ?? '').trim() !== '')
        .map((i) => ({ indicator: i.ref, actual: actuals[i.ref].actual, note: actuals[i.ref].note })),
      ...extraIndicators,
    ],
  });

  const act = async (kind: 'save' | 'submit') => {
    if (!report) return;
    const body = content();
    if (kind === 'submit' && !body.summary.trim() && body.tasks.length === 0) {
      setError(words.empty);
      return;
    }
    setBusy(kind);
    setError(null);
    setNotice(null);
    try {
      const next =
        kind === 'save'
          ? await api<Report>(`/api/v1/reporting/reports/${report.id}`, { method: 'PUT', body, ifMatch: report.version })
          : await api<Report>(`/api/v1/reporting/reports/${report.id}/submit`, { method: 'POST', body: { content: body }, ifMatch: report.version });
      setReport(next);
      setNotice(kind === 'save' ? words.saved : words.sent);
      onChanged();
    } catch (failure) {
      if (failure instanceof ApiError && (failure.status === 412 || failure.status === 409)) {
        setError(words.conflict);
        setTick((n) => n + 1);
      } else setError(messageOf(failure));
    } finally {
      setBusy(null);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void act('submit');
  };

  if (!report) return error ? <ErrorMessage error={error} /> : <Loading text="…" />;
  const editable = OPEN.includes(report.status) && session.actor.role === 'agency';
  return (
    <form className="card stack reports-editor" onSubmit={onSubmit} aria-labelledby="report-editor-title">
      <div className="row reports-editor-head">
        <h2 id="report-editor-title">{fill(words.reportOf, { period: report.period.label, plan: report.planNumber })}</h2>
        <button type="button" className="secondary" onClick={onClose}>
          {words.close}
        </button>
      </div>
      <p>
        <StatusBadge report={report} words={words} />{' '}
        <span className="muted">
          {words.due}: {format.date(report.period.due)}
          {report.receiver ? ` · ${words.receiver}: ${report.receiver}` : ''}
        </span>
      </p>
      {report.status === 'returned' && report.returnedFor ? <p className="error">{fill(words.returnedFor, { reason: report.returnedFor })}</p> : null}
      {!editable ? <p className="muted">{words.closed}</p> : null}

      <label htmlFor="report-summary">
        {words.summary}
        <textarea id="report-summary" rows={6} maxLength={8000} value={summary} disabled={!editable} onChange={(e) => setSummary(e.target.value)} />
      </label>

      <section aria-labelledby="report-tasks-title" className="stack">
        <h3 id="report-tasks-title">{words.tasksHeading}</h3>
        {tasks.length === 0 ? <p className="muted">{words.noTasks}</p> : null}
        {tasks.map((task) => (
          <TaskFields key={task.taskId} task={task} item={items[task.taskId] ?? emptyItem(task.taskId)} disabled={!editable} words={words} onChange={onTask} />
        ))}
      </section>

      {indicators.length > 0 ? (
        <section aria-labelledby="report-indicators-title">
          <h3 id="report-indicators-title">{words.indicatorsHeading}</h3>
          <Table head={[words.indicator, words.target, words.actual, words.note]}>
            <tbody>
              {indicators.map((indicator) => (
                <IndicatorFields
                  key={indicator.ref}
                  indicator={indicator}
                  value={actuals[indicator.ref] ?? { actual: '', note: '' }}
                  disabled={!editable}
                  words={words}
                  onChange={onIndicator}
                />
              ))}
            </tbody>
          </Table>
        </section>
      ) : null}

      <ErrorMessage error={error} />
      <DoneMessage message={notice} />
      {editable ? (
        <div className="row">
          <button type="button" className="secondary" disabled={busy !== null} onClick={() => void act('save')}>
            {busy === 'save' ? words.saving : words.save}
          </button>
          <button type="submit" className="primary" disabled={busy !== null}>
            {busy === 'submit' ? words.submitting : words.submit}
          </button>
        </div>
      ) : null}
    </form>
  );
};

const AgencyReports = ({ words }: { words: Words }) => {
  const format = useFormat();
  const { data, error, loading, reload } = useApi<{ items?: Report[] }>('/api/v1/reporting/reports');
  const [open, setOpen] = useState<string | null>(null);
  const rows = useMemo(() => {
    const items = [...(data?.items ?? [])];
    // What is still owed first, the earliest sending day first.
    return items.sort((a, b) => Number(OPEN.includes(b.status)) - Number(OPEN.includes(a.status)) || a.period.due.localeCompare(b.period.due));
  }, [data]);
  return (
    <>
      <section className="card" aria-labelledby="my-reports-title">
        <h2 id="my-reports-title">{words.myReports}</h2>
        <RequestState error={error} loading={loading} loaded={data !== null} loadingText="…" empty={rows.length === 0 && words.noReports} />
        {rows.length > 0 ? (
          <Table head={[words.plan, words.period, words.due, words.status, words.actions]}>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} aria-current={open === r.id ? 'true' : undefined}>
                  <td>
                    <Link to={`/plans/${r.planId}`}>{r.planNumber}</Link>
                  </td>
                  <td>{r.period.label}</td>
                  <td className={r.overdue ? 'overdue' : undefined}>{format.date(r.period.due)}</td>
                  <td>
                    <StatusBadge report={r} words={words} />
                  </td>
                  <td>
                    <button type="button" className="secondary" aria-describedby={`my-report-${r.id}`} onClick={() => setOpen(r.id)}>
                      {OPEN.includes(r.status) ? words.open : words.view}
                    </button>
                    <span id={`my-report-${r.id}`} className="sr-only">
                      {r.planNumber} {r.period.label}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : null}
      </section>
      {open ? <ReportEditor key={open} reportId={open} words={words} onClose={() => setOpen(null)} onChanged={reload} /> : null}
    </>
  );
};

// ------------------------------------------------------------------------------------------------
// The office and the planning department (the leader reads): one plan, one period, every agency.

/** Agencies per report status, as plain SVG bars with a table beside it for screen readers. */
const StatusChart = memo(({ rows, words }: { rows: Report[]; words: Words }) => {
  const format = useFormat();
  const data = [
    ...STATUSES.map((s) => ({ key: s, label: (words as Record<string, string>)[s], value: rows.filter((r) => r.status === s).length })),
    { key: 'overdue', label: words.overdueFlag, value: rows.filter((r) => r.overdue).length },
  ];
  const max = Math.max(1, ...data.map((d) => d.value));
  const bar = 26;
  const gap = 10;
  const labelWidth = 170;
  const width = 560;
  const height = data.length * (bar + gap);
  return (
    <figure className="reports-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="reports-chart-title" preserveAspectRatio="xMinYMin meet">
        <title id="reports-chart-title">{words.chartTitle}</title>
        {data.map((d, i) => {
          const y = i * (bar + gap);
          const w = ((width - labelWidth - 50) * d.value) / max;
          return (
            <g key={d.key} aria-hidden="true">
              <text x={labelWidth - 8} y={y + bar / 2 + 5} textAnchor="end" fontSize="14" fill="currentColor">
                {d.label}
              </text>
              <rect x={labelWidth} y={y} width={Math.max(d.value > 0 ? 3 : 0, w)} height={bar} rx="3" fill={REPORT_STATUS_COLORS[d.key]} />
              <text x={labelWidth + w + 6} y={y + bar / 2 + 5} fontSize="14" fill="currentColor">
                {format.number(d.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="sr-only">
        <table>
          <caption>{words.chartAlt}</caption>
          <TableHead columns={[words.status, words.count]} />
          <tbody>
            {data.map((d) => (
              <tr key={d.key}>
                <th scope="row">{d.label}</th>
                <td>{format.number(d.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
});

const ContentView = ({
  content,
  taskTitles,
  words,
}: {
  content: Partial<Content> | undefined;
  taskTitles: Map<string, { ref: string; title: string }>;
  words: Words;
}) => (
  <div className="stack reports-content">
    <p className="reports-summary">{content?.summary?.trim() ? content.summary : <span className="muted">{words.noSummary}</span>}</p>
    {(content?.tasks ?? []).length > 0 ? (
      <Table head={[words.task, words.progress, words.result, words.difficulties, words.proposals]}>
        <tbody>
          {(content?.tasks ?? []).map((t) => (
            <tr key={t.taskId}>
              <td>
                <Link to={`/tasks/${t.taskId}`}>{taskTitles.get(t.taskId)?.ref ?? ''}</Link> {taskTitles.get(t.taskId)?.title ?? ''}
              </td>
              <td>{t.progress ?? ''}</td>
              <td>{t.result}</td>
              <td>{t.difficulties}</td>
              <td>{t.proposals}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    ) : null}
    {(content?.indicators ?? []).length > 0 ? (
      <Table head={[words.indicator, words.actual, words.note]}>
        <tbody>
          {(content?.indicators ?? []).map((line, i) => (
            <tr key={i}>
              <td>{line.indicator}</td>
              <td>{line.actual}</td>
              <td>{line.note}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    ) : null}
  </div>
);

const AgencyRow = memo(
  ({
    report,
    canReview,
    taskTitles,
    words,
    onDone,
  }: {
    report: Report;
    canReview: boolean;
    taskTitles: Map<string, { ref: string; title: string }>;
    words: Words;
    onDone: (message: string) => void;
  }) => {
    const format = useFormat();
    const [expanded, setExpanded] = useState(false);
    const [returning, setReturning] = useState(false);
    const [reason, setReason] = useState('');
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<string | null>(null);
    const decide = async (kind: 'accept' | 'return') => {
      if (kind === 'return' && !reason.trim()) {
        setError(words.needReason);
        return;
      }
      setBusy(true);
      setError(null);
      try {
        await api<Report>(`/api/v1/reporting/reports/${report.id}/${kind}`, {
          method: 'POST',
          body: kind === 'accept' ? { note: '' } : { reason: reason.trim() },
          ifMatch: report.version,
        });
        setReturning(false);
        setReason('');
        onDone(fill(kind === 'accept' ? words.acceptedDone : words.returnedDone, { agency: report.agency.name }));
      } catch (failure) {
        setError(messageOf(failure));
      } finally {
        setBusy(false);
      }
    };
    const summary = report.content?.summary?.trim() ?? '';
    const reasonId = `reason-${report.id}`;
    const agencyId = `agency-${report.id}`;
    return (
      <>
        <tr>
          <th scope="row" id={agencyId}>
            {report.agency.name}
          </th>
          <td>
            <StatusBadge report={report} words={words} />
            {report.status === 'returned' && report.returnedFor ? <div className="muted">{fill(words.returnedFor, { reason: report.returnedFor })}</div> : null}
          </td>
          <td>{format.date(report.submittedAt)}</td>
          <td className="reports-summary-cell">{summary ? clip(summary, 161) : <span className="muted">{words.noSummary}</span>}</td>
          <td>
            <div className="row reports-actions">
              <button type="button" className="secondary" aria-describedby={agencyId} aria-expanded={expanded} onClick={() => setExpanded((v) => !v)}>
                {expanded ? words.hide : words.view}
              </button>
              {canReview && report.status === 'submitted' ? (
                <>
                  <button type="button" className="primary" aria-describedby={agencyId} disabled={busy} onClick={() => void decide('accept')}>
                    {words.accept}
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    aria-describedby={agencyId}
                    disabled={busy}
                    aria-expanded={returning}
                    onClick={() => setReturning((v) => !v)}
                  >
                    {words.return}
                  </button>
                </>
              ) : null}
            </div>
            {returning ? (
              <div className="stack reports-return">
                <label htmlFor={reasonId}>
                  {words.reason}
                  <textarea id={reasonId} rows={3} maxLength={4000} value={reason} onChange={(e) => setReason(e.target.value)} />
                </label>
                <div className="row">
                  <button type="button" className="primary" disabled={busy} onClick={() => void decide('return')}>
                    {words.confirmReturn}
                  </button>
                  <button type="button" className="secondary" onClick={() => (setReturning(false), setError(null))}>
                    {words.cancel}
                  </button>
                </div>
              </div>
            ) : null}
            <ErrorMessage error={error} />
          </td>
        </tr>
        {expanded ? (
          <tr className="reports-detail">
            <td colSpan={5}>
              <ContentView content={report.content} taskTitles={taskTitles} words={words} />
            </td>
          </tr>
        ) : null}
      </>
    );
  },
);

const Consolidation = ({ words }: { words: Words }) => {
  const format = useFormat();
  const { session } = useSession();
  const role = session.actor.role;
  const canRequest = role === 'office' || role === 'planning';
  const today = vietnamDay();
  const thisYear = Number(today.slice(0, 4));
  const [planId, setPlanId] = useState('');
  const [year, setYear] = useState(thisYear);
  const [periodKey, setPeriodKey] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const plans = usePlans();
  const periods = useApi<{ items?: Period[] }>(`/api/v1/reporting/periods${query({ year })}`);
  const planList = plans.plans;
  const periodList = useMemo(() => periods.data?.items ?? [], [periods.data]);

  // Defaults: the first plan; the quarter that holds today (else the year's first quarter).
  useFirstPlan(planList, planId, setPlanId);
  useEffect(() => {
    if (periodList.length === 0 || periodList.some((p) => p.key === periodKey)) return;
    const quarters = periodList.filter((p) => p.kind === 'quarter');
    const current = quarters.find((p) => p.from <= today && today <= p.to) ?? quarters.find((p) => p.due >= today) ?? quarters[0] ?? periodList[0];
    setPeriodKey(current.key);
  }, [periodList, periodKey, today]);

  const ready = planId !== '' && periodKey !== '';
  const reports = useApi<{ items?: Report[] }>(ready ? `/api/v1/reporting/reports${query({ planId, period: periodKey })}` : null);
  const consolidated = useApi<Consolidated>(ready ? `/api/v1/plans/${planId}/report${query({ period: periodKey })}` : null);
  const rows = useMemo(() => [...(reports.data?.items ?? [])].sort((a, b) => a.agency.name.localeCompare(b.agency.name, 'vi')), [reports.data]);
  const taskTitles = useMemo(() => new Map((consolidated.data?.tasks ?? []).map((t) => [t.taskId, { ref: t.ref, title: t.title }])), [consolidated.data]);
  const plan = planList.find((p) => p.id === planId);
  const period = periodList.find((p) => p.key === periodKey);
  const reload = reports.reload;
  const reloadConsolidated = consolidated.reload;
  const onDone = useCallback(
    (message: string) => {
      setNotice(message);
      reload();
      reloadConsolidated();
    },
    [reload, reloadConsolidated],
  );

  const requestReports = async () => {
    setBusy('request');
    setActionError(null);
    setNotice(null);
    try {
      const result = await api<{ created?: number; items?: Report[] }>(`/api/v1/plans/${planId}/report-requests`, {
        method: 'POST',
        body: { period: periodKey },
      });
      setNotice(fill(words.requestedDone, { created: format.number(result.created ?? 0), total: format.number(result.items?.length ?? 0) }));
      reload();
    } catch (failure) {
      setActionError(messageOf(failure));
    } finally {
      setBusy(null);
    }
  };

  const fetchFile = async (kind: 'xlsx' | 'docx' | 'pdf') => {
    setBusy(kind);
    setActionError(null);
    try {
      const name = `bao-cao-${(plan?.number ?? planId).replace(/[^\p{L}\p{N}-]+/gu, '-')}-${periodKey}.${kind}`;
      await download(`/api/v1/plans/${planId}/report${query({ period: periodKey, format: kind })}`, name);
    } catch (failure) {
      setActionError(messageOf(failure));
    } finally {
      setBusy(null);
    }
  };

  const KIND_LABELS: Record<string, string> = {
    month: words.months,
    quarter: words.quarters,
    half: words.halves,
    nine_months: words.nineMonths,
    year: words.years,
  };
  const kinds = [...new Set(periodList.map((p) => p.kind))];
  const totals = consolidated.data?.totals;
  const notAtPeriod = consolidated.error !== null && /not found|did not exist/i.test(consolidated.error);

  return (
    <>
      <section className="card stack" aria-labelledby="consolidated-title">
        <h2 id="consolidated-title">{words.consolidated}</h2>
        <ErrorMessage error={plans.error} />
        <ErrorMessage error={periods.error} />
        {plans.loaded && planList.length === 0 ? <p className="muted">{words.noPlans}</p> : null}
        <div className="row reports-filters">
          <PlanSelect id="reports-plan" label={words.plan} plans={planList} value={planId} onChange={(id) => (setPlanId(id), setNotice(null))} />
          <SelectField
            id="reports-year"
            label={words.year}
            value={String(year)}
            onChange={(y) => (setYear(Number(y)), setNotice(null))}
            options={Array.from({ length: 6 }, (_, i) => String(thisYear + 1 - i)).map((y) => [y, y] as const)}
          />
          <label htmlFor="reports-period">
            {words.period}
            <select id="reports-period" value={periodKey} onChange={(e) => (setPeriodKey(e.target.value), setNotice(null))}>
              {kinds.map((kind) => (
                <optgroup key={kind} label={KIND_LABELS[kind] ?? kind}>
                  {periodList
                    .filter((p) => p.kind === kind)
                    .map((p) => (
                      <option key={p.key} value={p.key}>
                        {p.label}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
          </label>
        </div>
        {period ? (
          <p className="muted">
            {format.date(period.from)} – {format.date(period.to)} · {words.due}: {format.date(period.due)}
            {plan ? (
              <>
                {' · '}
                <Link to={`/plans/${plan.id}`}>{words.openPlan}</Link>
              </>
            ) : null}
          </p>
        ) : null}
        {ready ? (
          <div className="row">
            {canRequest ? (
              <button type="button" className="primary" disabled={busy !== null} onClick={() => void requestReports()}>
                {busy === 'request' ? words.requesting : words.request}
              </button>
            ) : null}
            <div className="row" role="group" aria-label={words.downloads}>
              {(['xlsx', 'docx', 'pdf'] as const).map((f) => (
                <button key={f} type="button" className="secondary" disabled={busy !== null} onClick={() => void fetchFile(f)}>
                  {busy === f ? words.downloading : words[f]}
                </button>
              ))}
            </div>
          </div>
        ) : null}
        <ErrorMessage error={actionError} />
        <DoneMessage message={notice} />
      </section>

      {ready ? (
        <section className="card" aria-labelledby="totals-title">
          <h2 id="totals-title">{period ? `${plan?.number ?? ''} · ${period.label}` : ''}</h2>
          {notAtPeriod ? <p className="muted">{words.notAtPeriod}</p> : null}
          {!notAtPeriod ? <ErrorMessage error={consolidated.error} /> : null}
          {totals ? (
            <>
              {consolidated.data?.asOf ? <p className="muted">{fill(words.cutOff, { date: format.dateTime(consolidated.data.asOf) })}</p> : null}
              <Kpis
                items={(
                  [
                    ['assigned', words.assigned, ''],
                    ['due', words.dueCount, ''],
                    ['completedOnTime', words.completedOnTime, 'completed_on_time'],
                    ['completedLate', words.completedLate, 'completed_late'],
                    ['openOnTime', words.openOnTime, 'on_time'],
                    ['openOverdue', words.openOverdue, 'overdue'],
                  ] as const
                ).map(([key, name, tone]) => ({ key, name, value: format.number(totals[key] ?? 0), tone }))}
              />
            </>
          ) : null}
        </section>
      ) : null}

      {ready ? (
        <section className="card" aria-labelledby="agency-reports-title">
          <h2 id="agency-reports-title">{words.agencies}</h2>
          <RequestState
            error={reports.error}
            loading={reports.loading}
            loaded={reports.data !== null}
            loadingText="…"
            empty={rows.length === 0 && words.noAgencyReports}
          />
          {rows.length > 0 ? (
            <div className="reports-overview">
              <StatusChart rows={rows} words={words} />
              <Table head={[words.agency, words.status, words.submittedAt, words.summary, words.actions]}>
                <tbody>
                  {rows.map((r) => (
                    <AgencyRow key={`${r.id}:${r.version}`} report={r} canReview={canRequest} taskTitles={taskTitles} words={words} onDone={onDone} />
                  ))}
                </tbody>
              </Table>
            </div>
          ) : null}
        </section>
      ) : null}
    </>
  );
};

const Reports = () => {
  const words = useWords(WORDS);
  const { session } = useSession();
  return (
    <div className="reports-page">
      <h1>{words.title}</h1>
      {session.actor.role === 'agency' ? <AgencyReports words={words} /> : <Consolidation words={words} />}
    </div>
  );
};

export default Reports;
