import { memo, useEffect, useMemo, useState } from 'react';
import { agencyName as nameOf } from '../agencies';
import { EVENT_LABELS } from '../event-labels';
import { label, useCommon, useFormat, useStatusLabel, useWords } from '../i18n';
import { useApi } from '../use-api';
import { ErrorMessage, Loading } from './messages';

/** An agency as a task names it (resolved against the city's directory, or kept as written). */
export type AgencyRef = { agencyId: string | null; name: string; text?: string; resolution?: string };

export type ExtensionRequest = { requestId: string; until: string; reason: string; status: 'pending' | 'approved' | 'rejected' | string };

/** GET /api/v1/tasks/:taskId (now, or as of an instant). */
export type TaskView = {
  id: string;
  planId: string;
  planNumber: string | null;
  ref: string;
  title: string;
  group: string | null;
  lead: AgencyRef | null;
  coordinators: AgencyRef[];
  deliverable: string | null;
  deadline: { text: string; kind: string; due: string | null; start?: string | null } | null;
  supervisor: string | null;
  note: string | null;
  status: { code: string; label: string; timeliness: string };
  completedAt: string | null;
  progress: { percent: number; text: string; at: string } | null;
  extensions: ExtensionRequest[];
  withdrawnAt: string | null;
  pausedFrom: string | null;
  parentTaskId: string | null;
  adjusted: { at: string; reason: string | null; fields: string[]; label: string } | null;
  version: number;
  rollUp?: {
    byStatus: Record<string, number>;
    children: {
      id: string;
      planId: string;
      planNumber: string | null;
      ref: string;
      title: string;
      lead: AgencyRef | null;
      status: { code: string; label: string; timeliness: string };
    }[];
  };
};

/** One item of GET /api/v1/tasks/:taskId/history. */
export type HistoryEvent = {
  position: number;
  version: number;
  type: string;
  schemaVersion?: number;
  eventId: string;
  occurredAt: string;
  recordedAt: string;
  actor: { userId: string | null; role: string | null; agencyId: string | null } | null;
  correlationId: string | null;
  data: Record<string, unknown> | null;
  hash?: string;
};

const WORDS = {
  vi: {
    title: 'Lịch sử xử lý',
    empty: 'Chưa có sự kiện nào.',
    slider: 'Xem trạng thái tại thời điểm',
    now: 'hiện tại',
    asOfTitle: 'Trạng thái tại thời điểm',
    after: 'sau sự kiện',
    status: 'Trạng thái',
    deadline: 'Thời hạn',
    progress: 'Tiến độ',
    lead: 'Cơ quan chủ trì',
    coordinators: 'Cơ quan phối hợp',
    pendingExtension: 'Đề nghị gia hạn đang chờ',
    version: 'Phiên bản',
    none: 'Chưa có',
    system: 'Hệ thống',
    correlation: 'Mã tương quan',
    reason: 'Lý do',
    note: 'Ghi chú',
    text: 'Nội dung',
    until: 'Gia hạn đến',
    newDeadline: 'Thời hạn mới',
    changed: 'Nội dung thay đổi',
    due: 'Hạn',
    // the event types' names (event-labels.ts), with these variants
    ...EVENT_LABELS.vi,
    TaskReassigned: 'Giao lại',
    TaskRevisedByPlan: 'Sửa đổi theo kế hoạch điều chỉnh',
    checkIn: 'Mở kỳ theo dõi',
    to_in_progress: 'Bắt đầu thực hiện',
    to_submitted: 'Báo cáo hoàn thành',
    to_completed: 'Xác nhận hoàn thành',
    to_returned: 'Trả lại',
    to_declined: 'Từ chối nhiệm vụ',
    to_paused: 'Tạm hoãn',
    to_cancelled: 'Dừng thực hiện',
    to_not_started: 'Yêu cầu thực hiện',
    resumed: 'Tiếp tục thực hiện',
    statusChanged: 'Chuyển trạng thái',
    occurrence: 'Kỳ',
    fields_title: 'tên nhiệm vụ',
    fields_deadline: 'thời hạn',
    fields_ref: 'số thứ tự',
    fields_group: 'nhóm',
    fields_deliverable: 'sản phẩm',
    fields_supervisor: 'lãnh đạo phụ trách',
    fields_note: 'ghi chú',
  },
  en: {
    title: 'History',
    empty: 'No events yet.',
    slider: 'See the state at a point in time',
    now: 'now',
    asOfTitle: 'State as of',
    after: 'after',
    status: 'Status',
    deadline: 'Deadline',
    progress: 'Progress',
    lead: 'Lead agency',
    coordinators: 'Coordinating agencies',
    pendingExtension: 'Pending extension request',
    version: 'Version',
    none: 'None',
    system: 'System',
    correlation: 'Correlation id',
    reason: 'Reason',
    note: 'Note',
    text: 'Text',
    until: 'Extend to',
    newDeadline: 'New deadline',
    changed: 'Changed',
    due: 'Due',
    ...EVENT_LABELS.en,
    TaskReassigned: 'Reassigned',
    TaskRevisedByPlan: 'Revised by an amended plan',
    checkIn: 'Check-in period opened',
    to_in_progress: 'Work started',
    to_submitted: 'Reported done',
    to_completed: 'Completion confirmed',
    to_returned: 'Returned',
    to_declined: 'Task declined',
    to_paused: 'Paused',
    to_cancelled: 'Cancelled',
    to_not_started: 'To be carried out',
    resumed: 'Resumed',
    statusChanged: 'Status changed',
    occurrence: 'Period',
    fields_title: 'title',
    fields_deadline: 'deadline',
    fields_ref: 'number',
    fields_group: 'group',
    fields_deliverable: 'deliverable',
    fields_supervisor: 'supervising leader',
    fields_note: 'note',
  },
};

type Words = (typeof WORDS)['vi'];

/** Codes of the first status vocabulary, as the current one names them. */
const RENAMED: Record<string, string> = { pending_confirmation: 'submitted', suspended: 'paused' };
const statusCode = (value: unknown): string => (typeof value === 'string' ? (RENAMED[value] ?? value) : '');
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The Vietnamese (or English) name of what an event did. */
export const eventLabel = (event: HistoryEvent, words: Words): string => {
  const data = event.data ?? {};
  switch (event.type) {
    case 'TaskAssigned':
      return data.previousLeadAgencyId ? words.TaskReassigned : words.TaskAssigned;
    case 'TaskRevised':
      return data.reason ? words.TaskRevised : words.TaskRevisedByPlan;
    case 'TaskOccurrenceOpened':
      return data.kind === 'check-in' ? words.checkIn : words.TaskOccurrenceOpened;
    case 'TaskStatusChanged': {
      const from = statusCode(data.from);
      const to = statusCode(data.to);
      if (from === 'paused' && to !== 'cancelled') return words.resumed;
      const key = `to_${to}` as keyof Words;
      return key in words ? words[key] : words.statusChanged;
    }
    default:
      return event.type in words ? words[event.type as keyof Words] : event.type;
  }
};

const addMs = (iso: string, ms: number) => new Date(new Date(iso).getTime() + ms).toISOString();

type Format = ReturnType<typeof useFormat>;

/** What an event says beyond its name: the reason, the note, the report, the new date. */
const EventDetails = ({
  event,
  words,
  format,
  agencyName,
}: {
  event: HistoryEvent;
  words: Words;
  format: Format;
  agencyName: (id: string | null, fallback?: string) => string;
}) => {
  const data = event.data ?? {};
  const lines: { term: string; value: string }[] = [];
  switch (event.type) {
    case 'TaskAssigned': {
      const lead = data.lead as AgencyRef | undefined;
      const coordinators = (data.coordinators as AgencyRef[] | undefined) ?? [];
      if (lead) lines.push({ term: words.lead, value: agencyName(lead.agencyId, lead.name) });
      if (coordinators.length) lines.push({ term: words.coordinators, value: coordinators.map((c) => agencyName(c.agencyId, c.name)).join('; ') });
      // A hand-over after a merger of agencies says so.
      if (str(data.reason)) lines.push({ term: words.reason, value: str(data.reason) });
      break;
    }
    case 'TaskIssued': {
      const deadline = data.deadline as TaskView['deadline'] | undefined;
      if (deadline?.text) lines.push({ term: words.deadline, value: deadline.due ? `${deadline.text} (${format.date(deadline.due)})` : deadline.text });
      break;
    }
    case 'TaskStatusChanged':
      if (str(data.note))
        lines.push({ term: ['returned', 'declined', 'paused', 'cancelled'].includes(statusCode(data.to)) ? words.reason : words.note, value: str(data.note) });
      break;
    case 'ProgressReported':
      lines.push({ term: words.progress, value: `${typeof data.percent === 'number' ? data.percent : '?'}%` });
      if (str(data.text)) lines.push({ term: words.text, value: str(data.text) });
      break;
    case 'ExtensionRequested':
      if (str(data.until)) lines.push({ term: words.until, value: format.date(str(data.until)) });
      if (str(data.reason)) lines.push({ term: words.reason, value: str(data.reason) });
      break;
    case 'ExtensionApproved': {
      const deadline = data.deadline as TaskView['deadline'] | undefined;
      if (deadline?.due) lines.push({ term: words.newDeadline, value: format.date(deadline.due) });
      if (str(data.note)) lines.push({ term: words.note, value: str(data.note) });
      break;
    }
    case 'ExtensionRejected':
      if (str(data.reason)) lines.push({ term: words.reason, value: str(data.reason) });
      break;
    case 'TaskRevised': {
      const changes = (data.changes as Record<string, unknown> | undefined) ?? {};
      const fields = Object.keys(changes).map((f) => {
        const key = `fields_${f}` as keyof Words;
        return key in words ? words[key] : f;
      });
      if (fields.length) lines.push({ term: words.changed, value: fields.join(', ') });
      const deadline = changes.deadline as TaskView['deadline'] | undefined;
      if (deadline?.text) lines.push({ term: words.newDeadline, value: deadline.due ? `${deadline.text} (${format.date(deadline.due)})` : deadline.text });
      if (str(data.reason)) lines.push({ term: words.reason, value: str(data.reason) });
      break;
    }
    case 'TaskWithdrawn':
      if (str(data.reason)) lines.push({ term: words.reason, value: str(data.reason) });
      break;
    case 'TaskBecameDueSoon':
    case 'TaskBecameOverdue':
      if (str(data.due)) lines.push({ term: words.due, value: format.date(str(data.due)) });
      break;
    case 'TaskOccurrenceOpened':
      lines.push({ term: words.occurrence, value: `${String(data.occurrence ?? '')}${str(data.due) ? ` · ${words.due} ${format.date(str(data.due))}` : ''}` });
      break;
    default:
      break;
  }
  if (!lines.length) return null;
  return (
    <dl className="event-details">
      {lines.map((line, i) => (
        <div key={i}>
          <dt>{line.term}</dt>
          <dd>{line.value}</dd>
        </div>
      ))}
    </dl>
  );
};

type ItemProps = {
  event: HistoryEvent;
  later: boolean;
  selected: boolean;
  words: Words;
  common: Record<string, string>;
  format: Format;
  agencyName: (id: string | null, fallback?: string) => string;
};

const TimelineItem = memo(({ event, later, selected, words, common, format, agencyName }: ItemProps) => {
  const actor = event.actor;
  const who = !actor?.userId || actor.userId.startsWith('system') ? words.system : actor.userId;
  const role = actor?.role ? label(common, actor.role) : '';
  const agency = actor?.agencyId ? agencyName(actor.agencyId) : '';
  return (
    <li className={[later ? 'later' : '', selected ? 'selected' : ''].filter(Boolean).join(' ') || undefined} aria-current={selected ? 'step' : undefined}>
      <div className="event-head">
        <strong>{eventLabel(event, words)}</strong>{' '}
        <time dateTime={event.occurredAt ?? event.recordedAt}>{format.dateTime(event.occurredAt ?? event.recordedAt)}</time>
      </div>
      <div className="muted">{[...new Set([who, role, agency].filter(Boolean))].join(' · ')}</div>
      <EventDetails event={event} words={words} format={format} agencyName={agencyName} />
      {event.correlationId && (
        <div className="muted small">
          {words.correlation}: <code>{event.correlationId}</code>
        </div>
      )}
    </li>
  );
});

/** The task as of one event of its history: asked of the server (GET /api/v1/tasks/:id?asOf=…). */
const AsOf = ({
  taskId,
  event,
  isLatest,
  current,
  words,
  format,
}: {
  taskId: string;
  event: HistoryEvent;
  isLatest: boolean;
  current: TaskView;
  words: Words;
  format: Format;
}) => {
  const statusLabel = useStatusLabel();
  const common = useCommon();
  // recorded_at < asOf: one millisecond after the event includes it (and what was recorded with it).
  const path = isLatest ? null : `/api/v1/tasks/${encodeURIComponent(taskId)}?asOf=${encodeURIComponent(addMs(event.recordedAt, 1))}`;
  const { data, error, loading } = useApi<TaskView>(path);
  const task = isLatest ? current : data;
  const pending = task?.extensions?.find((e) => e.status === 'pending');
  return (
    <div className="asof" aria-live="polite" aria-busy={!isLatest && loading}>
      <h3>
        {words.asOfTitle} {format.dateTime(event.occurredAt ?? event.recordedAt)}
        {isLatest ? ` (${words.now})` : ''}
      </h3>
      <p className="muted">
        {words.after}: {eventLabel(event, words)}
      </p>
      {!isLatest && <ErrorMessage error={error} />}
      {!isLatest && loading && <Loading />}
      {task && !(loading && !isLatest) && (
        <dl className="facts">
          <dt>{words.status}</dt>
          <dd>
            {statusLabel(task.status)}{' '}
            {task.status?.timeliness && <span className={`badge ${task.status.timeliness}`}>{label(common, task.status.timeliness)}</span>}
          </dd>
          <dt>{words.deadline}</dt>
          <dd>
            {task.deadline?.text ?? words.none}
            {task.deadline?.due ? ` (${format.date(task.deadline.due)})` : ''}
          </dd>
          <dt>{words.lead}</dt>
          <dd>{task.lead?.name ?? words.none}</dd>
          <dt>{words.progress}</dt>
          <dd>{task.progress ? `${task.progress.percent}% · ${task.progress.text}` : words.none}</dd>
          {pending && (
            <>
              <dt>{words.pendingExtension}</dt>
              <dd>{format.date(pending.until)}</dd>
            </>
          )}
          <dt>{words.version}</dt>
          <dd>{task.version}</dd>
        </dl>
      )}
    </div>
  );
};

/**
 * The task's history as a vertical timeline, with a slider that shows the task as it stood after
 * any one of its events.
 */
export const History = ({
  taskId,
  events,
  current,
  agencyNames: names,
}: {
  taskId: string;
  events: HistoryEvent[];
  current: TaskView;
  agencyNames: Map<string, string>;
}) => {
  const words = useWords(WORDS);
  const common = useCommon();
  const format = useFormat();
  const last = events.length - 1;
  // null: follow the latest event (the slider moves on when the history grows).
  const [picked, setPicked] = useState<number | null>(null);
  const index = picked === null || picked > last ? last : picked;
  // The server is asked once the slider rests a moment, not on every step of a drag.
  const [settled, setSettled] = useState(index);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(index), 250);
    return () => clearTimeout(timer);
  }, [index]);

  const agencyName = useMemo(() => {
    const known = new Map(names);
    for (const a of [current.lead, ...(current.coordinators ?? [])]) if (a?.agencyId && !known.has(a.agencyId)) known.set(a.agencyId, a.name);
    return (id: string | null, fallback?: string) => nameOf(known, id, fallback);
  }, [names, current]);

  if (events.length === 0) {
    return (
      <section className="card history" aria-labelledby="history-title">
        <h2 id="history-title">{words.title}</h2>
        <p className="muted">{words.empty}</p>
      </section>
    );
  }

  const selected = events[index];
  const settledEvent = events[Math.min(settled, last)];
  return (
    <section className="card history" aria-labelledby="history-title">
      <h2 id="history-title">{words.title}</h2>
      <div className="asof-control">
        <label htmlFor="asof-slider">{words.slider}</label>
        <input
          id="asof-slider"
          type="range"
          min={0}
          max={last}
          step={1}
          value={index}
          disabled={last === 0}
          aria-valuetext={`${format.dateTime(selected.occurredAt ?? selected.recordedAt)} · ${eventLabel(selected, words)}${index === last ? ` (${words.now})` : ''}`}
          onChange={(e) => {
            const next = Number(e.target.value);
            setPicked(next >= last ? null : next);
          }}
        />
        <div className="asof-scale muted" aria-hidden="true">
          <span>{format.date(events[0].occurredAt ?? events[0].recordedAt)}</span>
          <span>{format.dateTime(selected.occurredAt ?? selected.recordedAt)}</span>
          <span>{words.now}</span>
        </div>
      </div>
      <AsOf taskId={taskId} event={settledEvent} isLatest={settled >= last} current={current} words={words} format={format} />
      <ol className="timeline">
        {events.map((event, i) => (
          <TimelineItem
            key={event.eventId ?? i}
            event={event}
            later={i > index}
            selected={i === index && index !== last}
            words={words}
            common={common}
            format={format}
            agencyName={agencyName}
          />
        ))}
      </ol>
    </section>
  );
};

export default History;
