import { memo, useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type ReactElement, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError, messageOf, query, request } from '../api';
import { useAgencyNames } from '../agencies';
import { useSession } from '../session-context';
import { clip } from '../text';
import { Kpis } from '../components/kpis';
import { ErrorMessage } from '../components/messages';
import { Table } from '../components/table';
import { fill, useCommon, useFormat, useWords } from '../i18n';
import {
  correctionsOf,
  documentDraftOf,
  draftOf,
  EMPTY_DRAFT,
  FIELD_WARNINGS,
  namesOf,
  type AgencyRef,
  type Change,
  type DocumentDraft,
  type DocumentField,
  type ParsedIndicator,
  type ParsedPlan,
  type ParsedTask,
  type Source,
  type TaskDraft,
  type Warning,
} from './import-review';

/** GET /api/v1/imports/{id}: a document read off the request path (OCR), page by page. */
type ImportJob = {
  id: string;
  state: 'queued' | 'reading' | 'parsed' | 'stored' | 'failed';
  pagesDone: number;
  pages: number | null;
  result?: unknown;
  error?: { type?: string; title?: string; status?: number; detail?: string };
};

/** What the confirmed import answers. */
type Imported = {
  planId: string;
  /** null for a copy before signing, stored as it is. */
  number: string | null;
  outcome: 'created' | 'amended' | 'unchanged';
  tasks?: { count: number; added: number; revised: number; withdrawn: number };
  indicators?: number;
  warnings?: Warning[];
  /** Tasks whose agency changed what this version changes too: the document's value was not applied over theirs. */
  conflicts?: { taskId: string; ref: string; field: string; was: unknown; now: unknown }[];
};

const WORDS = {
  vi: {
    title: 'Nhập kế hoạch, chỉ thị',
    intro: 'Tải lên văn bản kế hoạch hoặc chỉ thị của thành phố, xem lại những gì đọc được, sửa chỗ chưa đúng rồi xác nhận để ban hành.',
    choose: 'Chọn văn bản',
    formats:
      'Nhận tệp Word (.docx, .doc), PDF (kể cả bản quét), trang web (.html), văn bản (.txt, .md) và ảnh chụp văn bản. Bản quét được đọc bằng nhận dạng chữ (OCR), mất vài giây mỗi trang.',
    preview: 'Xem trước',
    previewing: 'Đang đọc văn bản…',
    reading: 'Đang nhận dạng chữ bản quét: trang {done}/{pages}',
    readingStart: 'Đang nhận dạng chữ bản quét…',
    confirm: 'Xác nhận nhập',
    confirming: 'Đang nhập…',
    officeOnly: 'Chỉ Văn phòng UBND được xác nhận nhập; bạn có thể xem trước văn bản.',
    noFile: 'Hãy chọn một văn bản trước.',
    noImportId: 'Máy chủ không trả về mã lần đọc văn bản: hãy xem trước lại.',
    readFailed: 'Không đọc được văn bản',
    binary: 'Tệp không phải văn bản đọc được.',
    notUtf8: 'Tệp văn bản không ở bảng mã UTF-8: hãy lưu lại với bảng mã UTF-8 rồi thử lại.',
    tooLarge: 'Tệp lớn hơn mức cho phép của định dạng này.',
    empty: 'Tệp trống, không có gì để nhập.',
    unsupported: 'Không nhận ra định dạng tệp: hãy chọn tệp .docx, .doc, .pdf, .html, .txt, .md hoặc ảnh.',
    corrupt: 'Tệp bị hỏng, không mở được.',
    hostile: 'Tệp có cấu trúc bất thường, không đọc để bảo đảm an toàn.',
    slow: 'Văn bản mất quá nhiều thời gian để đọc.',
    busy: 'Máy chủ đang bận đọc văn bản khác: hãy thử lại sau ít phút.',
    unrecognised: 'Không nhận ra kế hoạch hoặc chỉ thị trong tệp này.',
    serverSays: 'Chi tiết',
    documentHeading: 'Văn bản đọc được',
    number: 'Số hiệu',
    docTitle: 'Trích yếu',
    kind: 'Loại',
    plan: 'Kế hoạch',
    directive: 'Chỉ thị',
    issuedOn: 'Ngày ban hành',
    issuer: 'Cơ quan ban hành',
    signer: 'Người ký',
    implementsText: 'Thực hiện văn bản',
    truncated: 'Văn bản nguồn bị cắt bớt ("[...]"): một phần nội dung có thể thiếu.',
    readAs: 'Đọc được: {value}',
    blank: '(trống)',
    fixed: 'đã sửa',
    tasksCount: 'Nhiệm vụ',
    indicatorsCount: 'Chỉ tiêu',
    warningsCount: 'Cảnh báo',
    warningsHeading: 'Cảnh báo khi đọc văn bản',
    noWarnings: 'Không có cảnh báo.',
    line: 'Dòng',
    lineN: 'Dòng {n}',
    pageN: 'Trang {n}',
    tasksHeading: 'Nhiệm vụ',
    noTasks: 'Không đọc được nhiệm vụ nào.',
    ref: 'Số TT',
    task: 'Nhiệm vụ',
    lead: 'Chủ trì',
    coordinators: 'Phối hợp',
    coordinatorsHint: 'Phối hợp (cách nhau bởi dấu ;)',
    deadline: 'Thời hạn',
    deadlineHint: 'Thời hạn (như văn bản viết: 31/12/2026, Quý II/2026, hằng tháng)',
    group: 'Nhóm',
    noGroup: '(không thuộc nhóm)',
    supervisor: 'Lãnh đạo phụ trách',
    deliverable: 'Sản phẩm',
    unresolved: 'chưa có trong danh mục cơ quan',
    noLead: 'Chưa rõ cơ quan chủ trì',
    actions: 'Sửa, bỏ',
    editShort: 'Sửa',
    dropShort: 'Bỏ',
    keepShort: 'Giữ lại',
    removeShort: 'Xoá',
    edit: 'Sửa nhiệm vụ {ref}',
    editing: 'Sửa nhiệm vụ {ref}',
    done: 'Xong',
    revert: 'Hoàn tác',
    drop: 'Bỏ nhiệm vụ {ref}',
    keep: 'Giữ lại nhiệm vụ {ref}',
    dropped: 'bỏ, không phải nhiệm vụ',
    add: 'Thêm nhiệm vụ',
    remove: 'Xoá nhiệm vụ thêm {ref}',
    addedGroup: 'Nhiệm vụ thêm khi xem lại',
    titleRequired: 'Nhiệm vụ thêm cần có nội dung; dòng trống không được nhập.',
    source: 'Nguồn',
    showPage: 'Xem trang {n}',
    hidePage: 'Ẩn trang {n}',
    pageAlt: 'Trang {n} của văn bản; khung đỏ là chỗ đọc nhiệm vụ',
    pageLoading: 'Đang tải trang…',
    changesHeading: 'Những chỗ đã sửa ({n})',
    noChanges: 'Chưa sửa gì: văn bản được nhập như đã đọc.',
    changeDropped: 'bỏ',
    changeAdded: 'thêm',
    indicatorsHeading: 'Chỉ tiêu ({n})',
    indicator: 'Chỉ tiêu',
    unit: 'Đơn vị',
    target: 'Mục tiêu',
    imported: 'Đã nhập kế hoạch {number}',
    created: 'ban hành mới',
    amended: 'đã cập nhật văn bản đã có',
    unchanged: 'không có thay đổi so với văn bản đã nhập',
    doneCounts: '{count} nhiệm vụ (thêm {added}, sửa {revised}, rút {withdrawn}), {indicators} chỉ tiêu.',
    conflictsHeading: 'Chỗ cơ quan đã cập nhật, giữ nguyên không ghi đè ({n})',
    reviewed: '{n} chỗ sửa khi xem lại được ghi vào lịch sử kế hoạch.',
    open: 'Mở kế hoạch',
    another: 'Nhập văn bản khác',
  },
  en: {
    title: 'Import a plan or directive',
    intro: "Upload the city's plan or directive, review what was read, correct what is wrong, then confirm to issue it.",
    choose: 'Choose a document',
    formats: 'Word (.docx, .doc), PDF (scans too), web pages (.html), text (.txt, .md) and photos of a document. Scans are read by OCR, a few seconds a page.',
    preview: 'Preview',
    previewing: 'Reading the document…',
    reading: 'Reading the scan (OCR): page {done} of {pages}',
    readingStart: 'Reading the scan (OCR)…',
    confirm: 'Confirm import',
    confirming: 'Importing…',
    officeOnly: "Only the City People's Committee office confirms an import; you can preview the document.",
    noFile: 'Choose a document first.',
    noImportId: 'The server gave no id for this reading: preview the document again.',
    readFailed: 'The document could not be read',
    binary: 'The file is not a readable document.',
    notUtf8: 'The text file is not UTF-8: save it again as UTF-8 and try again.',
    tooLarge: 'The file is over the size limit of its format.',
    empty: 'The file is empty: there is nothing to import.',
    unsupported: 'The file format is not recognised: choose a .docx, .doc, .pdf, .html, .txt, .md file or an image.',
    corrupt: 'The file is damaged and cannot be opened.',
    hostile: 'The file is built in an unusual way and is not read, for safety.',
    slow: 'The document takes too long to read.',
    busy: 'The server is busy reading other documents: try again in a few minutes.',
    unrecognised: 'No plan or directive was recognised in this file.',
    serverSays: 'Details',
    documentHeading: 'Document read',
    number: 'Number',
    docTitle: 'Title',
    kind: 'Kind',
    plan: 'Plan',
    directive: 'Directive',
    issuedOn: 'Issued on',
    issuer: 'Issuer',
    signer: 'Signed by',
    implementsText: 'Implements',
    truncated: 'The source text is cut off ("[...]"): some content may be missing.',
    readAs: 'Read as: {value}',
    blank: '(blank)',
    fixed: 'corrected',
    tasksCount: 'Tasks',
    indicatorsCount: 'Indicators',
    warningsCount: 'Warnings',
    warningsHeading: 'Warnings while reading',
    noWarnings: 'No warnings.',
    line: 'Line',
    lineN: 'Line {n}',
    pageN: 'Page {n}',
    tasksHeading: 'Tasks',
    noTasks: 'No task was read.',
    ref: 'No.',
    task: 'Task',
    lead: 'Lead',
    coordinators: 'Coordinating',
    coordinatorsHint: 'Coordinating (separated by ;)',
    deadline: 'Deadline',
    deadlineHint: 'Deadline (as a document writes it: 31/12/2026, Quý II/2026, hằng tháng)',
    group: 'Group',
    noGroup: '(no group)',
    supervisor: 'Supervising leader',
    deliverable: 'Deliverable',
    unresolved: 'not in the agency directory',
    noLead: 'Lead agency unknown',
    actions: 'Edit, drop',
    editShort: 'Edit',
    dropShort: 'Drop',
    keepShort: 'Keep',
    removeShort: 'Remove',
    edit: 'Edit task {ref}',
    editing: 'Editing task {ref}',
    done: 'Done',
    revert: 'Undo',
    drop: 'Drop task {ref}',
    keep: 'Keep task {ref}',
    dropped: 'dropped, not a task',
    add: 'Add a task',
    remove: 'Remove added task {ref}',
    addedGroup: 'Tasks added in the review',
    titleRequired: 'An added task needs its text; a blank one is not imported.',
    source: 'Source',
    showPage: 'Show page {n}',
    hidePage: 'Hide page {n}',
    pageAlt: 'Page {n} of the document; the red box is where the task was read',
    pageLoading: 'Loading the page…',
    changesHeading: 'Corrections ({n})',
    noChanges: 'Nothing corrected: the document is imported as read.',
    changeDropped: 'dropped',
    changeAdded: 'added',
    indicatorsHeading: 'Indicators ({n})',
    indicator: 'Indicator',
    unit: 'Unit',
    target: 'Target',
    imported: 'Imported plan {number}',
    created: 'newly issued',
    amended: 'the existing document was updated',
    unchanged: 'no change from the document already imported',
    doneCounts: '{count} tasks ({added} added, {revised} revised, {withdrawn} withdrawn), {indicators} indicators.',
    conflictsHeading: 'Values the agencies had updated, kept rather than overwritten ({n})',
    reviewed: '{n} corrections made in the review are recorded in the plan history.',
    open: 'Open the plan',
    another: 'Import another document',
  },
};

type Words = Record<keyof (typeof WORDS)['vi'], string>;

/** How often a job reading a scan is asked how far it is. */
const POLL_MS = 700;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The problem types (…/problems/<code>) of the reader and the importer, as the office reads them. */
const problemText = (failure: unknown, words: Words): string => {
  if (!(failure instanceof ApiError)) return messageOf(failure);
  const code = failure.type.split('/').pop() ?? '';
  const known: Record<string, string> = {
    'plan-import.binary': words.binary,
    'plan-import.not-utf8': words.notUtf8,
    'plan-import.too-large': words.tooLarge,
    'plan-import.empty': words.empty,
    'plan-import.unrecognised': words.unrecognised,
    'document.too-large': words.tooLarge,
    'document.unsupported': words.unsupported,
    'document.empty': words.empty,
    'document.corrupt': words.corrupt,
    'document.hostile': words.hostile,
    'document.timeout': words.slow,
    'import-too-complex': words.slow,
    'import-busy': words.busy,
    'import-busy-city': words.busy,
  };
  const said = known[code] ?? (failure.status === 413 ? words.tooLarge : undefined);
  return said ? `${said} (${words.serverSays}: ${failure.message})` : failure.message;
};

/** Where a warning was read: "Dòng 12", "Trang 2", or nothing. */
const placeOf = (w: { line?: number; page?: number }, words: Words) =>
  w.line ? fill(words.lineN, { n: w.line }) : w.page ? fill(words.pageN, { n: w.page }) : '';

/** Which task or indicator each warning belongs to: the item starting on its line, or the last one before it. */
const placeWarnings = (tasks: ParsedTask[], indicators: ParsedIndicator[], warnings: Warning[]) => {
  const items = [
    ...tasks.map((t) => ({ key: `t:${t.ref}`, line: t.source?.line ?? 0 })),
    ...indicators.map((i) => ({ key: `i:${i.ref}`, line: i.source?.line ?? 0 })),
  ]
    .filter((item) => item.line > 0)
    .sort((a, b) => a.line - b.line);
  const byItem = new Map<string, Warning[]>();
  for (const warning of warnings) {
    if (!warning.line || items.length === 0 || warning.line < items[0].line) continue;
    let lo = 0;
    let hi = items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (items[mid].line <= warning.line) lo = mid;
      else hi = mid - 1;
    }
    const key = items[lo].key;
    byItem.set(key, [...(byItem.get(key) ?? []), warning]);
  }
  return byItem;
};

/** A change as the office reads it: which field of which task, from what to what. */
const ChangeItem = ({ change, words }: { change: Change; words: Words }) => {
  const fields: Record<string, string> = {
    number: words.number,
    issuedOn: words.issuedOn,
    title: words.docTitle,
    lead: words.lead,
    coordinators: words.coordinators,
    deadline: words.deadline,
  };
  const [head, ...rest] = change.path.split('.');
  let what: string;
  if (head === 'document') what = fields[rest[0]] ?? rest[0];
  else if (head === 'add') what = `${words.changeAdded} ${rest.join('.')}`;
  else {
    // tasks.<ref>[.<field>]: a ref holds dots itself (PL2.I.3), the field is the last part when it is one.
    const last = rest.at(-1) ?? '';
    const field = rest.length > 1 && ['title', 'lead', 'coordinators', 'deadline'].includes(last) ? last : null;
    const ref = field ? rest.slice(0, -1).join('.') : rest.join('.');
    what = `${words.task} ${ref}${field ? ` · ${field === 'title' ? words.task : fields[field]}` : ''}`;
  }
  if (change.to === null && head === 'tasks') {
    // A dropped task: its title as a reminder of which row it was.
    const title = clip(change.from, 90);
    return (
      <li>
        <strong>{what}</strong>: {words.changeDropped} (<del>{title}</del>)
      </li>
    );
  }
  return (
    <li>
      <strong>{what}</strong>:{' '}
      {head === 'add' ? null : (
        <>
          <del>{change.from || words.blank}</del> →{' '}
        </>
      )}
      <ins>{change.to || words.blank}</ins>
    </li>
  );
};

// ---------------------------------------------------------------------------------------------------

const isUnresolved = (ref: AgencyRef) => ref.resolution === 'unresolved' || (ref.agencyId === null && ref.resolution !== 'group');

const agencyText = (ref: AgencyRef | null | undefined, words: Words) => {
  if (!ref) return null;
  const unresolved = isUnresolved(ref);
  return (
    <span className={unresolved ? 'due_soon' : undefined}>
      {ref.name}
      {unresolved ? ` (${words.unresolved})` : ''}
    </span>
  );
};

/** A name the office typed: marked when the directory does not hold it (the importer keeps it unresolved). */
const typedAgency = (name: string, known: ReadonlyMap<string, string>, words: Words) =>
  name ? (
    <span className={known.size > 0 && !known.has(name) ? 'due_soon' : undefined}>
      {name}
      {known.size > 0 && !known.has(name) ? ` (${words.unresolved})` : ''}
    </span>
  ) : null;

const WarningNotes = ({ warnings, words }: { warnings: Warning[] | undefined; words: Words }) =>
  warnings && warnings.length > 0 ? (
    <ul className="import-row-warnings">
      {warnings.map((w, i) => (
        <li key={i} className="error">
          {placeOf(w, words) ? `${placeOf(w, words)}: ` : ''}
          {w.message}
        </li>
      ))}
    </ul>
  ) : null;

/** Loads page images of the import (an object URL each, kept while the review lasts). */
type PageLoader = (page: number) => Promise<string>;

/** A page of the uploaded document as the server renders it, the task's region marked over it. */
const PageImage = ({ page, region, load, words }: { page: number; region?: Source['region']; load: PageLoader; words: Words }) => {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    load(page).then(
      (loaded) => live && setUrl(loaded),
      (failure: unknown) => live && setError(problemText(failure, words)),
    );
    return () => {
      live = false;
    };
  }, [page, load, words]);
  if (error) return <ErrorMessage error={error} />;
  if (!url) return <p className="muted">{words.pageLoading}</p>;
  const percent = (fraction: number) => `${(Math.min(1, Math.max(0, fraction)) * 100).toFixed(2)}%`;
  return (
    <div className="import-page-image">
      <img src={url} alt={fill(words.pageAlt, { n: page })} />
      {region ? (
        <div
          className="import-region"
          data-testid="import-region"
          aria-hidden="true"
          style={{ left: percent(region.x), top: percent(region.y), width: percent(region.width), height: percent(region.height) }}
        />
      ) : null}
    </div>
  );
};

/**
 * Where the task was read: the excerpt of the document and, for a paged one, the button showing its page
 * (in a row of its own under the task, as wide as the table).
 */
const SourceNote = ({ source, pageShown, onPage, words }: { source: Source | undefined; pageShown: boolean; onPage: (() => void) | null; words: Words }) => {
  if (!source || (!source.excerpt && !source.page)) return null;
  const where = [source.line ? fill(words.lineN, { n: source.line }) : '', source.page ? fill(words.pageN, { n: source.page }) : ''].filter(Boolean).join(', ');
  return (
    <details className="import-source">
      <summary>
        {words.source}
        {where ? ` (${where})` : ''}
        {source.excerpt ? <span className="import-excerpt-start">{source.excerpt}</span> : null}
      </summary>
      {source.excerpt ? <blockquote className="import-excerpt">{source.excerpt}</blockquote> : null}
      {source.page && onPage ? (
        <button type="button" className="small-button" aria-expanded={pageShown} onClick={onPage}>
          {fill(pageShown ? words.hidePage : words.showPage, { n: source.page })}
        </button>
      ) : null}
    </details>
  );
};

/** The fields of a task the office edits, in a row under it. */
const TaskEditor = ({
  label,
  draft,
  groups,
  onChange,
  onDone,
  onRevert,
  words,
}: {
  label: string;
  draft: TaskDraft;
  /** The document's groups, for a task added in the review; null for a task that was read. */
  groups: string[] | null;
  onChange: (draft: TaskDraft) => void;
  onDone: () => void;
  onRevert: (() => void) | null;
  words: Words;
}) => {
  const first = useRef<HTMLTextAreaElement>(null);
  useEffect(() => first.current?.focus(), []);
  const set = (field: keyof TaskDraft) => (event: { target: { value: string } }) => onChange({ ...draft, [field]: event.target.value });
  return (
    <fieldset className="import-editor">
      <legend>{label}</legend>
      <label>
        {words.task}
        <textarea ref={first} rows={3} value={draft.title} onChange={set('title')} required={groups !== null} />
      </label>
      <div className="import-editor-fields">
        <label>
          {words.lead}
          <input type="text" list="import-agencies" value={draft.lead} onChange={set('lead')} autoComplete="off" />
        </label>
        <label>
          {words.coordinatorsHint}
          <input type="text" value={draft.coordinators} onChange={set('coordinators')} autoComplete="off" />
        </label>
        <label>
          {words.deadlineHint}
          <input type="text" value={draft.deadline} onChange={set('deadline')} autoComplete="off" />
        </label>
        {groups ? (
          <label>
            {words.group}
            <select value={draft.group} onChange={set('group')}>
              <option value="">{words.noGroup}</option>
              {groups.map((group) => (
                <option key={group} value={group}>
                  {group}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <div className="row">
        <button type="button" className="primary" onClick={onDone}>
          {words.done}
        </button>
        {onRevert ? (
          <button type="button" className="secondary" onClick={onRevert}>
            {words.revert}
          </button>
        ) : null}
      </div>
    </fieldset>
  );
};

type TaskTableProps = {
  tasks: ParsedTask[];
  drafts: Record<string, TaskDraft>;
  added: TaskDraft[];
  editing: string | null;
  /** The task whose page image is shown. */
  paged: string | null;
  warnings: Map<string, Warning[]>;
  known: ReadonlyMap<string, string>;
  load: PageLoader | null;
  onEdit: (ref: string | null) => void;
  onPage: (ref: string | null) => void;
  onDraft: (ref: string, draft: TaskDraft | null) => void;
  onAdded: (index: number, draft: TaskDraft | null) => void;
  words: Words;
};

const COLUMNS = 8;

/** The parsed tasks, each editable: a row per task, the group as a title row, each warning and its source under it. */
const TaskTable = memo(({ tasks, drafts, added, editing, paged, warnings, known, load, onEdit, onPage, onDraft, onAdded, words }: TaskTableProps) => {
  const format = useFormat();
  const groups = useMemo(() => [...new Set(tasks.map((t) => t.group).filter((g): g is string => !!g))], [tasks]);
  const rows: ReactElement[] = [];
  let group: string | null | undefined;
  const changed = (yes: boolean) => (yes ? 'import-changed' : undefined);
  tasks.forEach((task, index) => {
    if (task.group !== group) {
      group = task.group;
      if (group) {
        rows.push(
          <tr key={`g${index}`} className="group-title">
            <td colSpan={COLUMNS}>{group}</td>
          </tr>,
        );
      }
    }
    const own = warnings.get(`t:${task.ref}`);
    const read = draftOf(task);
    const draft = drafts[task.ref] ?? read;
    const deadline = task.deadline;
    const where = task.source?.line ? String(task.source.line) : '';
    const classes = [own ? 'import-warned' : '', draft.drop ? 'import-dropped' : ''].filter(Boolean).join(' ') || undefined;
    rows.push(
      <tr key={`t${index}`} className={classes} data-ref={task.ref}>
        <td>
          {where}
          {task.source?.page ? <div className="muted">{fill(words.pageN, { n: task.source.page })}</div> : null}
        </td>
        <td>{task.ref}</td>
        <td className={changed(draft.title !== read.title)}>
          {draft.title}
          {draft.drop ? <div className="muted">({words.dropped})</div> : null}
          {task.deliverable ? (
            <div className="muted">
              {words.deliverable}: {task.deliverable}
            </div>
          ) : null}
          <WarningNotes warnings={own} words={words} />
          <SourceNote
            source={task.source}
            pageShown={paged === task.ref}
            onPage={load ? () => onPage(paged === task.ref ? null : task.ref) : null}
            words={words}
          />
        </td>
        <td className={changed(draft.lead !== read.lead)}>
          {draft.lead !== read.lead
            ? typedAgency(draft.lead, known, words)
            : (agencyText(task.lead, words) ?? <span className="due_soon">{words.noLead}</span>)}
        </td>
        <td className={changed(draft.coordinators !== read.coordinators)}>
          {draft.coordinators !== read.coordinators
            ? namesOf(draft.coordinators).map((name, i) => (
                <span key={i}>
                  {i > 0 ? '; ' : ''}
                  {typedAgency(name, known, words)}
                </span>
              ))
            : (task.coordinators ?? []).map((c, i) => (
                <span key={i}>
                  {i > 0 ? '; ' : ''}
                  {agencyText(c, words)}
                </span>
              ))}
        </td>
        <td className={draft.deadline !== read.deadline ? 'import-changed' : deadline?.due ? undefined : 'no_deadline'}>
          {draft.deadline}
          {draft.deadline === read.deadline && deadline?.due ? <div className="muted">{format.date(deadline.due)}</div> : null}
        </td>
        <td>{task.supervisor?.name ?? task.supervisor?.text ?? ''}</td>
        <td className="import-actions">
          <button
            type="button"
            className="small-button"
            aria-label={fill(words.edit, { ref: task.ref })}
            aria-expanded={editing === task.ref}
            disabled={draft.drop}
            onClick={() => onEdit(editing === task.ref ? null : task.ref)}
          >
            {words.editShort}
          </button>
          <button
            type="button"
            className="small-button"
            aria-label={fill(draft.drop ? words.keep : words.drop, { ref: task.ref })}
            aria-pressed={draft.drop}
            onClick={() => {
              if (editing === task.ref) onEdit(null);
              onDraft(task.ref, { ...draft, drop: !draft.drop });
            }}
          >
            {draft.drop ? words.keepShort : words.dropShort}
          </button>
        </td>
      </tr>,
    );
    if (paged === task.ref && load && task.source?.page) {
      rows.push(
        <tr key={`p${index}`} className="import-page-row" data-ref-page={task.ref}>
          <td colSpan={COLUMNS}>
            <PageImage page={task.source.page} region={task.source.region} load={load} words={words} />
          </td>
        </tr>,
      );
    }
    if (editing === task.ref && !draft.drop) {
      rows.push(
        <tr key={`e${index}`} className="import-edit">
          <td colSpan={COLUMNS}>
            <TaskEditor
              label={fill(words.editing, { ref: task.ref })}
              draft={draft}
              groups={null}
              onChange={(next) => onDraft(task.ref, next)}
              onDone={() => onEdit(null)}
              onRevert={() => {
                onDraft(task.ref, null);
                onEdit(null);
              }}
              words={words}
            />
          </td>
        </tr>,
      );
    }
  });
  if (added.length > 0) {
    rows.push(
      <tr key="added" className="group-title">
        <td colSpan={COLUMNS}>{words.addedGroup}</td>
      </tr>,
    );
  }
  added.forEach((draft, index) => {
    const ref = `+${index + 1}`;
    rows.push(
      <tr key={`a${index}`} className="import-added" data-ref={ref}>
        <td />
        <td>{ref}</td>
        <td className="import-changed">
          {draft.title || <span className="due_soon">{words.titleRequired}</span>}
          {draft.group ? <div className="muted">{draft.group}</div> : null}
        </td>
        <td>{typedAgency(draft.lead.trim(), known, words)}</td>
        <td>{namesOf(draft.coordinators).join('; ')}</td>
        <td>{draft.deadline}</td>
        <td />
        <td className="import-actions">
          <button
            type="button"
            className="small-button"
            aria-label={fill(words.edit, { ref })}
            aria-expanded={editing === ref}
            onClick={() => onEdit(editing === ref ? null : ref)}
          >
            {words.editShort}
          </button>
          <button type="button" className="small-button" aria-label={fill(words.remove, { ref })} onClick={() => onAdded(index, null)}>
            {words.removeShort}
          </button>
        </td>
      </tr>,
    );
    if (editing === ref) {
      rows.push(
        <tr key={`ae${index}`} className="import-edit">
          <td colSpan={COLUMNS}>
            <TaskEditor
              label={fill(words.editing, { ref })}
              draft={draft}
              groups={groups}
              onChange={(next) => onAdded(index, next)}
              onDone={() => onEdit(null)}
              onRevert={null}
              words={words}
            />
          </td>
        </tr>,
      );
    }
  });
  return (
    <Table
      head={[words.line, words.ref, words.task, words.lead, words.coordinators, words.deadline, words.supervisor, words.actions]}
      caption={words.tasksHeading}
      className="import-tasks"
    >
      <tbody>{rows}</tbody>
    </Table>
  );
});

const IndicatorTable = memo(({ indicators, warnings, words }: { indicators: ParsedIndicator[]; warnings: Map<string, Warning[]>; words: Words }) => (
  <Table
    head={[words.line, words.ref, words.indicator, words.unit, words.target, words.lead]}
    caption={fill(words.indicatorsHeading, { n: indicators.length })}
  >
    <tbody>
      {indicators.map((indicator, index) => (
        <tr key={index}>
          <td>{indicator.source?.line ?? ''}</td>
          <td>{indicator.ref}</td>
          <td>
            {indicator.name}
            <WarningNotes warnings={warnings.get(`i:${indicator.ref}`)} words={words} />
          </td>
          <td>{indicator.unit ?? ''}</td>
          <td>{(indicator.targets ?? []).map((t) => (t.horizon ? `${t.text} (${t.horizon})` : t.text)).join('; ')}</td>
          <td>{agencyText(indicator.lead, words)}</td>
        </tr>
      ))}
    </tbody>
  </Table>
));

/** A value an agency had given, as text. */
const valueText = (value: unknown) => (value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));

/** The import id the server answers a dry run with (`Mandate-Import-Id`, or the end of `Location`). */
const importIdOf = (response: Response): string | null =>
  response.headers.get('mandate-import-id') ?? /\/imports\/([^/?#]+)\/?$/.exec(response.headers.get('location') ?? '')?.[1] ?? null;

/** A job's problem (problem+json, kept with the job) as the error the API would have thrown. */
const jobFailure = (job: ImportJob) => new ApiError(job.error?.status ?? 422, job.error?.type ?? '', job.error?.detail ?? job.error?.title ?? job.state);

const ImportPage = () => {
  const words = useWords(WORDS);
  const common = useCommon();
  const format = useFormat();
  const { session } = useSession();
  const { cityId, role } = session.actor;
  const canConfirm = role === 'office';
  const input = useRef<HTMLInputElement>(null);
  const agencyNames = useAgencyNames(cityId);
  /** Directory names → agency ids: a name picked from the list is sent as its id. */
  const agencyIds = useMemo(() => new Map([...agencyNames].map(([id, name]) => [name, id])), [agencyNames]);
  // The datalist's order, sorted once per directory, not on every keystroke of the review.
  const agencyOptions = useMemo(() => [...agencyNames.values()].sort((a, b) => a.localeCompare(b, 'vi')), [agencyNames]);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<'preview' | 'reading' | 'confirm' | null>(null);
  const [progress, setProgress] = useState<{ pagesDone: number; pages: number | null } | null>(null);
  const [importId, setImportId] = useState<string | null>(null);
  const [parsed, setParsed] = useState<ParsedPlan | null>(null);
  const [doc, setDoc] = useState<DocumentDraft>({ number: '', issuedOn: '', title: '' });
  const [drafts, setDrafts] = useState<Record<string, TaskDraft>>({});
  const [added, setAdded] = useState<TaskDraft[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const [paged, setPaged] = useState<string | null>(null);
  const [imported, setImported] = useState<Imported | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  /** Each upload's number: a reading still polled for an upload the office has replaced stops. */
  const run = useRef(0);
  const pages = useRef(new Map<number, Promise<string>>());

  /** Forgets the page images of the previous import (their object URLs freed). */
  const dropPages = useCallback(() => {
    for (const url of pages.current.values()) void url.then(URL.revokeObjectURL, () => undefined);
    pages.current = new Map();
  }, []);
  useEffect(
    () => () => {
      run.current++;
      dropPages();
    },
    [dropPages],
  );

  const loadPage = useCallback<PageLoader>(
    (page) => {
      let url = pages.current.get(page);
      if (!url) {
        url = request(`/api/v1/imports/${encodeURIComponent(importId ?? '')}/pages/${page}`, { accept: 'image/png' })
          .then((response) => response.blob())
          .then((blob) => URL.createObjectURL(blob));
        // A failed page is asked again next time, unless another import's page took its place meanwhile.
        url.catch(() => pages.current.get(page) === url && pages.current.delete(page));
        pages.current.set(page, url);
      }
      return url;
    },
    [importId],
  );

  const clear = () => {
    run.current++;
    dropPages();
    setParsed(null);
    setImportId(null);
    setProgress(null);
    setDrafts({});
    setAdded([]);
    setEditing(null);
    setPaged(null);
    setImported(null);
    setError(null);
    setConfirmError(null);
  };

  /** Follows a job reading a scan until it has parsed the document (or failed), showing its pages. */
  const follow = async (job: ImportJob, generation: number): Promise<ParsedPlan | null> => {
    for (let current = job; ;) {
      setProgress({ pagesDone: current.pagesDone, pages: current.pages });
      if (current.state === 'parsed') return current.result as ParsedPlan;
      if (current.state === 'failed' || current.state === 'stored') throw jobFailure(current);
      await pause(POLL_MS);
      if (run.current !== generation) return null;
      current = await api<ImportJob>(`/api/v1/imports/${encodeURIComponent(job.id)}`);
      if (run.current !== generation) return null;
    }
  };

  const preview = async () => {
    if (!file) {
      setError(words.noFile);
      return;
    }
    clear();
    const generation = run.current;
    setBusy('preview');
    try {
      // The file as it is, whatever its format: the server reads it (Word, PDF, scans, web pages, text).
      const form = new FormData();
      form.append('file', file, file.name);
      const response = await request(`/api/v1/imports${query({ city: cityId, dryRun: 'true', document: file.name.slice(0, 255) })}`, {
        method: 'POST',
        raw: form,
      });
      const body = (await response.json()) as unknown;
      if (run.current !== generation) return;
      let plan: ParsedPlan | null;
      if (response.status === 202) {
        const job = body as ImportJob;
        setImportId(job.id);
        setBusy('reading');
        plan = await follow(job, generation);
        if (!plan) return;
      } else {
        plan = body as ParsedPlan;
        setImportId(importIdOf(response));
      }
      setParsed(plan);
      setDoc(documentDraftOf(plan));
    } catch (failure) {
      if (run.current === generation) setError(`${words.readFailed}: ${problemText(failure, words)}`);
    } finally {
      if (run.current === generation) {
        setBusy(null);
        setProgress(null);
      }
    }
  };

  const tasks = useMemo(() => parsed?.tasks ?? [], [parsed]);
  const indicators = useMemo(() => parsed?.indicators ?? [], [parsed]);
  const warnings = useMemo(() => parsed?.warnings ?? [], [parsed]);
  const placed = useMemo(() => placeWarnings(tasks, indicators, warnings), [tasks, indicators, warnings]);
  const { corrections, changes } = useMemo(
    () => (parsed ? correctionsOf(parsed, doc, drafts, added, agencyIds) : { corrections: {}, changes: [] }),
    [parsed, doc, drafts, added, agencyIds],
  );
  const keptTasks = tasks.length - tasks.filter((t) => drafts[t.ref]?.drop).length + (corrections.add?.length ?? 0);

  const confirm = async () => {
    if (!importId) {
      setConfirmError(words.noImportId);
      return;
    }
    setBusy('confirm');
    setConfirmError(null);
    try {
      setImported(await api<Imported>(`/api/v1/imports/${encodeURIComponent(importId)}/confirm`, { method: 'POST', body: corrections }));
      setEditing(null);
    } catch (failure) {
      setConfirmError(problemText(failure, words));
    } finally {
      setBusy(null);
    }
  };

  const onPreview = (event: FormEvent) => {
    event.preventDefault();
    void preview();
  };

  const reset = () => {
    clear();
    setFile(null);
    if (input.current) {
      input.current.value = '';
      input.current.focus();
    }
  };

  const onDraft = useCallback((ref: string, draft: TaskDraft | null) => {
    setDrafts((all) => {
      const next = { ...all };
      if (draft) next[ref] = draft;
      else delete next[ref];
      return next;
    });
  }, []);
  const onAdded = useCallback((index: number, draft: TaskDraft | null) => {
    setAdded((all) => (draft ? all.map((d, i) => (i === index ? draft : d)) : all.filter((_, i) => i !== index)));
    if (!draft) setEditing(null);
  }, []);
  const addTask = () => {
    setAdded((all) => [...all, EMPTY_DRAFT]);
    setEditing(`+${added.length + 1}`);
  };

  const read = parsed?.document;
  const readDoc = parsed ? documentDraftOf(parsed) : null;
  /** A document field: its input, what was read when the office changed it, and the warnings it answers. */
  const documentField = (field: DocumentField, caption: string, control: ReactNode) => {
    const changedField = readDoc !== null && doc[field].trim() !== readDoc[field];
    const own = warnings.filter((w) => FIELD_WARNINGS[field].includes(w.code));
    return (
      <div className={changedField ? 'import-field import-changed' : 'import-field'}>
        <label htmlFor={`import-doc-${field}`}>{caption}</label>
        {control}
        {changedField ? <span className="muted">{fill(words.readAs, { value: readDoc[field] || words.blank })}</span> : null}
        {own.length > 0 ? (
          <ul className="import-row-warnings">
            {own.map((w, i) => (
              <li key={i} className={changedField ? 'muted' : 'error'}>
                {placeOf(w, words) ? `${placeOf(w, words)}: ` : ''}
                {w.message}
                {changedField ? ` (${words.fixed})` : ''}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  };
  const docInput = (field: DocumentField, type: 'text' | 'date' = 'text') => (
    <input id={`import-doc-${field}`} type={type} value={doc[field]} autoComplete="off" onChange={(e) => setDoc((d) => ({ ...d, [field]: e.target.value }))} />
  );

  return (
    <div className="import-page">
      <h1>{words.title}</h1>
      <p className="muted">{words.intro}</p>

      <form className="card stack" onSubmit={onPreview}>
        <label>
          {words.choose}
          <input
            ref={input}
            type="file"
            name="file"
            accept=".docx,.doc,.pdf,.html,.htm,.txt,.md,image/*,text/plain,text/markdown,text/html,application/pdf,application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            aria-describedby="import-formats"
            onChange={(event) => {
              clear();
              setFile(event.target.files?.[0] ?? null);
            }}
          />
        </label>
        <p id="import-formats" className="muted">
          {words.formats}
        </p>
        {!canConfirm ? <p className="muted">{words.officeOnly}</p> : null}
        <div className="row">
          <button type="submit" className="secondary" disabled={busy !== null || !file}>
            {busy === 'preview' || busy === 'reading' ? words.previewing : words.preview}
          </button>
        </div>
        {busy === 'reading' && progress ? (
          <div className="import-progress" role="status">
            <span id="import-progress-label">
              {progress.pages ? fill(words.reading, { done: format.number(progress.pagesDone), pages: format.number(progress.pages) }) : words.readingStart}
            </span>
            <progress
              aria-labelledby="import-progress-label"
              max={progress.pages ?? undefined}
              value={progress.pages ? progress.pagesDone : undefined}
              data-testid="import-progress"
            />
          </div>
        ) : null}
        <ErrorMessage error={error} />
      </form>

      {imported ? (
        <div className="card ok" role="status" data-testid="import-result">
          <p>
            <strong>{fill(words.imported, { number: imported.number ?? common.noNumber })}</strong> ({words[imported.outcome] ?? imported.outcome}).{' '}
            {imported.tasks
              ? fill(words.doneCounts, {
                  count: format.number(imported.tasks.count),
                  added: format.number(imported.tasks.added),
                  revised: format.number(imported.tasks.revised),
                  withdrawn: format.number(imported.tasks.withdrawn),
                  indicators: format.number(imported.indicators ?? 0),
                })
              : null}{' '}
            {changes.length > 0 ? fill(words.reviewed, { n: format.number(changes.length) }) : null}
          </p>
          {imported.conflicts && imported.conflicts.length > 0 ? (
            <>
              <p>{fill(words.conflictsHeading, { n: format.number(imported.conflicts.length) })}</p>
              <ul>
                {imported.conflicts.map((c, i) => (
                  <li key={i}>
                    <Link to={`/tasks/${c.taskId}`}>{c.ref}</Link> · {c.field}: {valueText(c.was)} → {valueText(c.now)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <p className="row">
            <Link to={`/plans/${imported.planId}`}>{words.open}</Link>
            <button type="button" className="secondary" onClick={reset}>
              {words.another}
            </button>
          </p>
        </div>
      ) : null}

      {parsed && !imported ? (
        <section aria-labelledby="import-document" className="stack">
          <datalist id="import-agencies">
            {agencyOptions.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <div className="card">
            <h2 id="import-document">{words.documentHeading}</h2>
            <div className="import-doc-fields">
              {documentField('number', words.number, docInput('number'))}
              {documentField('issuedOn', words.issuedOn, docInput('issuedOn', 'date'))}
              {documentField(
                'title',
                words.docTitle,
                <textarea id="import-doc-title" rows={2} value={doc.title} onChange={(e) => setDoc((d) => ({ ...d, title: e.target.value }))} />,
              )}
            </div>
            <dl className="import-meta">
              <dt>{words.kind}</dt>
              <dd>{read?.planKind === 'directive' ? words.directive : read?.planKind === 'plan' ? words.plan : (read?.kind ?? '')}</dd>
              <dt>{words.issuer}</dt>
              <dd>{read?.issuer ?? ''}</dd>
              <dt>{words.signer}</dt>
              <dd>{read?.signer ?? ''}</dd>
              {read?.implementsText && read.implementsText.length > 0 ? (
                <>
                  <dt>{words.implementsText}</dt>
                  <dd>{read.implementsText.join('; ')}</dd>
                </>
              ) : null}
            </dl>
            {read?.truncated ? <p className="error">{words.truncated}</p> : null}
            <Kpis
              items={[
                { key: 'tasks', name: words.tasksCount, value: format.number(keptTasks) },
                { key: 'indicators', name: words.indicatorsCount, value: format.number(indicators.length) },
                { key: 'warnings', name: words.warningsCount, value: format.number(warnings.length), tone: warnings.length > 0 ? 'due_soon' : undefined },
              ]}
            />
          </div>

          <div className="card" aria-labelledby="import-warnings">
            <h2 id="import-warnings">{words.warningsHeading}</h2>
            {warnings.length === 0 ? (
              <p className="muted">{words.noWarnings}</p>
            ) : (
              <ul className="import-warnings">
                {warnings.map((w, i) => (
                  <li key={i} className="error">
                    {placeOf(w, words) ? <strong>{placeOf(w, words)}: </strong> : null}
                    {w.message}
                  </li>
                ))}
              </ul>
            )}
          </div>

          <div className="card">
            <h2>{words.tasksHeading}</h2>
            {tasks.length === 0 && added.length === 0 ? <p className="muted">{words.noTasks}</p> : null}
            {tasks.length > 0 || added.length > 0 ? (
              <TaskTable
                tasks={tasks}
                drafts={drafts}
                added={added}
                editing={editing}
                paged={paged}
                warnings={placed}
                known={agencyIds}
                load={importId ? loadPage : null}
                onEdit={setEditing}
                onPage={setPaged}
                onDraft={onDraft}
                onAdded={onAdded}
                words={words}
              />
            ) : null}
            <p className="row">
              <button type="button" className="secondary" onClick={addTask}>
                {words.add}
              </button>
            </p>
          </div>

          {indicators.length > 0 ? (
            <details className="card">
              <summary>
                <h2 className="import-inline">{fill(words.indicatorsHeading, { n: format.number(indicators.length) })}</h2>
              </summary>
              <IndicatorTable indicators={indicators} warnings={placed} words={words} />
            </details>
          ) : null}

          <div className="card stack" aria-labelledby="import-changes">
            <h2 id="import-changes">{fill(words.changesHeading, { n: format.number(changes.length) })}</h2>
            {changes.length === 0 ? (
              <p className="muted">{words.noChanges}</p>
            ) : (
              <ul className="import-changes" data-testid="import-changes">
                {changes.map((change) => (
                  <ChangeItem key={change.path} change={change} words={words} />
                ))}
              </ul>
            )}
            {canConfirm ? (
              <div className="row">
                <button type="button" className="primary" disabled={busy !== null} onClick={() => void confirm()}>
                  {busy === 'confirm' ? words.confirming : words.confirm}
                </button>
              </div>
            ) : (
              <p className="muted">{words.officeOnly}</p>
            )}
            <ErrorMessage error={confirmError} />
          </div>
        </section>
      ) : null}
    </div>
  );
};

export default ImportPage;
