import type { AgencyRef } from '@mandate/plans-domain';
import { resolveAgency, splitAgencyList } from '../agency-resolver';
import type { IndicatorTarget, ParsedIndicator } from '../parsed-plan';
import { collapse, fold } from '../text';
import { parseVietnameseNumber, readTarget } from '@mandate/kernel';
import type { ReadContext } from './outline-tasks';
import { cellText, detectCellStyle, toCells, type Cell } from './table-cells';

type IndicatorColumn = { role: 'index' | 'name' | 'unit' | 'lead' | 'other' } | { role: 'target'; horizon: number | null };

const columnOf = (header: string): IndicatorColumn => {
  const h = fold(header);
  if (/^s?tt$/.test(h.trim())) return { role: 'index' };
  if (/don vi tinh|^dvt$/.test(h)) return { role: 'unit' };
  if (/chu tri|phu trach|theo doi/.test(h)) return { role: 'lead' };
  const year = /\b(20\d\d|19\d\d)\b/.exec(h);
  if (year || /muc tieu|ke hoach|chi tieu (phan dau|nam)/.test(h)) return { role: 'target', horizon: year ? Number(year[1]) : null };
  if (/ten chi tieu|chi tieu|noi dung/.test(h)) return { role: 'name' };
  return { role: 'other' };
};

const AGENCY_START = /^(sở|ban|văn phòng|ubnd|ủy ban|công an|bộ|cục|bộ chỉ huy|đài|trường|viện|thanh tra)\b/iu;

/** A cell that names an indicator (not a number, not a unit, not an agency). */
const isName = (text: string): boolean => /\p{L}{3}/u.test(text) && !AGENCY_START.test(text) && Object.keys(readTarget(text)).length === 0 && text.length > 4;

const GROUP = /^[A-Z]$/;
const NUMBER = /^\d{1,3}$/;

/** The indicator table of an appendix ("Tên chỉ tiêu | Đơn vị tính | Chỉ tiêu đến năm 2025 | Đơn vị chủ trì"). */
const readIndicatorTable = (appendix: string, lines: readonly string[], offset: number, context: ReadContext): ParsedIndicator[] => {
  const style = detectCellStyle(lines);
  if (!style) return [];
  const cells = toCells(lines, style);
  const first = cells.findIndex((cell) => cell.lines.length > 0 && /^s?tt$/i.test(cell.lines[cell.lines.length - 1]));
  if (first === -1) return [];
  const columns: IndicatorColumn[] = [{ role: 'index' }];
  let i = first + 1;
  while (i < cells.length && !GROUP.test(cellText(cells[i])) && !NUMBER.test(cellText(cells[i])) && columns.length < 12) {
    columns.push(columnOf(cellText(cells[i])));
    i++;
  }
  const roles = columns.map((c) => c.role);
  if (!roles.includes('name') || !roles.includes('target')) return [];
  const width = columns.length - 1;

  const found: ParsedIndicator[] = [];
  let group: string | null = null;
  let lastNumber = 0;
  let lastGroup = 64; // char code before "A"
  let lead: AgencyRef | null = null;

  const isRowStart = (text: string): boolean =>
    (NUMBER.test(text) && Number(text) === lastNumber + 1) || (GROUP.test(text) && text.charCodeAt(0) === lastGroup + 1);

  /** Turns the value cells of one row (name first) into an indicator; absent trailing cells are merged from above. */
  const emit = (
    ref: string,
    values: readonly Cell[],
    parent: string | null,
    inheritedLead: AgencyRef | null,
    startAt: number,
    hasChildren: boolean,
  ): ParsedIndicator | null => {
    ref = `PL${appendix}.${ref}`;
    parent = parent && `PL${appendix}.${parent}`;
    const text = values.map(cellText);
    if (!text[0] || /^trong do:?$/.test(fold(text[0]))) return null;
    const targets: IndicatorTarget[] = [];
    let unit: string | null = null;
    let rowLead: AgencyRef | null = null;
    columns.slice(1).forEach((column, c) => {
      const value = text[c];
      if (value === undefined) return;
      if (column.role === 'unit') unit = value || null;
      if (column.role === 'target' && value) targets.push({ horizon: column.horizon, text: value, ...readTarget(value) });
      if (column.role === 'lead' && value) rowLead = resolveLead(value, context);
    });
    const at = startAt + offset;
    if (targets.length === 0 && !hasChildren)
      context.warn('indicator-unreadable', `Indicator ${ref} ("${text[0].slice(0, 60)}") has no target in its row.`, at);
    const leadOfRow: AgencyRef | null = rowLead ?? inheritedLead;
    if (leadOfRow?.resolution === 'unresolved') {
      context.warn('agency-unresolved', `Indicator ${ref}: "${leadOfRow.text}" is not in the city's agency directory; add it or an alias, then re-import.`, at);
    }
    return {
      ref,
      group,
      name: text[0].replace(/^(?:trong đó\s*:?\s*)?[-–+]?\s*/iu, ''),
      unit,
      targets,
      lead: leadOfRow,
      parent,
      source: { line: at + 1 },
    };
  };

  while (i < cells.length) {
    const start = cellText(cells[i]);
    const isGroup = GROUP.test(start) && start.charCodeAt(0) === lastGroup + 1;
    if (isGroup) lastGroup = start.charCodeAt(0);
    else lastNumber = Number(start);
    let j = i + 1;
    while (j < cells.length && !isRowStart(cellText(cells[j]))) j++;
    const block = cells.slice(i + 1, j);
    if (isGroup) {
      group = `${start}. ${cellText(block[0] ?? { lines: [], at: 0 })}`;
    } else {
      // The row itself, then sub-rows: an empty index cell followed by a name.
      let k = 0;
      const main: Cell[] = [];
      while (
        k < block.length &&
        main.length < width &&
        !(main.length > 0 && cellText(block[k]) === '' && isName(cellText(block[k + 1] ?? { lines: [], at: 0 })))
      ) {
        main.push(block[k++]);
      }
      const row = emit(start, main, null, lead, cells[i].at, k < block.length);
      if (row) {
        found.push(row);
        lead = row.lead;
      }
      let sub = 0;
      while (k < block.length) {
        k++; // the empty index cell
        const values: Cell[] = [];
        while (
          k < block.length &&
          values.length < width &&
          !(values.length > 0 && cellText(block[k]) === '' && isName(cellText(block[k + 1] ?? { lines: [], at: 0 })))
        ) {
          values.push(block[k++]);
        }
        if (values.length === 0) continue;
        const child = emit(`${start}.${sub + 1}`, values, start, row?.lead ?? lead, values[0].at, false);
        if (child) {
          sub++;
          found.push(child);
        }
      }
    }
    i = j;
  }
  return found;
};

const resolveLead = (text: string, context: ReadContext): AgencyRef => {
  const single = resolveAgency(text, context.directory);
  if (single.resolution !== 'unresolved') return single;
  const listed = splitAgencyList(text, context.directory);
  return listed[0] ?? single;
};

const NUMBERED = /^\((\d{1,2})\)\s*(\S.*)$/u;

// The two readers below walk their matches by hand, linear in the line: the single expressions they replace,
// /^(\d+)\.\s*(.*\bchỉ tiêu\b.*?\bnăm (\d{4}).*)$/ and /(\d[\d.,]*)\s*(%|…)/g, backtracked over every
// "chỉ tiêu" of a line, or every digit of a long number, for each start (quadratic; issue 17).
const NUMBERED_HEADING = /^(\d+)\.\s*(.*)$/iu;
const INDICATOR_WORD = /\bchỉ tiêu\b/giu;
const HORIZON_YEAR = /\bnăm (\d{4})/giu;

/** "2. Các chỉ tiêu chủ yếu đến năm 2025": the heading's number, its text and the year after its last "chỉ tiêu". */
const horizonHeading = (line: string): { number: string; text: string; year: string } | null => {
  const heading = NUMBERED_HEADING.exec(line);
  if (!heading) return null;
  const text = heading[2];
  const years = [...text.matchAll(HORIZON_YEAR)];
  const lastYear = years.at(-1)?.index;
  if (lastYear === undefined) return null;
  let wordEnd = -1;
  for (const word of text.matchAll(INDICATOR_WORD)) {
    if (word.index + word[0].length > lastYear) break;
    wordEnd = word.index + word[0].length;
  }
  const year = wordEnd === -1 ? undefined : years.find((found) => found.index >= wordEnd);
  return year ? { number: heading[1], text, year: year[1] } : null;
};

const QUANTITY_NUMBER = /\d[\d.,]*/gu;
const QUANTITY_UNIT = /\s*(%|USD|triệu tấn|tấn|ha|km|MW|tỷ đồng|nghìn tỷ đồng|triệu đồng|lượt|người)(?=[\s,.;]|$)/uy;

/** "đạt 95%", "1.200 tỷ đồng": each number written with a unit right after it. */
const quantitiesOf = (text: string): { number: string; unit: string }[] => {
  const found: { number: string; unit: string }[] = [];
  for (const number of text.matchAll(QUANTITY_NUMBER)) {
    QUANTITY_UNIT.lastIndex = number.index + number[0].length;
    const unit = QUANTITY_UNIT.exec(text);
    if (unit) found.push({ number: number[0], unit: unit[1] });
  }
  return found;
};

/** Numbered indicators in prose, "(1) …", under headings that name a horizon ("… đến năm 2025"). */
const readProseIndicators = (lines: readonly string[], from: number, context: ReadContext): ParsedIndicator[] => {
  const found: ParsedIndicator[] = [];
  const seen = new Set<string>();
  let heading: { number: string; title: string; horizon: number } | null = null;
  for (let i = from; i < lines.length; i++) {
    const line = collapse(lines[i]);
    const head = horizonHeading(line);
    if (head) {
      heading = { number: head.number, title: `${head.number}. ${head.text}`, horizon: Number(head.year) };
      continue;
    }
    if (/^(?:[IVX]+|\d+)\.\s/.test(line)) heading = null;
    const item = heading && NUMBERED.exec(line);
    if (!heading || !item) continue;
    const key = `${heading.horizon}|${item[1]}|${item[2]}`;
    if (seen.has(key)) {
      context.warn('duplicate-page', `Indicator (${item[1]}) for ${heading.horizon} is printed twice (a repeated page?); it is read once.`, i);
      continue;
    }
    seen.add(key);
    const quantities = quantitiesOf(item[2]);
    const one = quantities.length === 1 ? quantities[0] : null;
    const value = one ? parseVietnameseNumber(one.number.replace(/[.,]$/, '')) : null;
    found.push({
      ref: `${heading.number}.${item[1]}`,
      group: heading.title,
      name: item[2],
      unit: one ? one.unit : null,
      targets: [{ horizon: heading.horizon, text: item[2], ...(value !== null ? { value } : {}) }],
      lead: null,
      parent: null,
      source: { line: i + 1 },
    });
  }
  return found;
};

/** Indicators (chỉ tiêu) of the document: appendix tables, or numbered prose in the body. */
export const readIndicators = (
  lines: readonly string[],
  regions: readonly { appendix: string; lines: readonly string[]; start: number }[],
  bodyStart: number,
  context: ReadContext,
): ParsedIndicator[] => {
  const tables = regions.flatMap((region) => readIndicatorTable(region.appendix, region.lines, region.start, context));
  const bodyEnd = regions[0]?.start ?? lines.length;
  return [...readProseIndicators(lines.slice(0, bodyEnd), bodyStart, context), ...tables];
};
