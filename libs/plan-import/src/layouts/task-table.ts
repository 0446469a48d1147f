import { fold, romanToNumber } from '../text';
import { cellText, detectCellStyle, toCells } from './table-cells';

/** What a column of a task table holds, recognised from its header. */
export type ColumnRole = 'index' | 'title' | 'deadline' | 'supervisor' | 'lead' | 'coordinators' | 'deliverable' | 'note' | 'other';

const roleOf = (header: string): ColumnRole => {
  const h = fold(header);
  if (/^s?tt$/.test(h.trim())) return 'index';
  if (/lanh dao|phu trach/.test(h)) return 'supervisor';
  if (/phoi hop/.test(h)) return 'coordinators';
  // "Người thực hiện", "Cán bộ được giao": a department's own plan assigns its work to people.
  if (/chu tri|(don vi|co quan|nguoi|can bo) (thuc hien|duoc giao|chiu trach nhiem)/.test(h)) return 'lead';
  if (/san pham|ket qua/.test(h)) return 'deliverable';
  if (/ghi chu/.test(h)) return 'note';
  if (/thoi han|thoi gian|tien do/.test(h)) return 'deadline';
  if (/nhiem vu|noi dung|ten (de an|du an|cong viec)/.test(h)) return 'title';
  return 'other';
};

/** A row as the table prints it; `cells` are keyed by role, missing trailing cells are absent. */
export type TableRow = {
  readonly number: string;
  readonly group: { readonly numeral: string; readonly title: string } | null;
  readonly values: Partial<Record<ColumnRole, string>>;
  /** Columns the row does not print (merged with the row above, or cut off). */
  readonly missing: readonly ColumnRole[];
  /** 0-based index in the document's lines where the row starts. */
  readonly at: number;
};

export type TaskTable = {
  readonly appendix: string;
  readonly heading: string;
  readonly columns: readonly ColumnRole[];
  readonly rows: readonly TableRow[];
  /** 0-based lines of the cells ("…") where the source left rows of the table out. */
  readonly elisions: readonly number[];
};

const ROMAN_ROW = /^[IVXL]+$/;
const LETTER_ROW = /^[A-ZĐ]\.$/u;
const NUMBER_ROW = /^\d{1,3}$/;
/** "Nguyễn Thị Loan": two to five capitalised words and nothing else (an agency's name has lower-case words). */
const isPersonName = (line: string): boolean =>
  /^\p{Lu}\p{Ll}*(?: \p{Lu}\p{Ll}*){1,4}$/u.test(line.trim()) &&
  !/^(?:Sở|Ban|Bộ|Phòng|Cục|Chi|Trung|Văn|Công|Ủy|Uỷ|UBND|Đội|Tổ|Hội|Viện|Đài|Báo)\s/u.test(line.trim());

/** A cell of dots alone ("…", "….........."): the source left rows out there (an excerpt of the table). */
const isElision = (text: string): boolean => /^[.…]+$/u.test(text) && (text.includes('…') || text.length >= 3);

/**
 * Reads one appendix region (from its "PHỤ LỤC n" line to the next) as a task table.
 * Returns null when the region is not a task table (e.g. an indicator table: no task column).
 */
export const readTaskTable = (appendix: string, lines: readonly string[], offset = 0): TaskTable | null => {
  const style = detectCellStyle(lines);
  if (!style) return null;
  const cells = toCells(lines, style);
  // The heading lines run into the first cell; its last line is the first header ("TT").
  const first = cells.findIndex((cell) => cell.lines.length > 0 && /^s?tt\.?$/i.test(cell.lines[cell.lines.length - 1]));
  if (first === -1) return null;
  const heading = cellText(cells[first].lines.slice(1, -1)).replace(/\s*\((?:Ban hành )?[Kk]èm theo.*$/u, '');
  const headers: string[] = ['TT'];
  let i = first + 1;
  while (i < cells.length && !ROMAN_ROW.test(cellText(cells[i])) && !NUMBER_ROW.test(cellText(cells[i])) && !LETTER_ROW.test(cellText(cells[i]))) {
    headers.push(cellText(cells[i]));
    i++;
  }
  const columns = headers.map(roleOf);
  if (!columns.includes('title') || !(columns.includes('lead') || columns.includes('deadline'))) return null;

  const rows: TableRow[] = [];
  const elisions: number[] = [];
  let group: TableRow['group'] = null;
  let lastNumber = 0;
  let lastRoman = 0;
  let afterGroup = false;
  // Groups by letter ("A.", "B.", … one agency each) when the first row is one.
  const lettered = i < cells.length && LETTER_ROW.test(cellText(cells[i]));
  // After an elision the rows left out carried numbers and group numerals: the next number starts a row
  // whatever its value, and a group numeral may skip ahead.
  let elidedNumber = false;
  let elidedRoman = false;
  const isGroupStart = (text: string): boolean => {
    if (lettered && LETTER_ROW.test(text)) return true;
    const roman = romanToNumber(text);
    return ROMAN_ROW.test(text) && roman !== null && (roman === lastRoman + 1 || (elidedRoman && roman > lastRoman));
  };
  const isRowStart = (text: string): boolean => {
    if (NUMBER_ROW.test(text)) return elidedNumber || Number(text) === lastNumber + 1 || (afterGroup && Number(text) === 1);
    return isGroupStart(text);
  };
  // The columns a row's cells fill, without the empty ones a capture prints after the last (row separators).
  let bodyEnd = columns.length;
  while (bodyEnd > 0 && columns[bodyEnd - 1] === 'other' && headers[bodyEnd - 1] === '') bodyEnd--;
  const valuesOf = (texts: readonly string[], from: number, base: Partial<Record<ColumnRole, string>>) => {
    const values: Partial<Record<ColumnRole, string>> = { ...base };
    texts.forEach((text, k) => {
      const role = columns[from + k];
      if (role !== undefined && role !== 'other' && role !== 'index') values[role] = text;
    });
    return values;
  };
  /** The row whose cells are cells[at, at + count): its own values, then the rows merged under it. */
  const addRow = (number: string, at: number, count: number): void => {
    const rowCells = cells.slice(at, at + count).map(cellText);
    const values = valuesOf(rowCells.slice(0, columns.length), 0, {});
    // People one per line ("Đỗ Mạnh Cường" / "Vũ Việt Linh"): the first leads, the others help.
    const leadAt = columns.indexOf('lead');
    const people = leadAt !== -1 && leadAt < rowCells.length ? cells[at + leadAt].lines : [];
    if (people.length > 1 && people.every(isPersonName)) {
      values.lead = people[0];
      values.coordinators = [...people.slice(1), ...(values.coordinators ? [values.coordinators] : [])].join('; ');
    }
    rows.push({ number, group, values, missing: columns.slice(rowCells.length), at: offset + cells[at].at });
    // Cells past the header's columns: rows whose left cells were merged down from this one (the lead,
    // the coordinators), printing only their right cells ("- task" | "product" | "deadline"), one after
    // another, each closed by an empty cell. Each is a task of its own, under the same lead.
    let from = columns.length;
    let part = 1;
    while (from < rowCells.length) {
      let to = from;
      while (to < rowCells.length && rowCells[to] !== '') to++;
      const width = to - from;
      const start = bodyEnd - width;
      // The part must print the task itself (the last title column): a lone product or deadline is not a row.
      if (width >= 2 && start > 0 && start <= columns.lastIndexOf('title')) {
        const inherited = Object.fromEntries(Object.entries(values).filter(([role]) => columns.indexOf(role as ColumnRole) < start));
        const merged = valuesOf(rowCells.slice(from, to), start, inherited);
        if (merged.title) rows.push({ number: `${number}.${++part}`, group, values: merged, missing: [], at: offset + cells[at + from].at });
      }
      from = to + 1;
    }
  };
  while (i < cells.length) {
    const start = cellText(cells[i]);
    const isGroup = !NUMBER_ROW.test(start) && isGroupStart(start);
    if (isGroup && ROMAN_ROW.test(start)) {
      lastRoman = romanToNumber(start)!;
      elidedRoman = false;
    } else if (!isGroup) lastNumber = Number(start);
    elidedNumber = false;
    afterGroup = isGroup;
    let j = i + 1;
    let elided = false;
    while (j < cells.length && !isRowStart(cellText(cells[j]))) {
      if (isElision(cellText(cells[j]))) {
        elided = true;
        break;
      }
      j++;
    }
    if (isGroup) {
      group = { numeral: start.replace(/\.$/u, ''), title: cellText(cells[i + 1] ?? { lines: [], at: 0 }) };
      // "D." | "BỘ TÀI CHÍNH" then one row with no number of its own (its first cell empty).
      if (lettered && j - i > 4 && cellText(cells[i + 2]) === '' && cellText(cells[i + 3]) === '' && cellText(cells[i + 4]) !== '')
        addRow('1', i + 3, j - i - 3);
    } else {
      addRow(start, i, j - i);
    }
    i = j;
    if (elided) {
      elisions.push(offset + cells[j].at);
      // The rows after it belong to a group whose heading may be among those left out.
      group = null;
      elidedNumber = true;
      elidedRoman = true;
      i = j + 1;
      while (i < cells.length && !isRowStart(cellText(cells[i]))) i++;
    }
  }
  return { appendix, heading, columns, rows, elisions };
};

/** Splits a document into its appendix regions ("PHỤ LỤC 1" … up to the next one). */
export const appendixRegions = (lines: readonly string[]): { appendix: string; lines: readonly string[]; start: number }[] => {
  const starts = lines
    .map((line, index) => ({ index, match: /^PH[ỤU] L[ỤU]C(?:\s+(\d+|[IVX]+))?\s*$/u.exec(line.trim()) }))
    .filter((entry) => entry.match !== null);
  return starts.map((entry, k) => ({
    // An unnumbered "PHỤ LỤC" is numbered by its position, so refs stay "PL<n>.…".
    appendix: entry.match![1] ?? String(k + 1),
    lines: lines.slice(entry.index, k + 1 < starts.length ? starts[k + 1].index : lines.length),
    start: entry.index,
  }));
};
