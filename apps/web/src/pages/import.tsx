import { memo, useMemo, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError, messageOf, query } from '../api';
import { useSession } from '../session-context';
import { Kpis } from '../components/kpis';
import { ErrorMessage } from '../components/messages';
import { Table } from '../components/table';
import { fill, useCommon, useFormat, useWords } from '../i18n';

/** What POST /api/v1/imports?dryRun=true answers (ParsedPlan of @mandate/plan-import). */
type AgencyRef = { agencyId: string | null; name: string; text?: string; resolution?: 'resolved' | 'group' | 'unresolved' };
type Deadline = { text: string; kind: string; due?: string; start?: string; every?: string; form?: string };
type ParsedTask = {
  ref: string;
  group: string | null;
  title: string;
  lead: AgencyRef | null;
  coordinators?: AgencyRef[];
  deliverable?: string | null;
  supervisor?: { text: string; name: string | null } | null;
  note?: string | null;
  deadline?: Deadline;
  parent?: string | null;
  source?: { line: number };
};
type ParsedIndicator = {
  ref: string;
  group: string | null;
  name: string;
  unit: string | null;
  targets?: { horizon: number | null; text: string }[];
  lead: AgencyRef | null;
  source?: { line: number };
};
type Warning = { code: string; message: string; line?: number };
type ParsedPlan = {
  document?: {
    kind?: string;
    planKind?: string;
    number?: string;
    issuedOn?: string;
    issuer?: string | null;
    signer?: string | null;
    title?: string | null;
    implementsText?: string[];
    truncated?: boolean;
  };
  tasks?: ParsedTask[];
  indicators?: ParsedIndicator[];
  warnings?: Warning[];
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
};

const WORDS = {
  vi: {
    title: 'Nhập kế hoạch, chỉ thị',
    intro: 'Tải lên văn bản kế hoạch hoặc chỉ thị của thành phố, xem trước các nhiệm vụ đọc được rồi xác nhận để ban hành.',
    choose: 'Chọn văn bản',
    formats: 'Nhận tệp văn bản (.txt, UTF-8) và .docx (chuyển thành văn bản ngay trên trình duyệt). Tệp .pdf hoặc bản quét cần lưu thành .txt trước khi nhập. Tối đa 5 MB.',
    preview: 'Xem trước',
    previewing: 'Đang đọc văn bản…',
    confirm: 'Xác nhận nhập',
    confirming: 'Đang nhập…',
    officeOnly: 'Chỉ Văn phòng UBND được xác nhận nhập; bạn có thể xem trước văn bản.',
    noFile: 'Hãy chọn một văn bản trước.',
    pdf: 'Tệp PDF chưa đọc được trực tiếp: hãy mở văn bản, lưu thành tệp .txt (UTF-8) rồi chọn lại.',
    docxFailed: 'Không đọc được nội dung tệp .docx này',
    binary: 'Tệp không phải văn bản thuần: hãy lưu văn bản thành tệp .txt (UTF-8) rồi thử lại.',
    notUtf8: 'Tệp không ở bảng mã UTF-8: hãy lưu lại với bảng mã UTF-8 rồi thử lại.',
    tooLarge: 'Tệp lớn hơn 5 MB: hãy bỏ phụ lục quét, hình ảnh rồi thử lại.',
    empty: 'Tệp trống, không có gì để nhập.',
    unrecognised: 'Không nhận ra kế hoạch hoặc chỉ thị: không tìm thấy số văn bản (ví dụ "Số: 123/KH-UBND").',
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
    tasksCount: 'Nhiệm vụ',
    indicatorsCount: 'Chỉ tiêu',
    warningsCount: 'Cảnh báo',
    warningsHeading: 'Cảnh báo khi đọc văn bản',
    noWarnings: 'Không có cảnh báo.',
    line: 'Dòng',
    lineN: 'Dòng {n}',
    tasksHeading: 'Nhiệm vụ',
    noTasks: 'Không đọc được nhiệm vụ nào.',
    ref: 'Số TT',
    task: 'Nhiệm vụ',
    lead: 'Chủ trì',
    coordinators: 'Phối hợp',
    deadline: 'Thời hạn',
    supervisor: 'Lãnh đạo phụ trách',
    deliverable: 'Sản phẩm',
    unresolved: 'chưa có trong danh mục cơ quan',
    noLead: 'Chưa rõ cơ quan chủ trì',
    indicatorsHeading: 'Chỉ tiêu ({n})',
    indicator: 'Chỉ tiêu',
    unit: 'Đơn vị',
    target: 'Mục tiêu',
    done: 'Đã nhập kế hoạch {number}',
    created: 'ban hành mới',
    amended: 'đã cập nhật văn bản đã có',
    unchanged: 'không có thay đổi so với văn bản đã nhập',
    doneCounts: '{count} nhiệm vụ (thêm {added}, sửa {revised}, rút {withdrawn}), {indicators} chỉ tiêu.',
    open: 'Mở kế hoạch',
    another: 'Nhập văn bản khác',
  },
  en: {
    title: 'Import a plan or directive',
    intro: "Upload the city's plan or directive, preview the tasks read from it, then confirm to issue it.",
    choose: 'Choose a document',
    formats: 'Plain text (.txt, UTF-8) and .docx (turned into text in the browser). Save a .pdf or a scan as .txt before importing. Up to 5 MB.',
    preview: 'Preview',
    previewing: 'Reading the document…',
    confirm: 'Confirm import',
    confirming: 'Importing…',
    officeOnly: "Only the City People's Committee office confirms an import; you can preview the document.",
    noFile: 'Choose a document first.',
    pdf: 'PDF files are not read directly: open the document, save it as .txt (UTF-8) and choose it again.',
    docxFailed: 'The .docx file could not be read',
    binary: 'The file is not plain text: save the document as .txt (UTF-8) and try again.',
    notUtf8: 'The file is not UTF-8: save it again as UTF-8 and try again.',
    tooLarge: 'The file is over 5 MB: leave out scanned appendices and images and try again.',
    empty: 'The file is empty: there is nothing to import.',
    unrecognised: 'This does not look like a plan or directive: no document number ("Số: 123/KH-UBND") was found.',
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
    tasksCount: 'Tasks',
    indicatorsCount: 'Indicators',
    warningsCount: 'Warnings',
    warningsHeading: 'Warnings while reading',
    noWarnings: 'No warnings.',
    line: 'Line',
    lineN: 'Line {n}',
    tasksHeading: 'Tasks',
    noTasks: 'No task was read.',
    ref: 'No.',
    task: 'Task',
    lead: 'Lead',
    coordinators: 'Coordinating',
    deadline: 'Deadline',
    supervisor: 'Supervising leader',
    deliverable: 'Deliverable',
    unresolved: 'not in the agency directory',
    noLead: 'Lead agency unknown',
    indicatorsHeading: 'Indicators ({n})',
    indicator: 'Indicator',
    unit: 'Unit',
    target: 'Target',
    done: 'Imported plan {number}',
    created: 'newly issued',
    amended: 'the existing document was updated',
    unchanged: 'no change from the document already imported',
    doneCounts: '{count} tasks ({added} added, {revised} revised, {withdrawn} withdrawn), {indicators} indicators.',
    open: 'Open the plan',
    another: 'Import another document',
  },
};


// ---------------------------------------------------------------------------------------------------
// .docx → text, in the browser: the importer reads UTF-8 text (and Markdown tables), so a Word file is
// unzipped (DecompressionStream) and its paragraphs become lines, its tables Markdown rows.

const u16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

const inflateRaw = async (data: Uint8Array): Promise<Uint8Array> => {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw' as CompressionFormat));
  return new Uint8Array(await new Response(stream).arrayBuffer());
};

/** One file of a ZIP archive (central directory → local header → data), or null. */
const unzipEntry = async (zip: Uint8Array, wanted: string): Promise<Uint8Array | null> => {
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (u32(zip, i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = u16(zip, end + 10);
  let at = u32(zip, end + 16);
  const names = new TextDecoder();
  for (let n = 0; n < count && at + 46 <= zip.length; n++) {
    if (u32(zip, at) !== 0x02014b50) return null;
    const method = u16(zip, at + 10);
    const size = u32(zip, at + 20);
    const nameLength = u16(zip, at + 28);
    const skip = nameLength + u16(zip, at + 30) + u16(zip, at + 32);
    const local = u32(zip, at + 42);
    const name = names.decode(zip.subarray(at + 46, at + 46 + nameLength));
    if (name === wanted) {
      if (u32(zip, local) !== 0x04034b50) return null;
      const start = local + 30 + u16(zip, local + 26) + u16(zip, local + 28);
      const data = zip.subarray(start, start + size);
      if (method === 0) return data;
      if (method === 8) return inflateRaw(data);
      return null;
    }
    at += 46 + skip;
  }
  return null;
};

const unescapeXml = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, code: string) => {
    const lower = code.toLowerCase();
    if (lower === 'amp') return '&';
    if (lower === 'lt') return '<';
    if (lower === 'gt') return '>';
    if (lower === 'quot') return '"';
    if (lower === 'apos') return "'";
    return String.fromCodePoint(lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10));
  });

/** word/document.xml as text: a line per paragraph, a Markdown row per table row. */
const wordXmlToText = (xml: string): string => {
  const out: string[] = [];
  type Table = { rows: string[][]; row: string[] | null; cell: string[] | null; span: number };
  const tables: Table[] = [];
  let paragraph: string[] | null = null;
  let inText = false;
  const tag = /<(\/?)(w:(?:tbl|tr|tc|p|t|tab|br|cr|gridSpan))\b([^>]*?)(\/?)>|<[^>]*>|([^<]+)/g;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    const [, closing, name, attrs, selfClosing, text] = m;
    const table = tables.at(-1);
    if (text !== undefined) {
      if (inText && paragraph) paragraph.push(unescapeXml(text));
      continue;
    }
    if (!name) continue;
    if (name === 'w:t') {
      inText = !closing && !selfClosing;
    } else if (name === 'w:tab') {
      paragraph?.push('\t');
    } else if (name === 'w:br' || name === 'w:cr') {
      paragraph?.push('\n');
    } else if (name === 'w:p') {
      if (!closing) {
        if (!selfClosing) paragraph = [];
        else if (!table?.cell) out.push('');
      } else if (paragraph) {
        const line = paragraph.join('');
        if (table?.cell) table.cell.push(line);
        else out.push(...line.split('\n'));
        paragraph = null;
      }
    } else if (name === 'w:tbl') {
      if (!closing) tables.push({ rows: [], row: null, cell: null, span: 1 });
      else {
        const done = tables.pop();
        if (!done) continue;
        const outer = tables.at(-1);
        const lines = done.rows.map((cells) => `| ${cells.join(' | ')} |`);
        if (lines.length > 0) {
          const width = Math.max(...done.rows.map((r) => r.length));
          lines.splice(1, 0, `|${' --- |'.repeat(width)}`);
        }
        // A table inside a cell: its rows join the cell's text.
        if (outer?.cell) outer.cell.push(...done.rows.map((r) => r.join(' ')));
        else out.push('', ...lines, '');
      }
    } else if (name === 'w:tr' && table) {
      if (!closing) table.row = [];
      else if (table.row) {
        table.rows.push(table.row);
        table.row = null;
      }
    } else if (name === 'w:tc' && table) {
      if (!closing) {
        table.cell = [];
        table.span = 1;
      } else if (table.cell && table.row) {
        const text = table.cell
          .map((line) => line.replace(/\s+/g, ' ').trim())
          .filter(Boolean)
          .join('<br>')
          .replace(/\|/g, '\\|');
        table.row.push(text);
        for (let i = 1; i < table.span; i++) table.row.push('');
        table.cell = null;
      }
    } else if (name === 'w:gridSpan' && table?.cell) {
      const span = /w:val="(\d+)"/.exec(attrs)?.[1];
      table.span = span ? Math.max(1, Math.min(50, Number(span))) : 1;
    }
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
};

const docxToText = async (file: File): Promise<string> => {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const xml = await unzipEntry(bytes, 'word/document.xml');
  if (!xml) throw new Error('word/document.xml');
  return wordXmlToText(new TextDecoder().decode(xml));
};

// ---------------------------------------------------------------------------------------------------

/** The importer's problem types (…/problems/<code>) as the office reads them. */
const problemText = (failure: unknown, words: Record<keyof (typeof WORDS)['vi'], string>): string => {
  if (!(failure instanceof ApiError)) return messageOf(failure);
  const code = failure.type.split('/').pop() ?? '';
  const known: Record<string, string> = {
    'plan-import.binary': words.binary,
    'plan-import.not-utf8': words.notUtf8,
    'plan-import.too-large': words.tooLarge,
    'plan-import.empty': words.empty,
    'plan-import.unrecognised': words.unrecognised,
  };
  const said = known[code] ?? (failure.status === 413 ? words.tooLarge : undefined);
  return said ? `${said} (${words.serverSays}: ${failure.message})` : failure.message;
};

/** Which task or indicator each warning belongs to: the item starting on its line, or the last one before it. */
const placeWarnings = (tasks: ParsedTask[], indicators: ParsedIndicator[], warnings: Warning[]) => {
  const items = [...tasks.map((t) => ({ key: `t:${t.ref}`, line: t.source?.line ?? 0 })), ...indicators.map((i) => ({ key: `i:${i.ref}`, line: i.source?.line ?? 0 }))]
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

type Words = Record<keyof (typeof WORDS)['vi'], string>;

const agencyText = (ref: AgencyRef | null | undefined, words: Words) => {
  if (!ref) return null;
  const unresolved = ref.resolution === 'unresolved' || (ref.agencyId === null && ref.resolution !== 'group');
  return (
    <span className={unresolved ? 'due_soon' : undefined}>
      {ref.name}
      {unresolved ? ` (${words.unresolved})` : ''}
    </span>
  );
};

const WarningNotes = ({ warnings, words }: { warnings: Warning[] | undefined; words: Words }) =>
  warnings && warnings.length > 0 ? (
    <ul className="import-row-warnings">
      {warnings.map((w, i) => (
        <li key={i} className="error">
          {w.line ? `${fill(words.lineN, { n: w.line })}: ` : ''}
          {w.message}
        </li>
      ))}
    </ul>
  ) : null;

/** The parsed tasks: a row per task, the group as a title row, each warning under its task. */
const TaskTable = memo(({ tasks, warnings, words }: { tasks: ParsedTask[]; warnings: Map<string, Warning[]>; words: Words }) => {
  const format = useFormat();
  const rows: ReactElement[] = [];
  let group: string | null | undefined;
  tasks.forEach((task, index) => {
    if (task.group !== group) {
      group = task.group;
      if (group) {
        rows.push(
          <tr key={`g${index}`} className="group-title">
            <td colSpan={7}>{group}</td>
          </tr>,
        );
      }
    }
    const own = warnings.get(`t:${task.ref}`);
    const deadline = task.deadline;
    rows.push(
      <tr key={`t${index}`} className={own ? 'import-warned' : undefined}>
        <td>{task.source?.line ?? ''}</td>
        <td>{task.ref}</td>
        <td>
          {task.title}
          {task.deliverable ? (
            <div className="muted">
              {words.deliverable}: {task.deliverable}
            </div>
          ) : null}
          <WarningNotes warnings={own} words={words} />
        </td>
        <td>{agencyText(task.lead, words) ?? <span className="due_soon">{words.noLead}</span>}</td>
        <td>
          {(task.coordinators ?? []).map((c, i) => (
            <span key={i}>
              {i > 0 ? '; ' : ''}
              {agencyText(c, words)}
            </span>
          ))}
        </td>
        <td className={deadline?.due ? undefined : 'no_deadline'}>
          {deadline?.text ?? ''}
          {deadline?.due ? <div className="muted">{format.date(deadline.due)}</div> : null}
        </td>
        <td>{task.supervisor?.name ?? task.supervisor?.text ?? ''}</td>
      </tr>,
    );
  });
  return (
    <Table head={[words.line, words.ref, words.task, words.lead, words.coordinators, words.deadline, words.supervisor]} caption={words.tasksHeading} className="import-tasks">
      <tbody>{rows}</tbody>
    </Table>
  );
});

const IndicatorTable = memo(({ indicators, warnings, words }: { indicators: ParsedIndicator[]; warnings: Map<string, Warning[]>; words: Words }) => (
  <Table head={[words.line, words.ref, words.indicator, words.unit, words.target, words.lead]} caption={fill(words.indicatorsHeading, { n: indicators.length })}>
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

const ImportPage = () => {
  const words = useWords(WORDS);
  const common = useCommon();
  const format = useFormat();
  const { session } = useSession();
  const { cityId, role } = session.actor;
  const canConfirm = role === 'office';
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ParsedPlan | null>(null);
  const [imported, setImported] = useState<Imported | null>(null);
  const [busy, setBusy] = useState<'preview' | 'confirm' | null>(null);
  const [error, setError] = useState<string | null>(null);

  /** The upload as the API takes it: the `file` part of a multipart form, as UTF-8 text. */
  const formOf = async (chosen: File): Promise<FormData> => {
    const name = chosen.name.toLowerCase();
    if (name.endsWith('.pdf') || chosen.type === 'application/pdf') throw new Error(words.pdf);
    let upload: Blob = chosen;
    if (name.endsWith('.docx')) {
      try {
        upload = new Blob([await docxToText(chosen)], { type: 'text/plain;charset=utf-8' });
      } catch (failure) {
        throw new Error(`${words.docxFailed} (${messageOf(failure)}). ${words.binary}`);
      }
    }
    const form = new FormData();
    form.append('file', upload, chosen.name);
    return form;
  };

  const send = async (dryRun: boolean) => {
    if (!file) {
      setError(words.noFile);
      return;
    }
    setBusy(dryRun ? 'preview' : 'confirm');
    setError(null);
    try {
      const form = await formOf(file);
      const path = `/api/v1/imports${query({ city: cityId, dryRun: dryRun ? 'true' : undefined, document: file.name.slice(0, 255) })}`;
      if (dryRun) {
        setImported(null);
        setPreview(await api<ParsedPlan>(path, { method: 'POST', raw: form }));
      } else {
        setImported(await api<Imported>(path, { method: 'POST', raw: form }));
      }
    } catch (failure) {
      setError(problemText(failure, words));
    } finally {
      setBusy(null);
    }
  };

  const onPreview = (event: FormEvent) => {
    event.preventDefault();
    void send(true);
  };

  const reset = () => {
    setFile(null);
    setPreview(null);
    setImported(null);
    setError(null);
    if (input.current) {
      input.current.value = '';
      input.current.focus();
    }
  };

  const tasks = useMemo(() => preview?.tasks ?? [], [preview]);
  const indicators = useMemo(() => preview?.indicators ?? [], [preview]);
  const warnings = useMemo(() => preview?.warnings ?? [], [preview]);
  const placed = useMemo(() => placeWarnings(tasks, indicators, warnings), [tasks, indicators, warnings]);
  const doc = preview?.document;

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
            accept=".txt,.md,.docx,.pdf,text/plain,text/markdown,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/pdf"
            aria-describedby="import-formats"
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setPreview(null);
              setImported(null);
              setError(null);
            }}
          />
        </label>
        <p id="import-formats" className="muted">
          {words.formats}
        </p>
        {!canConfirm ? <p className="muted">{words.officeOnly}</p> : null}
        <div className="row">
          <button type="submit" className="secondary" disabled={busy !== null || !file}>
            {busy === 'preview' ? words.previewing : words.preview}
          </button>
          {canConfirm ? (
            <button type="button" className="primary" disabled={busy !== null || !preview || imported !== null} onClick={() => void send(false)}>
              {busy === 'confirm' ? words.confirming : words.confirm}
            </button>
          ) : null}
        </div>
        <ErrorMessage error={error} />
        {imported ? (
          <div className="ok" role="status">
            <p>
              <strong>{fill(words.done, { number: imported.number ?? common.noNumber })}</strong> ({words[imported.outcome] ?? imported.outcome}).{' '}
              {imported.tasks
                ? fill(words.doneCounts, {
                    count: format.number(imported.tasks.count),
                    added: format.number(imported.tasks.added),
                    revised: format.number(imported.tasks.revised),
                    withdrawn: format.number(imported.tasks.withdrawn),
                    indicators: format.number(imported.indicators ?? 0),
                  })
                : null}
            </p>
            <p className="row">
              <Link to={`/plans/${imported.planId}`}>{words.open}</Link>
              <button type="button" className="secondary" onClick={reset}>
                {words.another}
              </button>
            </p>
          </div>
        ) : null}
      </form>

      {preview ? (
        <section aria-labelledby="import-document" className="stack">
          <div className="card">
            <h2 id="import-document">{words.documentHeading}</h2>
            <dl className="import-meta">
              <dt>{words.number}</dt>
              <dd data-testid="import-number">{doc?.number ?? ''}</dd>
              <dt>{words.docTitle}</dt>
              <dd data-testid="import-title">{doc?.title ?? ''}</dd>
              <dt>{words.kind}</dt>
              <dd>{doc?.planKind === 'directive' ? words.directive : doc?.planKind === 'plan' ? words.plan : (doc?.kind ?? '')}</dd>
              <dt>{words.issuedOn}</dt>
              <dd>{format.date(doc?.issuedOn)}</dd>
              <dt>{words.issuer}</dt>
              <dd>{doc?.issuer ?? ''}</dd>
              <dt>{words.signer}</dt>
              <dd>{doc?.signer ?? ''}</dd>
              {doc?.implementsText && doc.implementsText.length > 0 ? (
                <>
                  <dt>{words.implementsText}</dt>
                  <dd>{doc.implementsText.join('; ')}</dd>
                </>
              ) : null}
            </dl>
            {doc?.truncated ? <p className="error">{words.truncated}</p> : null}
            <Kpis
              items={[
                { key: 'tasks', name: words.tasksCount, value: format.number(tasks.length) },
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
                    {w.line ? <strong>{fill(words.lineN, { n: w.line })}: </strong> : null}
                    {w.message}
                  </li>
                ))}
              </ul>
            )}
          </div>

          <div className="card">
            <h2>{words.tasksHeading}</h2>
            {tasks.length === 0 ? <p className="muted">{words.noTasks}</p> : <TaskTable tasks={tasks} warnings={placed} words={words} />}
          </div>

          {indicators.length > 0 ? (
            <details className="card">
              <summary>
                <h2 className="import-inline">{fill(words.indicatorsHeading, { n: format.number(indicators.length) })}</h2>
              </summary>
              <IndicatorTable indicators={indicators} warnings={placed} words={words} />
            </details>
          ) : null}
        </section>
      ) : null}
    </div>
  );
};

export default ImportPage;
