import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, messageOf } from '../api';
import { useSession } from '../session-context';
import { Kpis } from '../components/kpis';
import { ErrorMessage, RequestState } from '../components/messages';
import { Table } from '../components/table';
import { endOfDay } from '../dates';
import { label, useCommon, useFormat, useWords } from '../i18n';
import { useApi } from '../use-api';

/** One row of GET /api/v1/agencies/:agencyId/tasks (the assignments service's work queue). */
type WorkItem = {
  taskId: string;
  planId: string;
  planNumber: string | null;
  ref: string;
  title: string;
  relation: 'lead' | 'coordinator' | string;
  deadline: { due: string | null; kind: string; text: string } | null;
  status: string;
};

/** One notice of GET /api/v1/notifications (and of the live stream's `notice` events). */
type Notice = {
  id: string;
  recipientAgencyId: string | null;
  rule: string;
  channel: string;
  subject: string;
  taskId: string | null;
  reportId: string | null;
  createdAt: string;
  read: boolean;
};

const WORDS = {
  vi: {
    title: 'Nhiệm vụ của tôi',
    intro: 'Nhiệm vụ cơ quan chủ trì hoặc phối hợp, việc quá hạn và sắp đến hạn lên đầu.',
    noAgency: 'Trang này dành cho cán bộ của một cơ quan, đơn vị; tài khoản này không thuộc cơ quan nào.',
    tasks: 'Danh sách nhiệm vụ',
    empty: 'Cơ quan chưa có nhiệm vụ nào.',
    task: 'Nhiệm vụ',
    role: 'Vai trò',
    deadline: 'Thời hạn',
    status: 'Trạng thái',
    lead: 'Chủ trì',
    coordinator: 'Phối hợp',
    total: 'Tổng số',
    open: 'Chưa hoàn thành',
    closed: 'Đã xong',
    withdrawn: 'Đã rút khỏi kế hoạch',
    notices: 'Thông báo',
    unread: 'chưa đọc',
    noNotices: 'Chưa có thông báo.',
    markRead: 'Đánh dấu đã đọc',
    markAll: 'Đánh dấu tất cả đã đọc',
    isNew: 'Mới',
    live: 'Đang nhận thông báo trực tiếp',
    connecting: 'Đang kết nối…',
    retrying: 'Mất kết nối, đang thử lại…',
    off: 'Không nhận được thông báo trực tiếp',
    arrived: 'Thông báo mới',
    more: 'Xem thêm thông báo',
    report: 'Xem báo cáo',
    of: 'nhiệm vụ',
  },
  en: {
    title: 'My tasks',
    intro: 'Tasks your agency leads or coordinates, overdue and due soon first.',
    noAgency: "This page is for an agency's officers; this account belongs to no agency.",
    tasks: 'Tasks',
    empty: 'Your agency has no tasks.',
    task: 'Task',
    role: 'Role',
    deadline: 'Deadline',
    status: 'Status',
    lead: 'Lead',
    coordinator: 'Coordinating',
    total: 'Total',
    open: 'Open',
    closed: 'Done',
    withdrawn: 'Withdrawn from the plan',
    notices: 'Notifications',
    unread: 'unread',
    noNotices: 'No notifications yet.',
    markRead: 'Mark as read',
    markAll: 'Mark all as read',
    isNew: 'New',
    live: 'Receiving notifications live',
    connecting: 'Connecting…',
    retrying: 'Connection lost, retrying…',
    off: 'Live notifications unavailable',
    arrived: 'New notification',
    more: 'Show more notifications',
    report: 'Open the report',
    of: 'tasks',
  },
};

type Words = (typeof WORDS)['vi'];

/** Days before the due day's end that count as due soon (the platform's default; a city may set its own). */
const DUE_SOON_DAYS = 3;
const DAY_MS = 24 * 60 * 60 * 1000;
const DONE = ['completed', 'cancelled', 'withdrawn'];

type Timeliness = 'overdue' | 'due_soon' | 'on_time' | 'no_deadline' | 'done';

/** How a queued task stands against its deadline now (the queue does not say; same rule as the server's). */
const timelinessOf = (item: WorkItem, now: number): Timeliness => {
  if (DONE.includes(item.status)) return 'done';
  const due = item.deadline?.due;
  if (!due || item.deadline?.kind === 'done' || item.status === 'paused') return 'no_deadline';
  // Due means by the end of that day in Vietnam.
  const end = Date.parse(endOfDay(due) ?? '');
  if (Number.isNaN(end)) return 'no_deadline';
  if (now > end) return 'overdue';
  return end - now <= DUE_SOON_DAYS * DAY_MS ? 'due_soon' : 'on_time';
};

const RANK: Record<Timeliness, number> = { overdue: 0, due_soon: 1, on_time: 2, no_deadline: 3, done: 4 };

type Row = WorkItem & { timeliness: Timeliness };

const byUrgency = (a: Row, b: Row) =>
  RANK[a.timeliness] - RANK[b.timeliness] ||
  (a.deadline?.due ?? '9999').localeCompare(b.deadline?.due ?? '9999') ||
  (a.planNumber ?? '').localeCompare(b.planNumber ?? '') ||
  (a.ref ?? '').localeCompare(b.ref ?? '', undefined, { numeric: true });

const TaskRow = memo(
  ({ row, words, common, date }: { row: Row; words: Words; common: Record<string, string>; date: (v: string | null | undefined) => string }) => {
    const statusText = row.status === 'withdrawn' ? words.withdrawn : label(common, row.status);
    const badge = row.timeliness === 'done' ? null : label(common, row.timeliness);
    return (
      <tr className={row.timeliness}>
        <td>
          <Link to={`/tasks/${encodeURIComponent(row.taskId)}`}>{row.title}</Link>
          <div className="muted small">
            {row.planNumber || common.noNumber} · {row.ref}
          </div>
        </td>
        <td>{row.relation === 'lead' ? words.lead : row.relation === 'coordinator' ? words.coordinator : row.relation}</td>
        <td>
          {row.deadline?.due ? <time dateTime={row.deadline.due}>{date(row.deadline.due)}</time> : null}
          {row.deadline?.text && <div className="muted small">{row.deadline.text}</div>}
        </td>
        <td>
          {statusText}
          {badge && (
            <>
              {' '}
              <span className={`badge ${row.timeliness}`}>{badge}</span>
            </>
          )}
        </td>
      </tr>
    );
  },
);

type Live = 'connecting' | 'live' | 'retrying' | 'off';

/** One Server-Sent Event: its name and its data lines joined. */
type StreamEvent = { event: string; data: string; id: string | null };

const parseBlock = (block: string): StreamEvent | null => {
  let event = 'message';
  let id: string | null = null;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }
  return data.length ? { event, data: data.join('\n'), id } : null;
};

/**
 * The notices stream (GET /api/v1/notifications/stream). EventSource cannot send the bearer token,
 * so it is read with fetch and its `event:`/`data:` lines parsed here; it reconnects with backoff.
 */
const useNoticeStream = (token: string | null, onEvent: (event: StreamEvent) => void): Live => {
  const [live, setLive] = useState<Live>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (!token) {
      setLive('off');
      return;
    }
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    const connect = async () => {
      try {
        const response = await fetch('/api/v1/notifications/stream', {
          headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
          signal: controller.signal,
          cache: 'no-store',
        });
        if (response.status === 401 || response.status === 403) {
          setLive('off');
          return;
        }
        if (!response.ok || !response.body) throw new Error(`stream ${response.status}`);
        setLive('live');
        attempt = 0;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          // Line ends may be \r\n, \n or \r; a \r at the end of a chunk may be half of a \r\n.
          const hold = buffer.endsWith('\r') ? '\r' : '';
          let text = (hold ? buffer.slice(0, -1) : buffer).replace(/\r\n?/g, '\n');
          let end: number;
          while ((end = text.indexOf('\n\n')) >= 0) {
            const parsed = parseBlock(text.slice(0, end));
            text = text.slice(end + 2);
            if (parsed) handler.current(parsed);
          }
          buffer = text + hold;
        }
        throw new Error('stream closed');
      } catch {
        if (controller.signal.aborted) return;
        setLive('retrying');
        timer = setTimeout(() => void connect(), Math.min(30_000, 1000 * 2 ** attempt++));
      }
    };
    setLive('connecting');
    void connect();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [token]);
  return live;
};

const PAGE = 20;

const Notifications = ({ titles, onNotice }: { titles: Map<string, string>; onNotice: () => void }) => {
  const { session } = useSession();
  const words = useWords(WORDS);
  const format = useFormat();
  const [notices, setNotices] = useState<Notice[] | null>(null);
  const [unread, setUnread] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState(PAGE);
  const [announcement, setAnnouncement] = useState('');
  const [busy, setBusy] = useState(false);
  const known = useRef(new Set<string>());

  useEffect(() => {
    let alive = true;
    api<{ items: Notice[]; unread: number }>('/api/v1/notifications')
      .then((value) => {
        if (!alive) return;
        setNotices((current) => {
          // Notices the stream brought while the list loaded stay.
          const ids = new Set((value?.items ?? []).map((n) => n.id));
          return [...(current ?? []).filter((n) => !ids.has(n.id)), ...(value?.items ?? [])];
        });
        for (const n of value?.items ?? []) known.current.add(n.id);
        setUnread(typeof value?.unread === 'number' ? value.unread : (value?.items ?? []).filter((n) => !n.read).length);
        setError(null);
      })
      .catch((failure: unknown) => alive && setError(messageOf(failure)));
    return () => {
      alive = false;
    };
  }, []);

  const onStream = useCallback(
    (event: StreamEvent) => {
      let payload: unknown;
      try {
        payload = JSON.parse(event.data);
      } catch {
        return;
      }
      if (event.event === 'unread' && typeof (payload as { unread?: unknown }).unread === 'number') {
        setUnread((payload as { unread: number }).unread);
      } else if (event.event === 'notice' && payload && typeof (payload as Notice).id === 'string') {
        // The stream's notices carry neither their time nor a read flag: they are new, now.
        const notice: Notice = {
          read: false,
          createdAt: new Date().toISOString(),
          channel: 'inbox',
          taskId: null,
          reportId: null,
          ...(payload as Partial<Notice>),
          id: (payload as Notice).id,
          subject: String((payload as Notice).subject ?? ''),
        } as Notice;
        if (known.current.has(notice.id)) return;
        known.current.add(notice.id);
        setNotices((current) => ((current ?? []).some((n) => n.id === notice.id) ? current : [notice, ...(current ?? [])]));
        if (!notice.read) setUnread((n) => n + 1);
        setAnnouncement(`${words.arrived}: ${notice.subject}`);
        onNotice();
      }
    },
    [onNotice, words.arrived],
  );
  const live = useNoticeStream(session.token ?? null, onStream);

  const markRead = async (id: string) => {
    setError(null);
    try {
      const result = await api<{ marked: number; unread: number }>(`/api/v1/notifications/${encodeURIComponent(id)}/read`, { method: 'POST' });
      setNotices((current) => (current ?? []).map((n) => (n.id === id ? { ...n, read: true } : n)));
      if (typeof result?.unread === 'number') setUnread(result.unread);
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  const markAll = async () => {
    setError(null);
    setBusy(true);
    try {
      const result = await api<{ marked: number; unread: number }>('/api/v1/notifications/read', { method: 'POST' });
      setNotices((current) => (current ?? []).map((n) => ({ ...n, read: true })));
      setUnread(typeof result?.unread === 'number' ? result.unread : 0);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const sorted = useMemo(
    () => [...(notices ?? [])].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || Number(b.id) - Number(a.id)),
    [notices],
  );
  const liveText = { connecting: words.connecting, live: words.live, retrying: words.retrying, off: words.off }[live];

  return (
    <section className="card inbox-notices" aria-labelledby="notices-title">
      <div className="row notices-head">
        <h2 id="notices-title">{words.notices}</h2>
        {unread > 0 && (
          <span className="badge unread-count">
            {format.number(unread)} {words.unread}
          </span>
        )}
        {unread > 0 && (
          <button type="button" className="secondary" onClick={() => void markAll()} disabled={busy}>
            {words.markAll}
          </button>
        )}
      </div>
      <p className={`muted small live-${live}`}>{liveText}</p>
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
      <ErrorMessage error={error} />
      {notices && sorted.length === 0 && <p className="muted">{words.noNotices}</p>}
      {sorted.length > 0 && (
        <ul className="notices">
          {sorted.slice(0, shown).map((n) => (
            <li key={n.id} className={n.read ? 'read' : 'unread'}>
              <div>
                {!n.read && <span className="badge new">{words.isNew}</span>}{' '}
                {n.taskId ? (
                  <Link to={`/tasks/${encodeURIComponent(n.taskId)}`} onClick={() => !n.read && void markRead(n.id)}>
                    {n.subject}
                  </Link>
                ) : n.reportId ? (
                  <Link to="/reports" onClick={() => !n.read && void markRead(n.id)}>
                    {n.subject}
                  </Link>
                ) : (
                  <span>{n.subject}</span>
                )}
              </div>
              {n.taskId && titles.get(n.taskId) && <div className="small">{titles.get(n.taskId)}</div>}
              <div className="row notice-foot">
                <time className="muted small" dateTime={n.createdAt}>
                  {format.dateTime(n.createdAt)}
                </time>
                {!n.read && (
                  <button type="button" className="secondary small-button" onClick={() => void markRead(n.id)}>
                    {words.markRead}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {sorted.length > shown && (
        <button type="button" className="secondary" onClick={() => setShown((n) => n + PAGE)}>
          {words.more}
        </button>
      )}
    </section>
  );
};

const Inbox = () => {
  const { session } = useSession();
  const agencyId = session.actor.agencyId;
  const words = useWords(WORDS);
  const common = useCommon();
  const format = useFormat();
  const { data, error, loading, reload } = useApi<{ items: WorkItem[] }>(agencyId ? `/api/v1/agencies/${encodeURIComponent(agencyId)}/tasks` : null);

  // A notice may bring a new task (or a changed one): read the queue again, once for a burst.
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onNotice = useCallback(() => {
    clearTimeout(pending.current);
    pending.current = setTimeout(reload, 800);
  }, [reload]);
  useEffect(() => () => clearTimeout(pending.current), []);

  const rows = useMemo(() => {
    const now = Date.now();
    return (data?.items ?? []).map((item) => ({ ...item, timeliness: timelinessOf(item, now) })).sort(byUrgency);
  }, [data]);
  const counts = useMemo(() => {
    const c = { overdue: 0, due_soon: 0, open: 0, done: 0 };
    for (const r of rows) {
      if (r.timeliness === 'done') c.done++;
      else c.open++;
      if (r.timeliness === 'overdue') c.overdue++;
      if (r.timeliness === 'due_soon') c.due_soon++;
    }
    return c;
  }, [rows]);
  const titles = useMemo(() => new Map(rows.map((r) => [r.taskId, r.title])), [rows]);

  if (!agencyId) {
    return (
      <>
        <h1>{words.title}</h1>
        <p className="muted">{words.noAgency}</p>
      </>
    );
  }

  return (
    <div className="inbox">
      <h1>{words.title}</h1>
      <p className="muted">{words.intro}</p>
      {rows.length > 0 && (
        <Kpis
          items={[
            { key: 'overdue', name: common.overdue, value: format.number(counts.overdue), tone: 'overdue' },
            { key: 'due_soon', name: common.due_soon, value: format.number(counts.due_soon), tone: 'due_soon' },
            { key: 'open', name: words.open, value: format.number(counts.open) },
            { key: 'done', name: words.closed, value: format.number(counts.done) },
          ]}
        />
      )}
      <div className="inbox-layout">
        <section className="card inbox-tasks" aria-labelledby="inbox-tasks-title">
          <h2 id="inbox-tasks-title">
            {words.tasks}
            {data ? ` (${format.number(rows.length)} ${words.of})` : ''}
          </h2>
          <RequestState error={error} loading={loading} loaded={data !== null} empty={rows.length === 0 && words.empty} />
          {rows.length > 0 && (
            <Table head={[words.task, words.role, words.deadline, words.status]} caption={words.tasks}>
              <tbody>
                {rows.map((row) => (
                  <TaskRow key={row.taskId} row={row} words={words} common={common} date={format.date} />
                ))}
              </tbody>
            </Table>
          )}
        </section>
        <Notifications titles={titles} onNotice={onNotice} />
      </div>
    </div>
  );
};

export default Inbox;
