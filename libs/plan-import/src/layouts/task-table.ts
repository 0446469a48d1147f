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
const NUMBER_ROW = /^\d{1,3}$/;
/** "Nguyễn Thị Loan": two to five capitalised words and nothing else (an agency's name has lower-case words). */
const isPersonName = (line: string): boolean => /^\p{Lu}\p{Ll}*(?: \p{Lu}\p{Ll}*){1,4}$/u.test(line.trim()) && !/^(?:Sở|Ban|Bộ|Phòng|Cục|Chi|Trung|Văn|Công|Ủy|Uỷ|UBND|Đội|Tổ|Hội|Viện|Đài|Báo)\s/u.test(line.trim());

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
  while (i < cells.length && !ROMAN_ROW.test(cellText(cells[i])) && !NUMBER_ROW.test(cellText(cells[i]))) {
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
  // After an elision the rows left out carried numbers and group numerals: the next number starts a row
  // whatever its value, and a group numeral may skip ahead.
  let elidedNumber = false;
  let elidedRoman = false;
  const isRowStart = (text: string): boolean => {
    if (NUMBER_ROW.test(text)) return elidedNumber || Number(text) === lastNumber + 1 || (afterGroup && Number(text) === 1);
    const roman = romanToNumber(text);
    return ROMAN_ROW.test(text) && roman !== null && (roman === lastRoman + 1 || (elidedRoman && roman > lastRoman));
  };
  while (i < cells.length) {
    const start = cellText(cells[i]);
    const isGroup = ROMAN_ROW.test(start) && isRowStart(start) && !NUMBER_ROW.test(start);
    if (isGroup) {
      lastRoman = romanToNumber(start)!;
      elidedRoman = false;
    } else lastNumber = Number(start);
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
    const rowCells = cells.slice(i, j).map(cellText);
    if (isGroup) {
      group = { numeral: start, title: rowCells[1] ?? '' };
    } else {
      const values: Partial<Record<ColumnRole, string>> = {};
      columns.forEach((role, c) => {
        if (c < rowCells.length && role !== 'other' && role !== 'index') values[role] = rowCells[c];
      });
      // People one per line ("Đỗ Mạnh Cường" / "Vũ Việt Linh"): the first leads, the others help.
      const leadAt = columns.indexOf('lead');
      const people = leadAt !== -1 && leadAt < rowCells.length ? cells[i + leadAt].lines : [];
      if (people.length > 1 && people.every(isPersonName)) {
        values.lead = people[0];
        values.coordinators = [...people.slice(1), ...(values.coordinators ? [values.coordinators] : [])].join('; ');
      }
      rows.push({ number: start, group, values, missing: columns.slice(rowCells.length), at: offset + cells[i].at });
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
