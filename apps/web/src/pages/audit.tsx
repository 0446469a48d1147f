import { memo, useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api, download, messageOf, query } from '../api';
import { useSession } from '../session-context';
import { DateField, SelectField } from '../components/fields';
import { Kpis } from '../components/kpis';
import { DoneMessage, ErrorMessage, RequestState } from '../components/messages';
import { PlanSelect, planText, useFirstPlan, usePlans, type PlanSummary } from '../components/plan-select';
import { Table } from '../components/table';
import { addDays, daysBetween, endOfDay, startOfDay, vietnamDay } from '../dates';
import { fill, label, useCommon, useFormat, useWords } from '../i18n';
import { EVENT_TYPES, useEventLabel } from '../event-labels';
import { fetchPlanTasks, type Page } from '../paging';
import { useApi } from '../use-api';

type Verify = {
  ok: boolean;
  streams?: number;
  events?: number;
  firstBroken?: { streamId: string; version: number; position: number; reason: string } | null;
  anchors?: {
    checked: number;
    firstBroken: { day: string; expected: string | null; found: string; reason: string; anchoredEvents: number | null; foundEvents: number } | null;
  } | null;
};
type Anchor = { day: string; root: string; events: number; firstPosition: number; lastPosition: number; previousAnchorRoot: string | null; createdAt: string };
type ListedTask = {
  id: string;
  ref: string;
  title: string;
  group?: string | null;
  lead?: { agencyId: string | null; name: string } | null;
  deadline?: { text?: string; kind?: string; due?: string | null };
  status?: { code: string; label?: string; timeliness?: string } | string;
};
type Actor = { userId: string; role: string; agencyId: string | null };
type DiffEntry = { type: string; recordedAt: string; version: number; actor: Actor };
type TaskState = { status: string; due: string | null; leadAgencyId: string | null; title: string; withdrawn: boolean } | null;
type Diff = {
  planId: string;
  from: string;
  to: string;
  plan?: DiffEntry[];
  tasks?: { taskId: string; ref: string | null; before: TaskState; after: TaskState; events: DiffEntry[] }[];
};
type AuditEvent = {
  position: number;
  streamId: string;
  type: string;
  version: number;
  eventId: string;
  recordedAt: string;
  occurredAt?: string;
  actor?: Actor;
  reason?: string | null;
  correlationId?: string;
  data?: Record<string, unknown>;
  hash?: string;
};

const WORDS = {
  vi: {
    title: 'Thanh tra, kiểm tra lịch sử',
    intro:
      'Mọi thay đổi về kế hoạch, nhiệm vụ được ghi thành chuỗi sự kiện có băm nối tiếp và mốc neo hằng ngày; trang này kiểm tra, tra cứu và xuất chuỗi đó.',
    // Integrity
    integrity: 'Tính toàn vẹn của nhật ký',
    verify: 'Kiểm tra toàn vẹn',
    verifying: 'Đang kiểm tra…',
    verifyOk: 'Toàn vẹn: không có liên kết nào bị phá vỡ.',
    verifyBroken: 'Phát hiện liên kết bị phá vỡ.',
    streams: 'Số luồng sự kiện',
    events: 'Số sự kiện',
    anchorsChecked: 'Mốc neo đã kiểm tra',
    firstBroken: 'Liên kết hỏng đầu tiên',
    stream: 'Luồng',
    version: 'Phiên bản',
    position: 'Vị trí',
    reason: 'Lý do',
    anchorBroken: 'Mốc neo hỏng đầu tiên',
    day: 'Ngày',
    expected: 'Gốc đã neo',
    found: 'Gốc tính lại',
    notVerified: 'Chưa kiểm tra trong phiên này.',
    // Anchors
    anchors: 'Mốc neo hằng ngày',
    anchorsChart: 'Số sự kiện theo ngày đã neo',
    anchorsSummary: '{days} ngày đã neo, tổng {events} sự kiện.',
    noAnchors: 'Chưa có mốc neo nào. Mốc neo của một ngày được lập sau khi ngày đó kết thúc.',
    anchorList: 'Danh sách mốc neo',
    root: 'Gốc Merkle',
    positions: 'Vị trí sự kiện',
    createdAt: 'Lập lúc',
    // Plan as of
    planAt: 'Kế hoạch tại một ngày',
    plan: 'Kế hoạch',
    atDay: 'Tại ngày',
    showAt: 'Xem kế hoạch tại ngày',
    loadingTasks: 'Đang dựng lại kế hoạch…',
    tasksAt: '{count} nhiệm vụ tại cuối ngày {day}',
    notAtDay: 'Kế hoạch chưa có tại ngày này.',
    ref: 'Số TT',
    task: 'Nhiệm vụ',
    lead: 'Chủ trì',
    deadline: 'Thời hạn',
    status: 'Trạng thái',
    history: 'Toàn bộ lịch sử kế hoạch',
    showHistory: 'Xem toàn bộ lịch sử',
    historyCount: '{count} sự kiện trên {streams} luồng',
    more: 'Xem thêm',
    // Diff
    diff: 'So sánh hai thời điểm',
    diffPlan: 'Kế hoạch cần so sánh',
    diffFrom: 'So sánh từ ngày',
    diffTo: 'So sánh đến ngày',
    compare: 'So sánh',
    comparing: 'Đang so sánh…',
    diffCount: '{count} nhiệm vụ thay đổi; {plan} sự kiện của kế hoạch.',
    noChange: 'Không có thay đổi trong khoảng này.',
    before: 'Trước',
    after: 'Sau',
    changes: 'Sự kiện',
    none: '—',
    withdrawn: 'đã rút',
    planEvents: 'Sự kiện của kế hoạch',
    badRange: 'Ngày bắt đầu phải trước ngày kết thúc.',
    // Search
    search: 'Tra cứu sự kiện',
    actor: 'Người thực hiện (mã người dùng)',
    searchFrom: 'Sự kiện từ ngày',
    searchTo: 'Sự kiện đến ngày',
    type: 'Loại sự kiện',
    anyType: 'Tất cả',
    find: 'Tìm kiếm',
    finding: 'Đang tìm…',
    foundCount: '{count} sự kiện',
    noEvents: 'Không có sự kiện nào khớp.',
    at: 'Thời điểm',
    by: 'Người thực hiện',
    correlation: 'Mã tương quan',
    // Export
    export: 'Bản xuất có ký số',
    exportHelp:
      'Tệp JSON chứa sự kiện, chuỗi băm, mốc neo và chữ ký Ed25519; kiểm tra ngoại tuyến bằng "mandate audit verify-export". Tối đa 366 ngày mỗi lần.',
    exportFrom: 'Xuất từ ngày',
    exportTo: 'Xuất đến ngày',
    exportButton: 'Tải bản xuất có ký số',
    exporting: 'Đang xuất…',
    tooLong: 'Mỗi lần xuất tối đa 366 ngày.',
    exported: 'Đã tải bản xuất.',
  },
  en: {
    title: 'Audit and history',
    intro: 'Every change to plans and tasks is recorded as hash-chained events with daily anchors; this page checks, searches and exports that log.',
    integrity: 'Integrity of the log',
    verify: 'Check integrity',
    verifying: 'Checking…',
    verifyOk: 'Intact: no broken link.',
    verifyBroken: 'A broken link was found.',
    streams: 'Event streams',
    events: 'Events',
    anchorsChecked: 'Anchors checked',
    firstBroken: 'First broken link',
    stream: 'Stream',
    version: 'Version',
    position: 'Position',
    reason: 'Reason',
    anchorBroken: 'First broken anchor',
    day: 'Day',
    expected: 'Anchored root',
    found: 'Recomputed root',
    notVerified: 'Not checked in this session yet.',
    anchors: 'Daily anchors',
    anchorsChart: 'Events per anchored day',
    anchorsSummary: '{days} days anchored, {events} events in all.',
    noAnchors: 'No anchor yet. A day is anchored after it ends.',
    anchorList: 'Anchors',
    root: 'Merkle root',
    positions: 'Event positions',
    createdAt: 'Made at',
    planAt: 'A plan as of a day',
    plan: 'Plan',
    atDay: 'As of',
    showAt: 'Show the plan as of that day',
    loadingTasks: 'Rebuilding the plan…',
    tasksAt: '{count} tasks at the end of {day}',
    notAtDay: 'The plan did not exist yet on that day.',
    ref: 'No.',
    task: 'Task',
    lead: 'Lead',
    deadline: 'Deadline',
    status: 'Status',
    history: "The plan's whole history",
    showHistory: 'Show the whole history',
    historyCount: '{count} events in {streams} streams',
    more: 'Show more',
    diff: 'Compare two days',
    diffPlan: 'Plan to compare',
    diffFrom: 'Compare from',
    diffTo: 'Compare to',
    compare: 'Compare',
    comparing: 'Comparing…',
    diffCount: '{count} tasks changed; {plan} plan events.',
    noChange: 'Nothing changed in this range.',
    before: 'Before',
    after: 'After',
    changes: 'Events',
    none: '—',
    withdrawn: 'withdrawn',
    planEvents: 'Plan events',
    badRange: 'The start must be before the end.',
    search: 'Search events',
    actor: 'Actor (user id)',
    searchFrom: 'Events from',
    searchTo: 'Events to',
    type: 'Event type',
    anyType: 'Any',
    find: 'Search',
    finding: 'Searching…',
    foundCount: '{count} events',
    noEvents: 'No event matches.',
    at: 'When',
    by: 'By',
    correlation: 'Correlation id',
    export: 'Signed export',
    exportHelp:
      'A JSON file with the events, hash chains, anchors and an Ed25519 signature; check it offline with "mandate audit verify-export". At most 366 days at a time.',
    exportFrom: 'Export from',
    exportTo: 'Export to',
    exportButton: 'Download the signed export',
    exporting: 'Exporting…',
    tooLong: 'At most 366 days per export.',
    exported: 'Export downloaded.',
  },
};
type Words = Record<keyof (typeof WORDS)['vi'], string>;

const short = (hash: string | null | undefined) => (hash ? `${hash.slice(0, 12)}…` : '');
const planNumber = (plan: PlanSummary) => plan.number ?? plan.id;
const planShort = (plan: PlanSummary) => planText(plan, 70);

const ActorText = ({ actor }: { actor: Actor | undefined }) => {
  const common = useCommon();
  if (!actor) return null;
  return (
    <>
      {actor.userId}
      <span className="muted">
        {' · '}
        {label(common, actor.role)}
        {actor.agencyId ? ` · ${actor.agencyId}` : ''}
      </span>
    </>
  );
};

/** The button under a long list that shows more of it. */
const ShowMore = ({ text, disabled, onClick }: { text: string; disabled?: boolean; onClick: () => void }) => (
  <div className="row">
    <button type="button" className="secondary" disabled={disabled} onClick={onClick}>
      {text}
    </button>
  </div>
);

const StreamLink = ({ streamId }: { streamId: string }) => {
  const task = /^task-(.+)$/.exec(streamId)?.[1];
  const plan = /^plan-(.+)$/.exec(streamId)?.[1];
  if (task) return <Link to={`/tasks/${task}`}>{streamId}</Link>;
  if (plan) return <Link to={`/plans/${plan}`}>{streamId}</Link>;
  return <>{streamId}</>;
};

// ------------------------------------------------------------------------------------------------

const Integrity = ({ words }: { words: Words }) => {
  const format = useFormat();
  const [result, setResult] = useState<Verify | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api<Verify>('/api/v1/audit/verify'));
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  const broken = result?.firstBroken ?? null;
  const anchorBroken = result?.anchors?.firstBroken ?? null;
  return (
    <section className="card stack" aria-labelledby="audit-integrity">
      <h2 id="audit-integrity">{words.integrity}</h2>
      <div className="row">
        <button type="button" className="primary" disabled={busy} onClick={() => void run()}>
          {busy ? words.verifying : words.verify}
        </button>
      </div>
      <ErrorMessage error={error} />
      {!result && !error ? <p className="muted">{words.notVerified}</p> : null}
      {result ? (
        <div role="status" className="stack">
          {result.ok && !broken && !anchorBroken ? <p className="ok">{words.verifyOk}</p> : <p className="error">{words.verifyBroken}</p>}
          <Kpis
            items={[
              { key: 'streams', name: words.streams, value: format.number(result.streams ?? 0) },
              { key: 'events', name: words.events, value: format.number(result.events ?? 0) },
              { key: 'anchors', name: words.anchorsChecked, value: format.number(result.anchors?.checked ?? 0) },
            ]}
          />
          {broken ? (
            <div className="error">
              <strong>{words.firstBroken}</strong>
              <dl className="audit-dl">
                <dt>{words.stream}</dt>
                <dd>
                  <StreamLink streamId={broken.streamId} />
                </dd>
                <dt>{words.version}</dt>
                <dd>{broken.version}</dd>
                <dt>{words.position}</dt>
                <dd>{broken.position}</dd>
                <dt>{words.reason}</dt>
                <dd>{broken.reason}</dd>
              </dl>
            </div>
          ) : null}
          {anchorBroken ? (
            <div className="error">
              <strong>{words.anchorBroken}</strong>
              <dl className="audit-dl">
                <dt>{words.day}</dt>
                <dd>{format.date(anchorBroken.day)}</dd>
                <dt>{words.reason}</dt>
                <dd>{anchorBroken.reason}</dd>
                <dt>{words.expected}</dt>
                <dd className="audit-hash">{anchorBroken.expected ?? words.none}</dd>
                <dt>{words.found}</dt>
                <dd className="audit-hash">{anchorBroken.found}</dd>
              </dl>
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
};

/** Events per anchored day, as SVG bars (scrolls sideways when there are many days). */
const AnchorsChart = memo(({ anchors, words }: { anchors: Anchor[]; words: Words }) => {
  const format = useFormat();
  const total = anchors.reduce((n, a) => n + a.events, 0);
  const max = Math.max(1, ...anchors.map((a) => a.events));
  const step = 22;
  const height = 160;
  const top = 16;
  const bottom = 34;
  const width = Math.max(320, anchors.length * step + 20);
  const summary = fill(words.anchorsSummary, { days: format.number(anchors.length), events: format.number(total) });
  return (
    <figure className="audit-chart">
      <div className="table-wrap">
        <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${words.anchorsChart}. ${summary}`}>
          <title>{`${words.anchorsChart}. ${summary}`}</title>
          <line x1="10" x2={width - 10} y1={height - bottom} y2={height - bottom} stroke="#8a8a8a" />
          {anchors.map((a, i) => {
            const h = ((height - top - bottom) * a.events) / max;
            const x = 10 + i * step;
            const labelled = anchors.length <= 14 || i % Math.ceil(anchors.length / 14) === 0;
            return (
              <g key={a.day}>
                <rect x={x + 3} y={height - bottom - h} width={step - 6} height={Math.max(a.events > 0 ? 2 : 0, h)} rx="2" fill="var(--brand)">
                  <title>{`${format.date(a.day)}: ${format.number(a.events)}`}</title>
                </rect>
                {labelled ? (
                  <text x={x + step / 2} y={height - bottom + 14} fontSize="10" textAnchor="middle" fill="currentColor">
                    {format.date(a.day).slice(0, 5)}
                  </text>
                ) : null}
              </g>
            );
          })}
        </svg>
      </div>
      <figcaption className="muted">{summary}</figcaption>
    </figure>
  );
});

const Anchors = ({ words }: { words: Words }) => {
  const format = useFormat();
  const { data, error, loading } = useApi<{ items?: Anchor[] }>('/api/v1/audit/anchors');
  const anchors = useMemo(() => data?.items ?? [], [data]);
  return (
    <section className="card stack" aria-labelledby="audit-anchors">
      <h2 id="audit-anchors">{words.anchors}</h2>
      <RequestState error={error} loading={loading} loaded={data !== null} loadingText="…" empty={anchors.length === 0 && words.noAnchors} />
      {anchors.length > 0 ? (
        <>
          <AnchorsChart anchors={anchors} words={words} />
          <details>
            <summary>{words.anchorList}</summary>
            <Table head={[words.day, words.events, words.positions, words.root, words.createdAt]}>
              <tbody>
                {[...anchors].reverse().map((a) => (
                  <tr key={a.day}>
                    <td>{format.date(a.day)}</td>
                    <td>{format.number(a.events)}</td>
                    <td>
                      {a.firstPosition}–{a.lastPosition}
                    </td>
                    <td className="audit-hash" title={a.root}>
                      {short(a.root)}
                    </td>
                    <td>{format.dateTime(a.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </details>
        </>
      ) : null}
    </section>
  );
};

// ------------------------------------------------------------------------------------------------

const statusOf = (task: ListedTask) =>
  typeof task.status === 'string' ? { code: task.status, timeliness: undefined } : (task.status ?? { code: '', timeliness: undefined });

const TasksAt = memo(({ tasks, words }: { tasks: ListedTask[]; words: Words }) => {
  const common = useCommon();
  const format = useFormat();
  return (
    <Table head={[words.ref, words.task, words.lead, words.deadline, words.status]}>
      <tbody>
        {tasks.map((task) => {
          const status = statusOf(task);
          return (
            <tr key={task.id}>
              <td>{task.ref}</td>
              <td>
                <Link to={`/tasks/${task.id}`}>{task.title}</Link>
              </td>
              <td>{task.lead?.name ?? ''}</td>
              <td className={task.deadline?.due ? undefined : 'no_deadline'}>
                {task.deadline?.due ? format.date(task.deadline.due) : (task.deadline?.text ?? '')}
              </td>
              <td>
                <span className={`badge ${status.timeliness ?? ''}`}>{label(common, status.code)}</span>
                {status.timeliness && status.timeliness !== status.code ? (
                  <span className={`audit-timeliness ${status.timeliness}`}> {label(common, status.timeliness)}</span>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
});

const EventTable = memo(({ events, words }: { events: AuditEvent[]; words: Words }) => {
  const format = useFormat();
  const eventLabel = useEventLabel();
  return (
    <Table head={[words.at, words.type, words.stream, words.by, words.reason, words.correlation]} className="audit-events">
      <tbody>
        {events.map((e) => (
          <tr key={e.eventId ?? `${e.streamId}:${e.version}`}>
            <td>{format.dateTime(e.recordedAt)}</td>
            <td>
              {eventLabel(e.type)}
              <div className="muted audit-code">{e.type}</div>
            </td>
            <td className="audit-code">
              <StreamLink streamId={e.streamId} /> <span className="muted">v{e.version}</span>
            </td>
            <td>
              <ActorText actor={e.actor} />
            </td>
            <td>{e.reason ?? ''}</td>
            <td className="audit-code">{e.correlationId ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
});

const HISTORY_PAGE = 200;

type PlanPickProps = { words: Words; plans: readonly PlanSummary[]; planId: string; setPlanId: (id: string) => void; today: string };

const PlanAt = ({ words, plans, planId, setPlanId, today }: PlanPickProps) => {
  const common = useCommon();
  const format = useFormat();
  const [day, setDay] = useState(today);
  const [tasks, setTasks] = useState<ListedTask[] | null>(null);
  const [shownDay, setShownDay] = useState('');
  const [busy, setBusy] = useState<'at' | 'history' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [history, setHistory] = useState<{ items: AuditEvent[]; streams: number } | null>(null);
  const [historyShown, setHistoryShown] = useState(HISTORY_PAGE);

  useEffect(() => {
    setTasks(null);
    setHistory(null);
    setError(null);
  }, [planId]);

  const show = async (event: FormEvent) => {
    event.preventDefault();
    const asOf = endOfDay(day);
    if (!planId || !asOf) return;
    setBusy('at');
    setError(null);
    try {
      setTasks(await fetchPlanTasks<ListedTask>(planId, { asOf }));
      setShownDay(day);
    } catch (failure) {
      setTasks(null);
      const message = messageOf(failure);
      setError(/did not exist|not found/i.test(message) ? `${words.notAtDay} (${message})` : message);
    } finally {
      setBusy(null);
    }
  };

  const showHistory = async () => {
    setBusy('history');
    setError(null);
    try {
      const result = await api<{ items?: AuditEvent[]; streams?: number }>(`/api/v1/audit/plans/${planId}/history`);
      setHistory({ items: result.items ?? [], streams: result.streams ?? 0 });
      setHistoryShown(HISTORY_PAGE);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(null);
    }
  };

  const byStatus = useMemo(() => {
    const counts = new Map<string, number>();
    for (const task of tasks ?? []) {
      const code = statusOf(task).code;
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    return [...counts.entries()];
  }, [tasks]);
  const historyItems = useMemo(() => history?.items.slice(0, historyShown) ?? [], [history, historyShown]);

  return (
    <section className="card stack" aria-labelledby="audit-plan-at">
      <h2 id="audit-plan-at">{words.planAt}</h2>
      <form className="row" onSubmit={(e) => void show(e)}>
        <PlanSelect id="audit-plan" label={words.plan} plans={plans} value={planId} onChange={setPlanId} text={planShort} />
        <DateField id="audit-day" label={words.atDay} value={day} onChange={setDay} max={today} required />
        <button type="submit" className="primary" disabled={busy !== null || !planId}>
          {busy === 'at' ? words.loadingTasks : words.showAt}
        </button>
        <button type="button" className="secondary" disabled={busy !== null || !planId} onClick={() => void showHistory()}>
          {words.showHistory}
        </button>
      </form>
      <ErrorMessage error={error} />
      {tasks ? (
        <div className="stack">
          <p role="status">
            <strong>{fill(words.tasksAt, { count: format.number(tasks.length), day: format.date(shownDay) })}</strong>
            {byStatus.length > 0 ? ': ' : ''}
            {byStatus.map(([code, n], i) => (
              <span key={code}>
                {i > 0 ? ', ' : ''}
                {label(common, code)} {format.number(n)}
              </span>
            ))}
          </p>
          <TasksAt tasks={tasks} words={words} />
        </div>
      ) : null}
      {history ? (
        <div className="stack">
          <h3>{words.history}</h3>
          <p className="muted">{fill(words.historyCount, { count: format.number(history.items.length), streams: format.number(history.streams) })}</p>
          <EventTable events={historyItems} words={words} />
          {history.items.length > historyShown ? <ShowMore text={words.more} onClick={() => setHistoryShown((n) => n + HISTORY_PAGE)} /> : null}
        </div>
      ) : null}
    </section>
  );
};

const stateText = (state: TaskState, common: Record<string, string>, words: Words, date: (d: string) => string) => {
  if (!state) return <span className="muted">{words.none}</span>;
  return (
    <>
      {label(common, state.status)}
      {state.withdrawn ? ` (${words.withdrawn})` : ''}
      {state.due ? <div className="muted">{date(state.due)}</div> : null}
      {state.leadAgencyId ? <div className="muted">{state.leadAgencyId}</div> : null}
    </>
  );
};

const PlanDiff = ({ words, plans, planId, setPlanId, today }: PlanPickProps) => {
  const common = useCommon();
  const format = useFormat();
  const eventLabel = useEventLabel();
  const [from, setFrom] = useState(addDays(today, -30));
  const [to, setTo] = useState(today);
  const [diff, setDiff] = useState<Diff | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => setDiff(null), [planId]);

  const compare = async (event: FormEvent) => {
    event.preventDefault();
    const range = { from: startOfDay(from), to: endOfDay(to) };
    if (!planId || !range.from || !range.to) return;
    if (from > to) {
      setError(words.badRange);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setDiff(await api<Diff>(`/api/v1/plans/${planId}/diff${query(range)}`));
    } catch (failure) {
      setDiff(null);
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  const tasks = diff?.tasks ?? [];
  const planEvents = diff?.plan ?? [];

  return (
    <section className="card stack" aria-labelledby="audit-diff">
      <h2 id="audit-diff">{words.diff}</h2>
      <form className="row" onSubmit={(e) => void compare(e)}>
        <PlanSelect id="audit-diff-plan" label={words.diffPlan} plans={plans} value={planId} onChange={setPlanId} text={planNumber} />
        <DateField id="audit-diff-from" label={words.diffFrom} value={from} onChange={setFrom} max={today} required />
        <DateField id="audit-diff-to" label={words.diffTo} value={to} onChange={setTo} max={today} required />
        <button type="submit" className="primary" disabled={busy || !planId}>
          {busy ? words.comparing : words.compare}
        </button>
      </form>
      <ErrorMessage error={error} />
      {diff ? (
        <div className="stack">
          <p role="status">
            {tasks.length === 0 && planEvents.length === 0
              ? words.noChange
              : fill(words.diffCount, { count: format.number(tasks.length), plan: format.number(planEvents.length) })}
          </p>
          {planEvents.length > 0 ? (
            <div>
              <h3>{words.planEvents}</h3>
              <ul className="timeline">
                {planEvents.map((e, i) => (
                  <li key={i}>
                    <strong>{eventLabel(e.type)}</strong> <span className="muted">{format.dateTime(e.recordedAt)}</span> · <ActorText actor={e.actor} />
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {tasks.length > 0 ? (
            <Table head={[words.ref, words.task, words.before, words.after, words.changes]}>
              <tbody>
                {tasks.map((t) => (
                  <tr key={t.taskId}>
                    <td>{t.ref ?? ''}</td>
                    <td>
                      <Link to={`/tasks/${t.taskId}`}>{t.after?.title ?? t.before?.title ?? t.taskId}</Link>
                    </td>
                    <td>{stateText(t.before, common, words, format.date)}</td>
                    <td>{stateText(t.after, common, words, format.date)}</td>
                    <td>
                      <ul className="audit-compact">
                        {t.events.map((e, i) => (
                          <li key={i}>
                            {eventLabel(e.type)}{' '}
                            <span className="muted">
                              {format.dateTime(e.recordedAt)} · {e.actor?.userId ?? ''}
                            </span>
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : null}
        </div>
      ) : null}
    </section>
  );
};

// ------------------------------------------------------------------------------------------------

const EventSearch = ({ words }: { words: Words }) => {
  const format = useFormat();
  const eventLabel = useEventLabel();
  const [actor, setActor] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [type, setType] = useState('');
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [asked, setAsked] = useState<Record<string, string | undefined>>({});

  const load = async (params: Record<string, string | undefined>, cursor: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const result = await api<Page<AuditEvent>>(`/api/v1/audit/events${query({ ...params, limit: 100, cursor: cursor ?? undefined })}`);
      setEvents((shown) => [...(cursor && shown ? shown : []), ...(result.items ?? [])]);
      setNext(result.next ?? null);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const search = (event: FormEvent) => {
    event.preventDefault();
    if (from && to && from > to) {
      setError(words.badRange);
      return;
    }
    const params = { actor: actor.trim() || undefined, from: from || undefined, to: to || undefined, types: type || undefined };
    setAsked(params);
    void load(params, null);
  };

  return (
    <section className="card stack" aria-labelledby="audit-search">
      <h2 id="audit-search">{words.search}</h2>
      <form className="row" onSubmit={search}>
        <label htmlFor="audit-actor">
          {words.actor}
          <input id="audit-actor" type="search" maxLength={200} value={actor} onChange={(e) => setActor(e.target.value)} />
        </label>
        <DateField id="audit-from" label={words.searchFrom} value={from} onChange={setFrom} />
        <DateField id="audit-to" label={words.searchTo} value={to} onChange={setTo} />
        <SelectField
          id="audit-type"
          label={words.type}
          value={type}
          onChange={setType}
          all={words.anyType}
          options={EVENT_TYPES.map((t) => [t, eventLabel(t)] as const)}
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy && !events ? words.finding : words.find}
        </button>
      </form>
      <ErrorMessage error={error} />
      {events ? (
        <div className="stack">
          <p role="status">{events.length === 0 ? words.noEvents : fill(words.foundCount, { count: `${format.number(events.length)}${next ? '+' : ''}` })}</p>
          {events.length > 0 ? <EventTable events={events} words={words} /> : null}
          {next ? <ShowMore text={busy ? words.finding : words.more} disabled={busy} onClick={() => void load(asked, next)} /> : null}
        </div>
      ) : null}
    </section>
  );
};

const Export = ({ words, today }: { words: Words; today: string }) => {
  const { session } = useSession();
  const [from, setFrom] = useState(addDays(today, -30));
  const [to, setTo] = useState(today);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const run = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    if (from > to) {
      setError(words.badRange);
      return;
    }
    if (daysBetween(from, to) >= 366) {
      setError(words.tooLong);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await download(`/api/v1/audit/export${query({ from, to })}`, `mandate-audit-${session.actor.cityId}-${from}-${to}.json`);
      setDone(true);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card stack" aria-labelledby="audit-export">
      <h2 id="audit-export">{words.export}</h2>
      <p className="muted">{words.exportHelp}</p>
      <form className="row" onSubmit={(e) => void run(e)}>
        <DateField id="audit-export-from" label={words.exportFrom} value={from} onChange={setFrom} max={today} required />
        <DateField id="audit-export-to" label={words.exportTo} value={to} onChange={setTo} max={today} required />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? words.exporting : words.exportButton}
        </button>
      </form>
      <ErrorMessage error={error} />
      <DoneMessage message={done ? words.exported : null} />
    </section>
  );
};

const AuditPage = () => {
  const words = useWords(WORDS);
  const today = useMemo(() => vietnamDay(), []);
  const { plans: planList, error: plansError } = usePlans();
  const [planId, setPlanId] = useState('');
  useFirstPlan(planList, planId, setPlanId);
  return (
    <div className="audit-page">
      <h1>{words.title}</h1>
      <p className="muted">{words.intro}</p>
      <div className="grid">
        <Integrity words={words} />
        <Anchors words={words} />
      </div>
      <ErrorMessage error={plansError} />
      <PlanAt words={words} plans={planList} planId={planId} setPlanId={setPlanId} today={today} />
      <PlanDiff words={words} plans={planList} planId={planId} setPlanId={setPlanId} today={today} />
      <EventSearch words={words} />
      <Export words={words} today={today} />
    </div>
  );
};

export default AuditPage;
