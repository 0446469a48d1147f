import { memo, useEffect, useId, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, messageOf, query } from '../api';
import { planTasksPath } from '../paging';
import { useSession } from '../session-context';
import {
  countItems,
  countOf as num,
  CountsChart,
  MiniStackedBar,
  preloadCharts,
  StackedBarChart,
  STATUS_COLORS,
  TIMELINESS_COLORS,
  timelinessValues,
  TrendChart,
  useTimelinessSegments,
  type BarRow,
  type Segment,
  type TaskCounts,
  type TrendPoint,
} from '../components/charts';
import { DateField, SelectField } from '../components/fields';
import { Kpis, type Kpi } from '../components/kpis';
import { ErrorMessage, Loading, RequestState } from '../components/messages';
import { PlanSelect, usePlans } from '../components/plan-select';
import { Table } from '../components/table';
import { endOfDay } from '../dates';
import { fill, label, STATUS_CODES, TIMELINESS_CODES, useCommon, useFormat, useStatusLabel, useWords } from '../i18n';
import { useApi } from '../use-api';

/** GET /api/v1/reporting/dashboard (libs/reporting/domain dashboardOf); every field may be missing. */
type DashboardRow = { key?: string; name?: string; counts?: Partial<TaskCounts> };
type Dashboard = {
  asOf?: string;
  totals?: Partial<TaskCounts>;
  byTimeliness?: Record<string, number>;
  byStatus?: Record<string, number>;
  byPlan?: DashboardRow[];
  byAgency?: DashboardRow[];
  bySupervisor?: DashboardRow[];
  series?: { at?: string; counts?: Partial<TaskCounts> }[];
};
/** GET /api/v1/plans/:planId/tasks (filtered): a task as lists show it. */
type ListedTask = {
  id?: string;
  ref?: string;
  title?: string;
  lead?: { agencyId?: string | null; name?: string } | null;
  deadline?: { text?: string; due?: string | null } | null;
  supervisor?: string | null;
  status?: { code?: string; label?: string; timeliness?: string } | null;
};
type OverdueTask = ListedTask & { planId: string; planNumber: string };

// The charts' library loads while the dashboard's figures are asked for.
void preloadCharts().catch(() => undefined);

type Every = 'week' | 'month' | 'quarter';
const EVERY: Every[] = ['week', 'month', 'quarter'];
const POINTS: Record<Every, number> = { week: 12, month: 12, quarter: 8 };
/** At most so many plans are asked for their overdue tasks, and so many tasks listed. */
const OVERDUE_PLANS = 10;
const OVERDUE_SHOWN = 50;

const WORDS = {
  vi: {
    title: 'Tổng quan thực hiện nhiệm vụ',
    asOfNote: 'Số liệu tính đến',
    filters: 'Bộ lọc',
    plan: 'Kế hoạch, chỉ thị',
    allPlans: 'Tất cả kế hoạch, chỉ thị',
    agency: 'Cơ quan chủ trì',
    allAgencies: 'Tất cả cơ quan',
    supervisor: 'Lãnh đạo phụ trách',
    allSupervisors: 'Tất cả lãnh đạo',
    agencySplit: 'Cơ quan sau sáp nhập',
    splitCurrent: 'Theo cơ quan hiện nay',
    splitFormer: 'Theo cơ quan trước sáp nhập',
    asOf: 'Tính đến ngày',
    clear: 'Xóa bộ lọc',
    reload: 'Tải lại',
    kpis: 'Chỉ số chính',
    assigned: 'Tổng số nhiệm vụ',
    due: 'Đã đến hạn',
    overdue: 'Quá hạn',
    dueSoon: 'Sắp đến hạn',
    completed: 'Đã hoàn thành',
    completedDetail: 'đúng hạn {a} · quá hạn {b}',
    openOnTime: 'Đang thực hiện trong hạn',
    cancelled: 'Dừng thực hiện',
    rate: 'Tỉ lệ hoàn thành',
    byStatus: 'Nhiệm vụ theo trạng thái',
    byTimeliness: 'Nhiệm vụ theo tiến độ',
    status: 'Trạng thái',
    timeliness: 'Tiến độ',
    byAgency: 'Nhiệm vụ theo cơ quan chủ trì',
    bySupervisor: 'Nhiệm vụ theo lãnh đạo phụ trách',
    byPlan: 'Theo kế hoạch, chỉ thị',
    trend: 'Diễn biến theo thời gian',
    every: 'Theo',
    week: 'Tuần',
    month: 'Tháng',
    quarter: 'Quý',
    quarterLabel: 'Quý {q}/{y}',
    at: 'Thời điểm',
    lineAssigned: 'Đã giao',
    lineCompleted: 'Hoàn thành',
    lineOverdue: 'Quá hạn',
    lineOnTime: 'Chưa hoàn thành, trong hạn',
    overdueList: 'Nhiệm vụ quá hạn',
    overdueCount: '{n} nhiệm vụ quá hạn',
    overdueMore: 'Hiện {shown}/{n} nhiệm vụ; xem đầy đủ trong từng kế hoạch.',
    overdueAsOf: 'Danh sách nhiệm vụ chỉ có cho thời điểm hiện tại; theo ngày đã chọn, số nhiệm vụ quá hạn của từng văn bản:',
    noOverdue: 'Không có nhiệm vụ quá hạn.',
    ref: 'Số TT',
    task: 'Nhiệm vụ',
    lead: 'Cơ quan chủ trì',
    deadline: 'Thời hạn',
    documentCol: 'Văn bản',
    tasksCol: 'Số nhiệm vụ',
    overdueCol: 'Quá hạn',
    counts: 'Tình hình',
    openPlan: 'Xem kế hoạch',
    untitled: '(không có tên)',
    kindPlan: 'Kế hoạch',
    kindDirective: 'Chỉ thị',
  },
  en: {
    title: 'Task overview',
    asOfNote: 'Figures as of',
    filters: 'Filters',
    plan: 'Plan or directive',
    allPlans: 'All plans and directives',
    agency: 'Lead agency',
    allAgencies: 'All agencies',
    supervisor: 'Supervising leader',
    allSupervisors: 'All leaders',
    agencySplit: 'Merged agencies',
    splitCurrent: 'As the agencies are now',
    splitFormer: 'As they were before merging',
    asOf: 'As of day',
    clear: 'Clear filters',
    reload: 'Reload',
    kpis: 'Key figures',
    assigned: 'Tasks in total',
    due: 'Due',
    overdue: 'Overdue',
    dueSoon: 'Due soon',
    completed: 'Completed',
    completedDetail: 'on time {a} · late {b}',
    openOnTime: 'Open, on time',
    cancelled: 'Cancelled',
    rate: 'Completion rate',
    byStatus: 'Tasks by status',
    byTimeliness: 'Tasks by timeliness',
    status: 'Status',
    timeliness: 'Timeliness',
    byAgency: 'Tasks by lead agency',
    bySupervisor: 'Tasks by supervising leader',
    byPlan: 'By plan or directive',
    trend: 'Trend over time',
    every: 'Every',
    week: 'Week',
    month: 'Month',
    quarter: 'Quarter',
    quarterLabel: 'Q{q}/{y}',
    at: 'At',
    lineAssigned: 'Assigned',
    lineCompleted: 'Completed',
    lineOverdue: 'Overdue',
    lineOnTime: 'Open, on time',
    overdueList: 'Overdue tasks',
    overdueCount: '{n} overdue tasks',
    overdueMore: 'Showing {shown} of {n}; see each plan for all.',
    overdueAsOf: 'Task lists exist for the present only; as of the chosen day, the overdue tasks of each document:',
    noOverdue: 'No overdue tasks.',
    ref: 'No.',
    task: 'Task',
    lead: 'Lead agency',
    deadline: 'Deadline',
    documentCol: 'Document',
    tasksCol: 'Tasks',
    overdueCol: 'Overdue',
    counts: 'Standing',
    openPlan: 'Open plan',
    untitled: '(untitled)',
    kindPlan: 'Plan',
    kindDirective: 'Directive',
  },
};

type Words = (typeof WORDS)['vi'];

/** An agency key the API filters by (an id, not a free-text name). */
const isAgencyId = (key: string) => /^[a-z0-9][a-z0-9._-]*$/.test(key);

/** The overdue tasks of the plans that have some, asked plan by plan with the same filters. */
const useOverdueTasks = (plans: { key: string; name: string }[] | null, agency: string, supervisor: string) => {
  type Answer = { for: string; items: OverdueTask[]; total: number; error: string | null };
  const [answer, setAnswer] = useState<Answer | null>(null);
  const signature = plans ? JSON.stringify([plans.map((p) => p.key), agency, supervisor]) : null;
  useEffect(() => {
    if (!plans || signature === null) return;
    if (plans.length === 0) {
      setAnswer({ for: signature, items: [], total: 0, error: null });
      return;
    }
    let live = true;
    Promise.all(
      plans.map(async (p) => {
        const page = await api<{ total?: number; items?: ListedTask[] }>(
          `${planTasksPath(p.key)}${query({ timeliness: 'overdue', sort: 'due', limit: OVERDUE_SHOWN, agency: agency || undefined, supervisor: supervisor || undefined })}`,
        );
        const items = (page.items ?? []).map((t) => ({ ...t, planId: p.key, planNumber: p.name }));
        return { items, total: typeof page.total === 'number' ? page.total : items.length };
      }),
    )
      .then((pages) => {
        if (!live) return;
        const items = pages
          .flatMap((p) => p.items)
          .sort((a, b) => (a.deadline?.due ?? '9999').localeCompare(b.deadline?.due ?? '9999'))
          .slice(0, OVERDUE_SHOWN);
        setAnswer({ for: signature, items, total: pages.reduce((s, p) => s + p.total, 0), error: null });
      })
      .catch((failure: unknown) => live && setAnswer({ for: signature, items: [], total: 0, error: messageOf(failure) }));
    return () => {
      live = false;
    };
    // The signature names what the request depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [signature]);
  // The last answer stays on screen while the next one loads (no flash of an empty table).
  return { items: answer?.items ?? [], total: answer?.total ?? 0, error: answer?.error ?? null, loading: answer?.for !== signature };
};

const KeyFigures = memo(({ data, words }: { data: Dashboard; words: Words }) => {
  const format = useFormat();
  const t = data.totals ?? {};
  const completed = num(t.completedOnTime) + num(t.completedLate);
  const assigned = num(t.assigned);
  const tiles: Kpi[] = [
    { key: 'assigned', name: words.assigned, value: format.number(assigned) },
    { key: 'due', name: words.due, value: format.number(num(t.due)) },
    { key: 'overdue', name: words.overdue, value: format.number(num(t.openOverdue)), tone: 'overdue' },
    { key: 'due_soon', name: words.dueSoon, value: format.number(num(data.byTimeliness?.due_soon)), tone: 'due_soon' },
    { key: 'on_time', name: words.openOnTime, value: format.number(num(t.openOnTime)), tone: 'on_time' },
    {
      key: 'completed',
      name: words.completed,
      value: format.number(completed),
      tone: 'completed_on_time',
      detail: (
        <div className="muted dash-detail">
          {fill(words.completedDetail, { a: format.number(num(t.completedOnTime)), b: format.number(num(t.completedLate)) })}
        </div>
      ),
    },
    { key: 'rate', name: words.rate, value: format.percent(assigned > 0 ? completed / assigned : 0) },
    { key: 'cancelled', name: words.cancelled, value: format.number(num(t.cancelled)), tone: 'muted' },
  ];
  return (
    <section aria-labelledby="dash-kpis">
      <h2 id="dash-kpis" className="sr-only">
        {words.kpis}
      </h2>
      <Kpis items={tiles.map((tile) => ({ ...tile, attributes: { 'data-kpi': tile.key } }))} className="dash-kpis" data-testid="kpis" />
    </section>
  );
});
KeyFigures.displayName = 'KeyFigures';

const OverdueList = memo(
  ({ data, agency, supervisor, historic, words }: { data: Dashboard; agency: string; supervisor: string; historic: boolean; words: Words }) => {
    const format = useFormat();
    const statusLabel = useStatusLabel();
    const withOverdue = useMemo(
      () =>
        (data.byPlan ?? [])
          .filter((p) => p.key && num(p.counts?.openOverdue) > 0)
          .map((p) => ({ key: p.key as string, name: p.name ?? (p.key as string), overdue: num(p.counts?.openOverdue) })),
      [data.byPlan],
    );
    const asked = useMemo(() => (historic ? null : withOverdue.slice(0, OVERDUE_PLANS)), [historic, withOverdue]);
    const overdue = useOverdueTasks(asked, agency, supervisor);
    const expected = withOverdue.reduce((s, p) => s + p.overdue, 0);
    // Without task ids (an earlier day, or the lists refused), each plan with its count, linking to the plan.
    const byPlan = (
      <ul className="dash-plan-links">
        {withOverdue.map((p) => (
          <li key={p.key}>
            <Link to={`/plans/${encodeURIComponent(p.key)}`}>{p.name}</Link>:{' '}
            <span className="overdue">{fill(words.overdueCount, { n: format.number(p.overdue) })}</span>
          </li>
        ))}
      </ul>
    );
    return (
      <section className="card" aria-labelledby="dash-overdue">
        <h2 id="dash-overdue">
          {words.overdueList} <span className="badge overdue">{format.number(expected)}</span>
        </h2>
        {expected === 0 ? (
          <p className="muted">{words.noOverdue}</p>
        ) : historic ? (
          <>
            <p className="muted">{words.overdueAsOf}</p>
            {byPlan}
          </>
        ) : overdue.error ? (
          <>
            <ErrorMessage error={overdue.error} />
            {byPlan}
          </>
        ) : overdue.loading && overdue.items.length === 0 ? (
          <Loading />
        ) : (
          <>
            <Table head={[words.documentCol, words.ref, words.task, words.lead, words.deadline, words.status]} className="dash-overdue-table">
              <tbody>
                {overdue.items.map((t, i) => (
                  <tr key={t.id ?? `${t.planId}-${i}`}>
                    <td>
                      <Link to={`/plans/${encodeURIComponent(t.planId)}`}>{t.planNumber}</Link>
                    </td>
                    <td>{t.ref ?? ''}</td>
                    <td>{t.id ? <Link to={`/tasks/${encodeURIComponent(t.id)}`}>{t.title || words.untitled}</Link> : t.title || words.untitled}</td>
                    <td>{t.lead?.name ?? ''}</td>
                    <td className="overdue">
                      {t.deadline?.due ? format.date(t.deadline.due) : ''}
                      {t.deadline?.text && <div className="muted dash-detail">{t.deadline.text}</div>}
                    </td>
                    <td>
                      <span className={`badge ${t.status?.timeliness ?? 'overdue'}`}>{statusLabel(t.status)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
            {overdue.total > overdue.items.length && (
              <p className="muted">{fill(words.overdueMore, { shown: format.number(overdue.items.length), n: format.number(overdue.total) })}</p>
            )}
            {withOverdue.length > OVERDUE_PLANS && byPlan}
          </>
        )}
      </section>
    );
  },
);
OverdueList.displayName = 'OverdueList';

const Dashboard = () => {
  const { session } = useSession();
  const words = useWords(WORDS);
  const common = useCommon();
  const format = useFormat();
  const segments = useTimelinessSegments();
  const ids = { plan: useId(), agency: useId(), supervisor: useId(), asOf: useId(), every: useId(), split: useId() };
  const [params, setParams] = useSearchParams();
  const planId = params.get('plan') ?? '';
  const agency = params.get('agency') ?? '';
  const supervisor = params.get('supervisor') ?? '';
  const asOfDay = params.get('asOf') ?? '';
  const everyParam = params.get('every');
  const every: Every = EVERY.includes(everyParam as Every) ? (everyParam as Every) : 'month';
  // After agencies merged: their tasks under the successor (current) or as split before (former).
  const split = params.get('agencies') === 'former' ? 'former' : 'current';

  const set = (key: string, value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  const path = `/api/v1/reporting/dashboard${query({ asOf: endOfDay(asOfDay), every, points: POINTS[every], planId: planId || undefined, agency: agency || undefined, supervisor: supervisor || undefined, agencies: split === 'former' ? split : undefined })}`;
  const { data, error, loading, reload } = useApi<Dashboard>(path);
  const plans = usePlans();

  // The agencies and leaders seen so far, so that a filter's options stay when it narrows the answer.
  const [known, setKnown] = useState<{ agencies: Map<string, string>; supervisors: Map<string, string> }>(() => ({
    agencies: new Map(),
    supervisors: new Map(),
  }));
  useEffect(() => {
    if (!data) return;
    setKnown((prev) => {
      const agencies = new Map(prev.agencies);
      const supervisors = new Map(prev.supervisors);
      let changed = false;
      for (const row of data.byAgency ?? [])
        if (row.key && isAgencyId(row.key) && !agencies.has(row.key)) (agencies.set(row.key, row.name ?? row.key), (changed = true));
      for (const row of data.bySupervisor ?? []) if (row.key && !supervisors.has(row.key)) (supervisors.set(row.key, row.name ?? row.key), (changed = true));
      return changed ? { agencies, supervisors } : prev;
    });
  }, [data]);
  const sortVi = (a: [string, string], b: [string, string]) => a[1].localeCompare(b[1], 'vi');
  const agencyOptions = useMemo(() => {
    const all = new Map(known.agencies);
    if (agency && !all.has(agency)) all.set(agency, agency);
    return [...all.entries()].sort(sortVi);
  }, [known.agencies, agency]);
  const supervisorOptions = useMemo(() => {
    const all = new Map(known.supervisors);
    if (supervisor && !all.has(supervisor)) all.set(supervisor, supervisor);
    return [...all.entries()].sort(sortVi);
  }, [known.supervisors, supervisor]);

  const kindLabel = (kind: string | undefined) => (kind === 'directive' ? words.kindDirective : words.kindPlan);

  const statusItems = useMemo(() => countItems(data?.byStatus, STATUS_CODES, STATUS_COLORS, (c) => label(common, c)), [data?.byStatus, common]);
  const timelinessItems = useMemo(
    () => countItems(data?.byTimeliness, TIMELINESS_CODES, TIMELINESS_COLORS, (c) => label(common, c), ['overdue', 'due_soon']),
    [data?.byTimeliness, common],
  );
  const toBars = (rows: DashboardRow[] | undefined): BarRow[] =>
    (rows ?? []).map((r, i) => ({ key: r.key || `row-${i}`, name: r.name || r.key || '—', values: timelinessValues(r.counts) }));
  const agencyRows = useMemo(() => toBars(data?.byAgency), [data?.byAgency]);
  const supervisorRows = useMemo(() => toBars(data?.bySupervisor), [data?.bySupervisor]);

  const lines = useMemo<Segment[]>(
    () => [
      { key: 'assigned', label: words.lineAssigned, color: '#4b5563' },
      { key: 'completed', label: words.lineCompleted, color: TIMELINESS_COLORS.completed },
      { key: 'overdue', label: words.lineOverdue, color: TIMELINESS_COLORS.overdue },
      { key: 'on_time', label: words.lineOnTime, color: TIMELINESS_COLORS.on_time },
    ],
    [words],
  );
  const points = useMemo<TrendPoint[]>(
    () =>
      (data?.series ?? []).map((p) => {
        const day = format.date(p.at ?? ''); // dd/mm/yyyy
        const [, mm, yyyy] = day.split('/');
        const text = every === 'week' || !mm ? day : every === 'month' ? `${mm}/${yyyy}` : fill(words.quarterLabel, { q: Math.ceil(Number(mm) / 3), y: yyyy });
        const c = p.counts ?? {};
        return {
          label: text,
          values: {
            assigned: num(c.assigned),
            completed: num(c.completedOnTime) + num(c.completedLate),
            overdue: num(c.openOverdue),
            on_time: num(c.openOnTime),
          },
        };
      }),
    [data?.series, every, format, words],
  );

  const filtered = planId || agency || supervisor || asOfDay;
  const leader = session.actor.role === 'leader';

  const supervisorFilter = (
    <SelectField
      id={ids.supervisor}
      label={words.supervisor}
      value={supervisor}
      onChange={(v) => set('supervisor', v)}
      all={words.allSupervisors}
      options={supervisorOptions}
    />
  );

  return (
    <div className="dashboard">
      <h1>{words.title}</h1>
      {data?.asOf && (
        <p className="muted">
          {words.asOfNote} {format.dateTime(data.asOf)}
        </p>
      )}

      <section className="card" aria-labelledby="dash-filters">
        <h2 id="dash-filters">{words.filters}</h2>
        <form className="row dash-filters" onSubmit={(e) => (e.preventDefault(), reload())}>
          {leader && supervisorFilter}
          <PlanSelect
            id={ids.plan}
            label={words.plan}
            plans={plans.plans}
            value={planId}
            onChange={(id) => set('plan', id)}
            all={words.allPlans}
            text={(p) => `${p.number ?? p.id} (${kindLabel(p.kind)})`}
          />
          <SelectField id={ids.agency} label={words.agency} value={agency} onChange={(v) => set('agency', v)} all={words.allAgencies} options={agencyOptions} />
          {!leader && supervisorFilter}
          <DateField id={ids.asOf} label={words.asOf} value={asOfDay} onChange={(day) => set('asOf', day)} />
          <button type="submit" className="secondary">
            {words.reload}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={!filtered}
            onClick={() =>
              setParams(
                (current) => {
                  const next = new URLSearchParams();
                  const e = current.get('every');
                  if (e) next.set('every', e);
                  return next;
                },
                { replace: true },
              )
            }
          >
            {words.clear}
          </button>
        </form>
        <ErrorMessage error={plans.error} />
      </section>

      <RequestState error={error} loading={loading} loaded={data !== null} />

      {data && (
        <div aria-busy={loading}>
          <KeyFigures data={data} words={words} />

          <div className="grid dash-grid">
            <section className="card" aria-labelledby="dash-status">
              <h2 id="dash-status">{words.byStatus}</h2>
              <CountsChart title={words.byStatus} showTitle={false} items={statusItems} kind="donut" category={words.status} />
            </section>
            <section className="card" aria-labelledby="dash-timeliness">
              <h2 id="dash-timeliness">{words.byTimeliness}</h2>
              <CountsChart title={words.byTimeliness} showTitle={false} items={timelinessItems} kind="bar" category={words.timeliness} />
            </section>
          </div>

          <OverdueList data={data} agency={agency} supervisor={supervisor} historic={!!asOfDay} words={words} />

          <div className="grid dash-grid">
            <section className="card" aria-labelledby="dash-agency">
              <div className="dash-trend-head">
                <h2 id="dash-agency">{words.byAgency}</h2>
                {session.actor.role !== 'agency' && (
                  <SelectField
                    id={ids.split}
                    className="dash-inline"
                    label={words.agencySplit}
                    value={split}
                    onChange={(v) => set('agencies', v === 'former' ? v : '')}
                    options={[['current', words.splitCurrent] as const, ['former', words.splitFormer] as const]}
                  />
                )}
              </div>
              <StackedBarChart title={words.byAgency} showTitle={false} rows={agencyRows} segments={segments} />
            </section>
            <section className="card" aria-labelledby="dash-supervisor">
              <h2 id="dash-supervisor">{words.bySupervisor}</h2>
              <StackedBarChart title={words.bySupervisor} showTitle={false} rows={supervisorRows} segments={segments} />
            </section>
          </div>

          <section className="card" aria-labelledby="dash-trend">
            <div className="dash-trend-head">
              <h2 id="dash-trend">{words.trend}</h2>
              <SelectField
                id={ids.every}
                className="dash-inline"
                label={words.every}
                value={every}
                onChange={(v) => set('every', v === 'month' ? '' : v)}
                options={EVERY.map((e) => [e, words[e]] as const)}
              />
            </div>
            <TrendChart title={words.trend} showTitle={false} points={points} lines={lines} category={words.at} />
          </section>

          {(data.byPlan ?? []).length > 0 && (
            <section className="card" aria-labelledby="dash-plans">
              <h2 id="dash-plans">{words.byPlan}</h2>
              <Table head={[words.documentCol, words.tasksCol, words.overdueCol, words.counts]}>
                <tbody>
                  {(data.byPlan ?? []).map((p, i) => (
                    <tr key={p.key ?? i}>
                      <td>{p.key ? <Link to={`/plans/${encodeURIComponent(p.key)}`}>{p.name ?? p.key}</Link> : p.name}</td>
                      <td>{format.number(num(p.counts?.assigned))}</td>
                      <td className={num(p.counts?.openOverdue) > 0 ? 'overdue' : ''}>{format.number(num(p.counts?.openOverdue))}</td>
                      <td>
                        <MiniStackedBar label={`${words.counts} ${p.name ?? ''}`} values={timelinessValues(p.counts)} segments={segments} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            </section>
          )}
        </div>
      )}
    </div>
  );
};

export default Dashboard;
