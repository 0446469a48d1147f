import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError, messageOf } from '../api';
import { useSession } from '../session-context';
import { agencyName, useAgencyNames } from '../agencies';
import { History, type HistoryEvent, type TaskView } from '../components/history';
import { ErrorMessage, Loading } from '../components/messages';
import { Table } from '../components/table';
import { addDays, isDay } from '../dates';
import { label, useCommon, useFormat, useLang, useStatusLabel, useWords } from '../i18n';
import type { Actor } from '../session';
import { useApi } from '../use-api';

const WORDS = {
  vi: {
    task: 'Nhiệm vụ',
    plan: 'Kế hoạch',
    back: 'Về kế hoạch',
    details: 'Thông tin nhiệm vụ',
    ref: 'Số thứ tự',
    group: 'Nhóm nhiệm vụ',
    lead: 'Cơ quan chủ trì',
    coordinators: 'Cơ quan phối hợp',
    deliverable: 'Sản phẩm',
    deadline: 'Thời hạn',
    dueDate: 'Hạn hoàn thành',
    supervisor: 'Lãnh đạo phụ trách',
    note: 'Ghi chú',
    status: 'Trạng thái',
    progress: 'Tiến độ',
    progressAt: 'cập nhật',
    completedAt: 'Hoàn thành lúc',
    adjusted: 'Đã điều chỉnh',
    version: 'Phiên bản',
    withdrawn: 'Nhiệm vụ đã được rút khỏi kế hoạch ngày',
    unresolved: 'chưa xác định trong danh mục',
    extensions: 'Đề nghị gia hạn',
    extUntil: 'Thời hạn đề nghị',
    extReason: 'Lý do',
    extStatus: 'Tình trạng',
    extActions: 'Xử lý',
    ext_pending: 'Chờ quyết định',
    ext_approved: 'Đã đồng ý',
    ext_rejected: 'Không đồng ý',
    actions: 'Thao tác',
    noActions: 'Bạn không có thao tác nào với nhiệm vụ ở trạng thái này.',
    start: 'Bắt đầu thực hiện',
    progressAction: 'Báo cáo tiến độ',
    extension: 'Xin gia hạn',
    submit: 'Báo cáo hoàn thành',
    confirm: 'Xác nhận hoàn thành',
    return: 'Trả lại',
    decline: 'Từ chối nhiệm vụ',
    approve: 'Đồng ý gia hạn',
    reject: 'Không đồng ý gia hạn',
    send: 'Gửi',
    cancel: 'Huỷ',
    sending: 'Đang gửi…',
    content: 'Nội dung',
    percent: 'Tỷ lệ hoàn thành (%)',
    newDeadline: 'Thời hạn mới',
    hintOptional: 'Không bắt buộc.',
    hintReason: 'Bắt buộc: nêu rõ lý do.',
    hintProgress: 'Bắt buộc: kết quả đã đạt được.',
    hintDate: 'Sau thời hạn hiện tại',
    stale: 'Nhiệm vụ vừa được cập nhật bởi người khác; trang đã tải lại thông tin mới nhất, vui lòng kiểm tra rồi gửi lại.',
    done_start: 'Đã chuyển nhiệm vụ sang “Đang thực hiện”.',
    done_progress: 'Đã gửi báo cáo tiến độ.',
    done_extension: 'Đã gửi đề nghị gia hạn.',
    done_submit: 'Đã báo cáo hoàn thành; nhiệm vụ chờ xác nhận.',
    done_confirm: 'Đã xác nhận hoàn thành nhiệm vụ.',
    done_return: 'Đã trả lại nhiệm vụ để thực hiện lại.',
    done_decline: 'Đã từ chối nhiệm vụ.',
    done_approve: 'Đã đồng ý gia hạn; thời hạn đã được cập nhật.',
    done_reject: 'Đã không đồng ý gia hạn.',
    rollUp: 'Nhiệm vụ cấp dưới thực hiện',
    childPlan: 'Kế hoạch',
    childTask: 'Nhiệm vụ',
    childLead: 'Chủ trì',
    childStatus: 'Trạng thái',
    parent: 'Thực hiện nhiệm vụ cấp trên',
    open: 'Xem',
  },
  en: {
    task: 'Task',
    plan: 'Plan',
    back: 'Back to the plan',
    details: 'Task details',
    ref: 'Number',
    group: 'Group',
    lead: 'Lead agency',
    coordinators: 'Coordinating agencies',
    deliverable: 'Deliverable',
    deadline: 'Deadline',
    dueDate: 'Due date',
    supervisor: 'Supervising leader',
    note: 'Note',
    status: 'Status',
    progress: 'Progress',
    progressAt: 'updated',
    completedAt: 'Completed at',
    adjusted: 'Adjusted',
    version: 'Version',
    withdrawn: 'The task was withdrawn from its plan on',
    unresolved: 'not in the directory',
    extensions: 'Extension requests',
    extUntil: 'Requested date',
    extReason: 'Reason',
    extStatus: 'Status',
    extActions: 'Decision',
    ext_pending: 'Pending',
    ext_approved: 'Granted',
    ext_rejected: 'Refused',
    actions: 'Actions',
    noActions: 'You have no action on this task in its current status.',
    start: 'Start work',
    progressAction: 'Report progress',
    extension: 'Ask for an extension',
    submit: 'Report done',
    confirm: 'Confirm completion',
    return: 'Return',
    decline: 'Decline the task',
    approve: 'Grant the extension',
    reject: 'Refuse the extension',
    send: 'Send',
    cancel: 'Cancel',
    sending: 'Sending…',
    content: 'Text',
    percent: 'Completion (%)',
    newDeadline: 'New deadline',
    hintOptional: 'Optional.',
    hintReason: 'Required: say why.',
    hintProgress: 'Required: what has been achieved.',
    hintDate: 'After the current due date',
    stale: 'Someone else has just changed the task; the page now shows its latest state, check it and send again.',
    done_start: 'The task is now in progress.',
    done_progress: 'Progress report sent.',
    done_extension: 'Extension request sent.',
    done_submit: 'Reported done; the task awaits confirmation.',
    done_confirm: 'Completion confirmed.',
    done_return: 'The task was returned.',
    done_decline: 'The task was declined.',
    done_approve: 'Extension granted; the deadline moved.',
    done_reject: 'Extension refused.',
    rollUp: "Lower plans' tasks carrying it out",
    childPlan: 'Plan',
    childTask: 'Task',
    childLead: 'Lead',
    childStatus: 'Status',
    parent: "Carries out a higher plan's task",
    open: 'Open',
  },
};

type Words = (typeof WORDS)['vi'];

type ActionKind = 'start' | 'progress' | 'extension' | 'submit' | 'confirm' | 'return' | 'decline' | 'approve' | 'reject';
type OpenAction = { kind: ActionKind; requestId?: string };

/** Which field the form asks for, whether it must be filled, and where it goes. */
const SPECS: Record<
  ActionKind,
  { button: keyof Words; path: (taskId: string, requestId?: string) => string; field: 'note' | 'text' | 'reason'; required: boolean }
> = {
  start: { button: 'start', path: (id) => `/api/v1/tasks/${id}/start`, field: 'note', required: false },
  progress: { button: 'progressAction', path: (id) => `/api/v1/tasks/${id}/progress`, field: 'text', required: true },
  extension: { button: 'extension', path: (id) => `/api/v1/tasks/${id}/extension-requests`, field: 'reason', required: true },
  submit: { button: 'submit', path: (id) => `/api/v1/tasks/${id}/submit`, field: 'text', required: false },
  confirm: { button: 'confirm', path: (id) => `/api/v1/tasks/${id}/confirm`, field: 'note', required: false },
  return: { button: 'return', path: (id) => `/api/v1/tasks/${id}/return`, field: 'reason', required: true },
  decline: { button: 'decline', path: (id) => `/api/v1/tasks/${id}/decline`, field: 'reason', required: true },
  approve: {
    button: 'approve',
    path: (id, rid) => `/api/v1/tasks/${id}/extension-requests/${encodeURIComponent(rid ?? '')}/approve`,
    field: 'note',
    required: false,
  },
  reject: {
    button: 'reject',
    path: (id, rid) => `/api/v1/tasks/${id}/extension-requests/${encodeURIComponent(rid ?? '')}/reject`,
    field: 'reason',
    required: true,
  },
};

const CLOSED = ['completed', 'cancelled', 'paused'];

/**
 * The moves the signed-in actor may make on the task as it stands (the lifecycle of
 * libs/plans/domain task.decider.ts; the server decides anyway and its refusal is shown).
 */
const allowedActions = (task: TaskView, actor: Actor): ActionKind[] => {
  if (task.withdrawnAt) return [];
  const status = task.status?.code;
  const isLead = actor.role === 'agency' && !!actor.agencyId && task.lead?.agencyId === actor.agencyId;
  const isCoordinator = actor.role === 'agency' && !!actor.agencyId && (task.coordinators ?? []).some((c) => c.agencyId === actor.agencyId);
  const isOffice = actor.role === 'office';
  const isOwner = actor.role === 'office' || actor.role === 'planning';
  const pending = (task.extensions ?? []).some((e) => e.status === 'pending');
  const moves: ActionKind[] = [];
  if (['not_started', 'returned'].includes(status) && (isLead || isOffice)) moves.push('start');
  if (!CLOSED.includes(status) && (isLead || isCoordinator || isOffice)) moves.push('progress');
  if (!CLOSED.includes(status) && isLead && !pending) moves.push('extension');
  if (['not_started', 'in_progress', 'returned'].includes(status) && (isLead || isOffice)) moves.push('submit');
  if (status === 'submitted' && isOwner) moves.push('confirm', 'return');
  if (['not_started', 'in_progress', 'returned'].includes(status) && isLead) moves.push('decline');
  return moves;
};

/** The first day an extension may ask for: the day after the current due day. */
const dayAfter = (due: string | null | undefined): string | undefined => (isDay(due) ? addDays(due, 1) : undefined);

/** The small form one action opens: a text, and the percent or the new date where the action needs one. */
const ActionForm = ({
  open,
  task,
  words,
  onCancel,
  onDone,
  onStale,
}: {
  open: OpenAction;
  task: TaskView;
  words: Words;
  onCancel: () => void;
  onDone: (message: string) => void;
  onStale: () => void;
}) => {
  const spec = SPECS[open.kind];
  const format = useFormat();
  const id = useId();
  const [text, setText] = useState('');
  const [percent, setPercent] = useState(() => (open.kind === 'progress' && task.progress ? String(task.progress.percent) : ''));
  const [until, setUntil] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  useEffect(() => first.current?.focus(), []);

  const send = async (event: React.FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = { [spec.field]: text };
    if (open.kind === 'progress') body.percent = percent.trim() === '' ? null : Number(percent);
    if (open.kind === 'extension') body.until = until;
    try {
      await api(spec.path(encodeURIComponent(task.id), open.requestId), { method: 'POST', body, ifMatch: task.version });
      onDone(words[`done_${open.kind}` as keyof Words]);
    } catch (failure) {
      const stale = failure instanceof ApiError && (failure.status === 412 || failure.status === 409);
      setError(stale ? `${messageOf(failure)} — ${words.stale}` : messageOf(failure));
      if (stale) onStale();
      setBusy(false);
    }
  };

  const hint = open.kind === 'progress' ? words.hintProgress : spec.required ? words.hintReason : words.hintOptional;
  return (
    <form className="stack action-form" id={`action-form`} onSubmit={(event) => void send(event)} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{words[spec.button]}</h3>
      {open.kind === 'progress' && (
        <div className="field">
          <label htmlFor={`${id}-percent`}>{words.percent}</label>
          <input
            id={`${id}-percent`}
            ref={first}
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            step={1}
            value={percent}
            onChange={(e) => setPercent(e.target.value)}
            aria-required="true"
          />
        </div>
      )}
      {open.kind === 'extension' && (
        <div className="field">
          <label htmlFor={`${id}-until`}>{words.newDeadline}</label>
          <input
            id={`${id}-until`}
            ref={first}
            type="date"
            min={dayAfter(task.deadline?.due)}
            value={until}
            onChange={(e) => setUntil(e.target.value)}
            aria-required="true"
            aria-describedby={`${id}-date-hint`}
          />
          <span id={`${id}-date-hint`} className="muted small">
            {words.hintDate}
            {task.deadline?.due ? ` (${format.date(task.deadline.due)})` : ''}
          </span>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-content`}>{words.content}</label>
        <textarea
          id={`${id}-content`}
          ref={open.kind === 'progress' || open.kind === 'extension' ? undefined : first}
          rows={3}
          maxLength={4000}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-required={spec.required || undefined}
          aria-describedby={`${id}-hint`}
        />
        <span id={`${id}-hint`} className="muted small">
          {hint}
        </span>
      </div>
      <ErrorMessage error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {words.send}
        </button>
        <button type="button" className="secondary" onClick={onCancel} disabled={busy}>
          {words.cancel}
        </button>
        {busy && <span className="muted">{words.sending}</span>}
      </div>
    </form>
  );
};

const TaskPage = () => {
  const { taskId = '' } = useParams();
  const { session } = useSession();
  const actor = session.actor;
  const words = useWords(WORDS);
  const common = useCommon();
  const format = useFormat();
  const { lang } = useLang();
  const statusLabel = useStatusLabel();
  const names = useAgencyNames(actor.cityId);
  const taskPath = `/api/v1/tasks/${encodeURIComponent(taskId)}`;
  const { data: task, error, loading, reload: reloadTask } = useApi<TaskView>(taskPath);
  const { data: history, error: historyError, reload: reloadHistory } = useApi<{ items: HistoryEvent[] }>(`${taskPath}/history`);
  const [open, setOpen] = useState<OpenAction | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);

  // Another task: nothing open, nothing said.
  useEffect(() => {
    setOpen(null);
    setMessage(null);
  }, [taskId]);

  const reload = useCallback(() => {
    reloadTask();
    reloadHistory();
  }, [reloadTask, reloadHistory]);

  const done = useCallback(
    (text: string) => {
      setOpen(null);
      setMessage(text);
      reload();
      statusRef.current?.focus();
    },
    [reload],
  );

  const toggle = (next: OpenAction) => {
    setMessage(null);
    setOpen((current) => (current && current.kind === next.kind && current.requestId === next.requestId ? null : next));
  };

  const actions = useMemo(() => (task ? allowedActions(task, actor) : []), [task, actor]);
  const events = useMemo(() => history?.items ?? [], [history]);

  if (!task) {
    return (
      <>
        <h1>{words.task}</h1>
        {error ? <ErrorMessage error={error} /> : loading && <Loading />}
      </>
    );
  }

  const agency = (a: { agencyId: string | null; name: string }) => agencyName(names, a.agencyId, a.name);
  const isOwner = actor.role === 'office' || actor.role === 'planning';
  const extensions = task.extensions ?? [];
  const timeliness = task.status?.timeliness ?? 'no_deadline';
  const extensionOpen = open && (open.kind === 'approve' || open.kind === 'reject');

  const form = (where: 'actions' | 'extensions') =>
    open && (where === 'extensions') === Boolean(extensionOpen) ? (
      <ActionForm
        key={`${open.kind}:${open.requestId ?? ''}`}
        open={open}
        task={task}
        words={words}
        onCancel={() => setOpen(null)}
        onDone={done}
        onStale={reload}
      />
    ) : null;

  const button = (kind: ActionKind, requestId?: string) => {
    const expanded = open?.kind === kind && open.requestId === requestId;
    return (
      <button
        key={`${kind}:${requestId ?? ''}`}
        type="button"
        className={expanded ? 'primary' : 'secondary'}
        aria-expanded={expanded}
        aria-controls={expanded ? 'action-form' : undefined}
        onClick={() => toggle({ kind, requestId })}
      >
        {words[SPECS[kind].button]}
      </button>
    );
  };

  return (
    <div className="task-page">
      <p className="muted crumbs">
        <Link to={`/plans/${encodeURIComponent(task.planId)}`}>
          {words.plan} {task.planNumber || common.noNumber}
        </Link>{' '}
        · {words.task} {task.ref}
      </p>
      <h1>{task.title}</h1>
      <p className="status-line">
        <span className={`badge ${timeliness}`}>{statusLabel(task.status)}</span>{' '}
        {timeliness !== 'no_deadline' && <span className={`badge ${timeliness}`}>{label(common, timeliness)}</span>}
        {task.adjusted && <span className="badge">{lang === 'vi' ? task.adjusted.label || words.adjusted : words.adjusted}</span>}
      </p>

      <div ref={statusRef} tabIndex={-1} role="status" className="status-message">
        {message && <p className="ok">{message}</p>}
      </div>
      <ErrorMessage error={error} />
      {task.withdrawnAt && <p className="error">{`${words.withdrawn} ${format.date(task.withdrawnAt)}.`}</p>}

      <div className="grid">
        <section className="card" aria-labelledby="task-details">
          <h2 id="task-details">{words.details}</h2>
          <dl className="facts">
            <dt>{words.ref}</dt>
            <dd>{task.ref}</dd>
            {task.group && (
              <>
                <dt>{words.group}</dt>
                <dd>{task.group}</dd>
              </>
            )}
            <dt>{words.lead}</dt>
            <dd>
              {task.lead ? agency(task.lead) : common.none}
              {task.lead && !task.lead.agencyId && <span className="muted"> ({words.unresolved})</span>}
            </dd>
            <dt>{words.coordinators}</dt>
            <dd>
              {(task.coordinators ?? []).length ? (
                <ul className="plain">
                  {task.coordinators.map((c, i) => (
                    <li key={`${c.agencyId ?? c.name}-${i}`}>{agency(c)}</li>
                  ))}
                </ul>
              ) : (
                common.none
              )}
            </dd>
            {task.deliverable && (
              <>
                <dt>{words.deliverable}</dt>
                <dd>{task.deliverable}</dd>
              </>
            )}
            <dt>{words.deadline}</dt>
            <dd className={timeliness}>
              {task.deadline?.text || common.none}
              {task.deadline?.due && (
                <>
                  {' '}
                  ({words.dueDate}: <time dateTime={task.deadline.due}>{format.date(task.deadline.due)}</time>)
                </>
              )}
            </dd>
            {task.supervisor && (
              <>
                <dt>{words.supervisor}</dt>
                <dd>{task.supervisor}</dd>
              </>
            )}
            {task.note && (
              <>
                <dt>{words.note}</dt>
                <dd>{task.note}</dd>
              </>
            )}
            <dt>{words.status}</dt>
            <dd>
              {statusLabel(task.status)} · <span className={timeliness}>{label(common, timeliness)}</span>
            </dd>
            <dt>{words.progress}</dt>
            <dd>
              {task.progress ? (
                <>
                  <progress max={100} value={task.progress.percent} aria-label={words.progress}>
                    {task.progress.percent}%
                  </progress>{' '}
                  <strong>{format.number(task.progress.percent)}%</strong>
                  {task.progress.text && <div>{task.progress.text}</div>}
                  <div className="muted small">
                    {words.progressAt} {format.dateTime(task.progress.at)}
                  </div>
                </>
              ) : (
                common.none
              )}
            </dd>
            {task.completedAt && (
              <>
                <dt>{words.completedAt}</dt>
                <dd>{format.dateTime(task.completedAt)}</dd>
              </>
            )}
            {task.adjusted && (
              <>
                <dt>{words.adjusted}</dt>
                <dd>
                  {format.dateTime(task.adjusted.at)}
                  {task.adjusted.reason ? ` · ${task.adjusted.reason}` : ''}
                </dd>
              </>
            )}
            {task.parentTaskId && (
              <>
                <dt>{words.parent}</dt>
                <dd>
                  <Link to={`/tasks/${encodeURIComponent(task.parentTaskId)}`}>{words.open}</Link>
                </dd>
              </>
            )}
            <dt>{words.version}</dt>
            <dd>{task.version}</dd>
          </dl>
        </section>

        <div className="stack">
          <section className="card" aria-labelledby="task-actions">
            <h2 id="task-actions">{words.actions}</h2>
            {actions.length ? <div className="row actions">{actions.map((kind) => button(kind))}</div> : <p className="muted">{words.noActions}</p>}
            {form('actions')}
          </section>

          {(extensions.length > 0 || extensionOpen) && (
            <section className="card" aria-labelledby="task-extensions">
              <h2 id="task-extensions">{words.extensions}</h2>
              <Table head={[words.extUntil, words.extReason, words.extStatus, isOwner && words.extActions]}>
                <tbody>
                  {extensions.map((e) => (
                    <tr key={e.requestId}>
                      <td>{format.date(e.until)}</td>
                      <td>{e.reason}</td>
                      <td>{words[`ext_${e.status}` as keyof Words] ?? e.status}</td>
                      {isOwner && (
                        <td>
                          {e.status === 'pending' && !task.withdrawnAt ? (
                            <div className="row">{[button('approve', e.requestId), button('reject', e.requestId)]}</div>
                          ) : null}
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </Table>
              {form('extensions')}
            </section>
          )}
        </div>
      </div>

      {task.rollUp && task.rollUp.children.length > 0 && (
        <section className="card" aria-labelledby="task-rollup">
          <h2 id="task-rollup">{words.rollUp}</h2>
          <Table head={[words.childPlan, words.childTask, words.childLead, words.childStatus]}>
            <tbody>
              {task.rollUp.children.map((c) => (
                <tr key={c.id} className={c.status?.timeliness}>
                  <td>
                    {c.planNumber || common.noNumber} · {c.ref}
                  </td>
                  <td>
                    <Link to={`/tasks/${encodeURIComponent(c.id)}`}>{c.title}</Link>
                  </td>
                  <td>{c.lead ? agency(c.lead) : common.none}</td>
                  <td>{statusLabel(c.status)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </section>
      )}

      <ErrorMessage error={historyError} />
      {history && <History taskId={task.id} events={events} current={task} agencyNames={names} />}
    </div>
  );
};

export default TaskPage;
