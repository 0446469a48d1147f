import { memo, startTransition, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { messageOf } from '../api';
import type { TaskCounts } from '../components/charts';
import { SelectField } from '../components/fields';
import { Gantt, type GanttItem } from '../components/gantt';
import { Kpis } from '../components/kpis';
import { ErrorMessage, Loading } from '../components/messages';
import { Table } from '../components/table';
import { label, STATUS_CODES, TIMELINESS_CODES, useCommon, useFormat, useWords } from '../i18n';
import { fetchPlanTasks, planPagePaths } from '../paging';
import { fold } from '../text';
import { useApi } from '../use-api';

// ---------------------------------------------------------------------------------------------
// What the API answers (apps/plans/src/plans.http.controller.ts); every field read defensively.

type Plan = {
  id: string;
  number?: string | null;
  kind?: string;
  title?: string;
  issuedOn?: string | null;
  issuer?: string | null;
  taskCount?: number;
  implements?: { text?: string; number?: string | null; planId?: string | null }[];
  implementedBy?: { planId: string; number?: string; title?: string }[];
};

type ListedTask = {
  id: string;
  ref?: string;
  title?: string;
  group?: string | null;
  lead?: { agencyId: string | null; name: string } | null;
  coordinators?: { agencyId: string | null; name: string }[];
  deadline?: { text?: string; kind?: string; due?: string | null; start?: string | null };
  supervisor?: string | null;
  status?: { code?: string; label?: string; timeliness?: string };
  adjusted?: { at: string; label: string } | null;
  version?: number;
};

type CountsAnswer = { by: 'agency' | 'supervisor'; at?: string; rows?: ({ key: string | null; name: string } & TaskCounts)[]; total?: TaskCounts };

// ---------------------------------------------------------------------------------------------

const WORDS = {
  vi: {
    back: 'Danh sách kế hoạch',
    plan: 'Kế hoạch',
    kindLabel: 'Loại văn bản',
    directive: 'Chỉ thị',
    issuer: 'Cơ quan ban hành',
    issuedOn: 'Ngày ban hành',
    implementsDoc: 'Thực hiện',
    implementedBy: 'Được triển khai bởi',
    counts: 'Số liệu nhiệm vụ',
    assigned: 'Đã giao',
    due: 'Đến hạn',
    completedOnTime: 'Hoàn thành đúng hạn',
    completedLate: 'Hoàn thành quá hạn',
    openOnTime: 'Chưa hoàn thành, trong hạn',
    openOverdue: 'Chưa hoàn thành, quá hạn',
    cancelled: 'Dừng thực hiện',
    countsAt: 'Tính đến',
    byAgency: 'Theo cơ quan chủ trì',
    byLeader: 'Theo lãnh đạo phụ trách',
    name: 'Tên',
    tasks: 'Phụ lục: danh sách nhiệm vụ',
    loadingTasks: 'Đang tải nhiệm vụ…',
    filters: 'Lọc nhiệm vụ',
    search: 'Tìm kiếm',
    searchHint: 'Số, tên nhiệm vụ, cơ quan, thời hạn…',
    status: 'Trạng thái',
    timeliness: 'Tình trạng thời hạn',
    lead: 'Cơ quan chủ trì',
    leader: 'Lãnh đạo phụ trách',
    all: 'Tất cả',
    noLead: 'Chưa có cơ quan chủ trì',
    noLeader: 'Chưa có lãnh đạo phụ trách',
    reset: 'Xóa bộ lọc',
    showing: 'Hiển thị',
    of: 'trên',
    taskWord: 'nhiệm vụ',
    views: 'Cách xem',
    table: 'Bảng',
    timeline: 'Biểu đồ thời hạn',
    ref: 'Số',
    title: 'Nội dung nhiệm vụ',
    deadline: 'Thời hạn',
    coordinators: 'Phối hợp',
    statusCol: 'Trạng thái',
    timelinessCol: 'Tình trạng',
    noMatch: 'Không có nhiệm vụ nào khớp bộ lọc.',
    noTasks: 'Kế hoạch chưa có nhiệm vụ nào.',
    otherGroup: 'Nhiệm vụ khác',
    caption: 'Nhiệm vụ của',
    chart: 'Biểu đồ thời hạn nhiệm vụ của',
    adjusted: 'Đã điều chỉnh',
  },
  en: {
    back: 'All plans',
    plan: 'Plan',
    kindLabel: 'Document type',
    directive: 'Directive',
    issuer: 'Issued by',
    issuedOn: 'Issued on',
    implementsDoc: 'Implements',
    implementedBy: 'Implemented by',
    counts: 'Task figures',
    assigned: 'Assigned',
    due: 'Due',
    completedOnTime: 'Completed on time',
    completedLate: 'Completed late',
    openOnTime: 'Open, on time',
    openOverdue: 'Open, overdue',
    cancelled: 'Cancelled',
    countsAt: 'As of',
    byAgency: 'By lead agency',
    byLeader: 'By supervising leader',
    name: 'Name',
    tasks: 'Appendix: tasks',
    loadingTasks: 'Loading tasks…',
    filters: 'Filter tasks',
    search: 'Search',
    searchHint: 'Number, title, agency, deadline…',
    status: 'Status',
    timeliness: 'Timeliness',
    lead: 'Lead agency',
    leader: 'Supervising leader',
    all: 'All',
    noLead: 'No lead agency',
    noLeader: 'No supervising leader',
    reset: 'Clear filters',
    showing: 'Showing',
    of: 'of',
    taskWord: 'tasks',
    views: 'View',
    table: 'Table',
    timeline: 'Deadline timeline',
    ref: 'No.',
    title: 'Task',
    deadline: 'Deadline',
    coordinators: 'With',
    statusCol: 'Status',
    timelinessCol: 'Timeliness',
    noMatch: 'No task matches the filters.',
    noTasks: 'The plan has no tasks yet.',
    otherGroup: 'Other tasks',
    caption: 'Tasks of',
    chart: 'Deadline timeline of the tasks of',
    adjusted: 'Adjusted',
  },
};
type PlanWords = (typeof WORDS)['vi'];

const COUNT_KEYS = ['assigned', 'due', 'completedOnTime', 'completedLate', 'openOnTime', 'openOverdue', 'cancelled'] as const;
const NONE = '__none__';

// ---------------------------------------------------------------------------------------------
// Leaders are matched as the server matches them (libs/plan-import/src/leaders.ts: title stripped,
// a typo of a listed leader is that leader); search ignores diacritics (`fold`).

const TITLE =
  /^(?:(?:đ\/c|đồng chí)\s+)?(?:(?:phó\s+)?chủ\s+tịch|pct|ct)(?:\s+(?:tt|thường trực))?(?:\s+(?:ubnd|ủy ban nhân dân)(?:\s+(?:tp|thành phố))?)?\s+/iu;
const leaderName = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').trim().replace(TITLE, '').trim();

const distance = (a: string, b: string): number => {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
};
const isTypoOf = (written: string, intended: string) =>
  written !== intended &&
  fold(written).split(' ').length === fold(intended).split(' ').length &&
  distance(written, intended) <= Math.min(2, Math.floor(intended.length / 6));
const personNamed = (text: string, leaders: readonly string[]) => {
  const written = leaderName(text);
  return leaders.find((l) => l === written || isTypoOf(written, l)) ?? written;
};

// ---------------------------------------------------------------------------------------------

/** A task as the table shows it: computed once per load (and language), never per keystroke. */
type Row = {
  id: string;
  ref: string;
  title: string;
  group: string | null;
  leadKey: string;
  leadName: string;
  coordinators: string;
  deadlineText: string;
  due: string | null;
  start: string | null;
  dueText: string;
  status: string;
  statusLabel: string;
  timeliness: string;
  timelinessLabel: string;
  supervisor: string;
  adjusted: boolean;
  haystack: string;
};

type Filters = { text: string; status: string; timeliness: string; lead: string; leader: string };
const NO_FILTERS: Filters = { text: '', status: '', timeliness: '', lead: '', leader: '' };

/** Every page of the plan's tasks (the API pages by 200 at most), in document order. */
const useAllTasks = (planId: string | undefined) => {
  const [tasks, setTasks] = useState<ListedTask[] | null>(null);
  const [loaded, setLoaded] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!planId) return;
    const gone = new AbortController();
    setTasks(null);
    setLoaded(0);
    setError(null);
    fetchPlanTasks<ListedTask>(planId, {}, { maxPages: 200, signal: gone.signal, onPage: (all) => setLoaded(all.length) })
      .then((all) => {
        if (gone.signal.aborted) return;
        performance.mark('mandate:plan-tasks');
        setTasks(all);
      })
      .catch((failure: unknown) => !gone.signal.aborted && setError(messageOf(failure)));
    return () => gone.abort();
  }, [planId]);
  return { tasks, loaded, error };
};

/** Rows drawn at once when the tasks arrive: more than a screen holds, even on a tall screen. */
const FIRST_ROWS = 60;
/** Rows added per step after that: each step is a short task, so a keystroke never waits long. */
const STEP_ROWS = 120;

/**
 * How many of a long list's rows to draw: the first screen at once, the rest a step at a time
 * between the browser's other work (a plan of 500 tasks is readable and answers its search box
 * before its last row is in the page). Starts again when the list itself is replaced (a new load).
 */
const useDrawnRows = (list: readonly unknown[] | null): number => {
  const [drawn, setDrawn] = useState({ of: list, count: FIRST_ROWS });
  if (drawn.of !== list) setDrawn({ of: list, count: FIRST_ROWS });
  const count = drawn.of === list ? drawn.count : FIRST_ROWS;
  useEffect(() => {
    if (!list || count >= list.length) return;
    // A macrotask between steps lets the browser paint and take input; the step itself may be interrupted.
    const next = setTimeout(() => startTransition(() => setDrawn((d) => (d.of === list ? { of: list, count: d.count + STEP_ROWS } : d))), 0);
    return () => clearTimeout(next);
  }, [list, count]);
  return count;
};

// ---------------------------------------------------------------------------------------------

const TaskRow = memo(({ row, withLeader, words }: { row: Row; withLeader: boolean; words: PlanWords }) => (
  <tr className={row.timeliness}>
    <td className="plan-ref">{row.ref}</td>
    <td>
      <Link to={`/tasks/${encodeURIComponent(row.id)}`}>{row.title}</Link>
    </td>
    <td>
      {row.leadName}
      {row.coordinators && (
        <span className="plan-coord">
          {words.coordinators}: {row.coordinators}
        </span>
      )}
    </td>
    <td>
      {row.deadlineText}
      {row.due && (
        <>
          {row.deadlineText && <br />}
          <time dateTime={row.due}>{row.dueText}</time>
        </>
      )}
      {row.adjusted && (
        <>
          <br />
          <span className="badge">{words.adjusted}</span>
        </>
      )}
    </td>
    {withLeader && <td>{row.supervisor}</td>}
    <td>{row.statusLabel}</td>
    <td>
      <span className={`badge ${row.timeliness}`}>{row.timelinessLabel}</span>
    </td>
  </tr>
));

type Group = { key: string; title: string | null; rows: Row[] };

const TaskTable = memo(
  ({ groups, withLeader, words, caption, busy }: { groups: Group[]; withLeader: boolean; words: PlanWords; caption: string; busy: boolean }) => {
    const columns = withLeader ? 7 : 6;
    return (
      <Table
        head={[words.ref, words.title, words.lead, words.deadline, withLeader && words.leader, words.statusCol, words.timelinessCol]}
        caption={caption}
        className="plan-table"
        busy={busy}
      >
        {groups.map((group) => (
          <tbody key={group.key}>
            {group.title !== null && (
              <tr>
                <th scope="rowgroup" colSpan={columns} className="group-title">
                  {group.title}
                </th>
              </tr>
            )}
            {group.rows.map((row) => (
              <TaskRow key={row.id} row={row} withLeader={withLeader} words={words} />
            ))}
          </tbody>
        ))}
      </Table>
    );
  },
);

const CountsTable = ({ rows, words, title }: { rows: NonNullable<CountsAnswer['rows']>; words: PlanWords; title: string }) => {
  const fmt = useFormat();
  return (
    <Table head={[words.name, ...COUNT_KEYS.map((k) => words[k])]} caption={title}>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.key}|${r.name}`}>
            <th scope="row">{r.name}</th>
            {COUNT_KEYS.map((k) => (
              <td key={k} className={k === 'openOverdue' && r[k] > 0 ? 'overdue' : undefined}>
                {fmt.number(r[k] ?? 0)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </Table>
  );
};

/** A breakdown of the counts, drawn only once opened. */
const Breakdown = ({ summary, rows, words }: { summary: string; rows: CountsAnswer['rows']; words: PlanWords }) => {
  const [open, setOpen] = useState(false);
  if (!rows || rows.length === 0) return null;
  return (
    <details className="plan-breakdown" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>{summary}</summary>
      {open && <CountsTable rows={rows} words={words} title={summary} />}
    </details>
  );
};

// ---------------------------------------------------------------------------------------------

type View = 'table' | 'timeline';
const VIEWS: readonly View[] = ['table', 'timeline'];

const PlanPage = () => {
  const { planId } = useParams<{ planId: string }>();
  const words = useWords(WORDS);
  const common = useCommon();
  const fmt = useFormat();

  const paths = planId ? planPagePaths(planId) : null;
  const plan = useApi<Plan>(paths?.plan ?? null);
  const counts = useApi<CountsAnswer>(paths?.counts ?? null);
  const leaderCounts = useApi<CountsAnswer>(paths?.leaderCounts ?? null);
  const { tasks, loaded, error: tasksError } = useAllTasks(planId);

  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const deferred = useDeferredValue(filters);
  const [view, setView] = useState<View>('table');

  const leaders = useMemo(() => (leaderCounts.data?.rows ?? []).map((r) => r.key).filter((k): k is string => !!k), [leaderCounts.data]);

  // Everything the table shows and the filters test, computed once per load.
  const rows = useMemo<Row[]>(() => {
    if (!tasks) return [];
    return tasks.map((t) => {
      const ref = t.ref ?? '';
      const title = t.title ?? '';
      const leadName = t.lead?.name ?? '';
      const coordinators = (t.coordinators ?? []).map((c) => c.name).join(', ');
      const deadlineText = t.deadline?.text ?? '';
      const supervisor = t.supervisor ?? '';
      const status = t.status?.code ?? '';
      const timeliness = t.status?.timeliness ?? 'no_deadline';
      const due = t.deadline?.due ?? null;
      return {
        id: t.id,
        ref,
        title,
        group: t.group ?? null,
        leadKey: t.lead ? (t.lead.agencyId ?? `name:${t.lead.name}`) : NONE,
        leadName,
        coordinators,
        deadlineText,
        due,
        start: t.deadline?.start ?? null,
        dueText: fmt.date(due),
        status,
        statusLabel: label(common, status) || t.status?.label || '',
        timeliness,
        timelinessLabel: label(common, timeliness),
        supervisor,
        adjusted: !!t.adjusted,
        haystack: fold([ref, title, leadName, coordinators, deadlineText, supervisor, t.group ?? ''].join(' \u0001 ')),
      };
    });
  }, [tasks, fmt, common]);

  // The leader each row's supervisor names, once per distinct name (a plan names a handful of leaders),
  // apart from the rows: the leaders' list may arrive after the tasks and must not redraw the table.
  const leaderKeyOf = useMemo(() => {
    const keys = new Map<string, string>();
    for (const r of rows) if (!keys.has(r.supervisor)) keys.set(r.supervisor, r.supervisor ? personNamed(r.supervisor, leaders) || NONE : NONE);
    return (row: Row) => keys.get(row.supervisor) ?? NONE;
  }, [rows, leaders]);

  const leadOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const r of rows) if (!seen.has(r.leadKey)) seen.set(r.leadKey, r.leadKey === NONE ? words.noLead : r.leadName);
    return [...seen.entries()].sort((a, b) => (a[0] === NONE ? 1 : b[0] === NONE ? -1 : a[1].localeCompare(b[1], 'vi')));
  }, [rows, words]);

  const leaderOptions = useMemo(() => {
    const seen = new Set<string>();
    for (const r of rows) seen.add(leaderKeyOf(r));
    return [...seen].sort((a, b) => (a === NONE ? 1 : b === NONE ? -1 : a.localeCompare(b, 'vi'))).map((k) => [k, k === NONE ? words.noLeader : k] as const);
  }, [rows, words, leaderKeyOf]);

  const withLeader = useMemo(() => rows.some((r) => r.supervisor), [rows]);

  const filtered = useMemo(() => {
    const needles = fold(deferred.text).split(/\s+/).filter(Boolean);
    const { status, timeliness, lead, leader } = deferred;
    if (!needles.length && !status && !timeliness && !lead && !leader) return rows;
    return rows.filter(
      (r) =>
        (!status || r.status === status) &&
        (!timeliness || r.timeliness === timeliness) &&
        (!lead || r.leadKey === lead) &&
        (!leader || leaderKeyOf(r) === leader) &&
        needles.every((n) => r.haystack.includes(n)),
    );
  }, [rows, deferred, leaderKeyOf]);

  const drawn = useDrawnRows(tasks);
  useEffect(() => {
    if (rows.length > 0)
      performance.mark(drawn >= rows.length ? 'mandate:plan-rows-all' : drawn === FIRST_ROWS ? 'mandate:plan-rows-first' : 'mandate:plan-rows-step');
  }, [rows.length, drawn]);

  // The appendix's groups (I, II, III …), in document order: a new heading where the group changes.
  const groups = useMemo<Group[]>(() => {
    const out: Group[] = [];
    const seen = new Map<string | null, number>();
    for (const row of filtered.slice(0, drawn)) {
      const last = out[out.length - 1];
      if (last && last.title === row.group) last.rows.push(row);
      else {
        // Keyed by heading (and its occurrence), so filtering keeps each group's rows mounted.
        const n = seen.get(row.group) ?? 0;
        seen.set(row.group, n + 1);
        out.push({ key: `${row.group ?? ''}#${n}`, title: row.group, rows: [row] });
      }
    }
    return out;
  }, [filtered, drawn]);

  const ganttItems = useMemo<GanttItem[]>(
    () => filtered.map((r) => ({ id: r.id, ref: r.ref, title: r.title, start: r.start, due: r.due, timeliness: r.timeliness })),
    [filtered],
  );

  const set = useCallback((key: keyof Filters, value: string) => setFilters((f) => ({ ...f, [key]: value })), []);
  const active = filters.text !== '' || filters.status !== '' || filters.timeliness !== '' || filters.lead !== '' || filters.leader !== '';
  const stale = filters !== deferred;

  // Tabs (WAI-ARIA pattern): arrow keys move between them.
  const tableTab = useRef<HTMLButtonElement>(null);
  const timelineTab = useRef<HTMLButtonElement>(null);
  const onTabKey = (event: KeyboardEvent) => {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
    event.preventDefault();
    const next: View = event.key === 'Home' ? 'table' : event.key === 'End' ? 'timeline' : view === 'table' ? 'timeline' : 'table';
    setView(next);
    (next === 'table' ? tableTab : timelineTab).current?.focus();
  };

  if (plan.error) {
    return (
      <>
        <h1>{words.plan}</h1>
        <ErrorMessage error={plan.error} />
        <p>
          <Link to="/plans">{words.back}</Link>
        </p>
      </>
    );
  }
  if (!plan.data) return <Loading />;

  const p = plan.data;
  const number = p.number || common.noNumber;
  const heading = [number, p.title].filter(Boolean).join(' — ');
  const total = counts.data?.total;
  const expected = p.taskCount;

  return (
    <div className="plan-page">
      <p className="plan-back">
        <Link to="/plans">← {words.back}</Link>
      </p>
      <h1>{heading || words.plan}</h1>
      <dl className="plan-meta">
        <div>
          <dt>{words.kindLabel}</dt>
          <dd>{p.kind === 'directive' ? words.directive : words.plan}</dd>
        </div>
        {p.issuer && (
          <div>
            <dt>{words.issuer}</dt>
            <dd>{p.issuer}</dd>
          </div>
        )}
        {p.issuedOn && (
          <div>
            <dt>{words.issuedOn}</dt>
            <dd>
              <time dateTime={p.issuedOn}>{fmt.date(p.issuedOn)}</time>
            </dd>
          </div>
        )}
        {p.implements && p.implements.length > 0 && (
          <div>
            <dt>{words.implementsDoc}</dt>
            <dd>
              {p.implements.map((doc, i) => (
                <span key={i} className="plan-doc">
                  {doc.planId ? <Link to={`/plans/${encodeURIComponent(doc.planId)}`}>{doc.text ?? doc.number}</Link> : (doc.text ?? doc.number)}
                </span>
              ))}
            </dd>
          </div>
        )}
        {p.implementedBy && p.implementedBy.length > 0 && (
          <div>
            <dt>{words.implementedBy}</dt>
            <dd>
              {p.implementedBy.map((doc) => (
                <span key={doc.planId} className="plan-doc">
                  <Link to={`/plans/${encodeURIComponent(doc.planId)}`}>{[doc.number, doc.title].filter(Boolean).join(' — ')}</Link>
                </span>
              ))}
            </dd>
          </div>
        )}
      </dl>

      <section className="card" aria-labelledby="plan-counts">
        <h2 id="plan-counts">{words.counts}</h2>
        <ErrorMessage error={counts.error} />
        {!total && !counts.error && <Loading />}
        {total && (
          <>
            <Kpis
              className="plan-kpis"
              items={COUNT_KEYS.map((k) => ({
                key: k,
                name: words[k],
                value: fmt.number(total[k] ?? 0),
                tone: k === 'openOverdue' && total[k] > 0 ? 'overdue' : undefined,
                attributes: { 'data-testid': `count-${k}` },
              }))}
            />
            {counts.data?.at && (
              <p className="muted">
                {words.countsAt} {fmt.dateTime(counts.data.at)}
              </p>
            )}
            <Breakdown summary={words.byAgency} rows={counts.data?.rows} words={words} />
            <Breakdown summary={words.byLeader} rows={leaderCounts.data?.rows} words={words} />
          </>
        )}
      </section>

      <section className="card" aria-labelledby="plan-tasks">
        <h2 id="plan-tasks">{words.tasks}</h2>
        <ErrorMessage error={tasksError} />
        {!tasks && !tasksError && (
          <p className="muted" role="status">
            {words.loadingTasks} {loaded > 0 ? `${fmt.number(loaded)}${expected ? ` / ${fmt.number(expected)}` : ''}` : ''}
          </p>
        )}
        {tasks && (
          <>
            <form role="search" aria-label={words.filters} className="row plan-filters" onSubmit={(e) => e.preventDefault()}>
              <label className="plan-search">
                {words.search}
                <input type="search" value={filters.text} placeholder={words.searchHint} onChange={(e) => set('text', e.target.value)} />
              </label>
              <SelectField
                label={words.status}
                value={filters.status}
                onChange={(v) => set('status', v)}
                all={words.all}
                options={STATUS_CODES.map((c) => [c, label(common, c)] as const)}
              />
              <SelectField
                label={words.timeliness}
                value={filters.timeliness}
                onChange={(v) => set('timeliness', v)}
                all={words.all}
                options={TIMELINESS_CODES.map((c) => [c, label(common, c)] as const)}
              />
              <SelectField label={words.lead} value={filters.lead} onChange={(v) => set('lead', v)} all={words.all} options={leadOptions} />
              <SelectField label={words.leader} value={filters.leader} onChange={(v) => set('leader', v)} all={words.all} options={leaderOptions} />
              <button type="button" className="secondary" onClick={() => setFilters(NO_FILTERS)} disabled={!active}>
                {words.reset}
              </button>
            </form>
            <p className="muted plan-showing" role="status" aria-live="polite">
              {words.showing} {fmt.number(filtered.length)} {words.of} {fmt.number(rows.length)} {words.taskWord}
            </p>

            <div role="tablist" aria-label={words.views} className="plan-tabs" onKeyDown={onTabKey}>
              {VIEWS.map((v) => (
                <button
                  key={v}
                  ref={v === 'table' ? tableTab : timelineTab}
                  type="button"
                  role="tab"
                  id={`plan-tab-${v}`}
                  aria-selected={view === v}
                  aria-controls={`plan-panel-${v}`}
                  tabIndex={view === v ? 0 : -1}
                  onClick={() => setView(v)}
                >
                  {words[v]}
                </button>
              ))}
            </div>

            <div id="plan-panel-table" role="tabpanel" aria-labelledby="plan-tab-table" hidden={view !== 'table'} className={stale ? 'plan-stale' : undefined}>
              {view === 'table' &&
                (rows.length === 0 ? (
                  <p className="muted">{words.noTasks}</p>
                ) : filtered.length === 0 ? (
                  <p className="muted">{words.noMatch}</p>
                ) : (
                  <TaskTable groups={groups} withLeader={withLeader} words={words} caption={`${words.caption} ${number}`} busy={drawn < filtered.length} />
                ))}
            </div>
            <div
              id="plan-panel-timeline"
              role="tabpanel"
              aria-labelledby="plan-tab-timeline"
              hidden={view !== 'timeline'}
              className={stale ? 'plan-stale' : undefined}
            >
              {view === 'timeline' && (
                <Gantt items={ganttItems} defaultStart={p.issuedOn ?? null} today={counts.data?.at ?? null} label={`${words.chart} ${number}`} />
              )}
            </div>
          </>
        )}
      </section>
    </div>
  );
};

export default PlanPage;
