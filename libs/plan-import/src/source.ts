import type { ParsedIndicator, ParsedTask, SourceRef, SourceRegion } from './parsed-plan';
import { collapse, isUpperCaseLine } from './text';

/**
 * Where a line of the parser's input came from in a paged document (a PDF's text layer, an OCR'd scan):
 * its 1-based page and, when the reader knows it, its box as fractions of the page (0..1, origin
 * top-left). libs/document-reader's renderWithSources gives one per rendered line.
 */
export type LineSource = { readonly page: number; readonly box?: SourceRegion };

/** About a table row or a paragraph or two: enough to recognise the item, short enough to show beside it. */
export const MAX_EXCERPT = 600;

/**
 * Lines that end an item's text even before the next item starts: a section heading ("II. TỔ CHỨC THỰC
 * HIỆN"), a group row of a table ("I", "NHÓM NHIỆM VỤ VỀ …"), an appendix, the recipients and signature.
 */
const endsItem = (line: string): boolean => {
  if (/^(?:Nơi nhận|TM\.|KT\.|PHỤ LỤC)(?=[\s:|]|$)/u.test(line)) return true;
  if (/^[IVX]+\.?$/.test(line)) return true;
  const heading = /^(?:[IVX]+|[A-Z]|\d+)\.\s*(\S.*)$/u.exec(line);
  if (heading && isUpperCaseLine(heading[1]) && heading[1].length > 3) return true;
  // A heading on a line of its own; an agency in capitals ("UBND TỈNH") is shorter.
  return isUpperCaseLine(line) && line.split(' ').length >= 4 && line.replace(/[^\p{L}]/gu, '').length >= 15;
};

/**
 * The outline level a line's marker gives (lower is higher: "II." 0, "2." 1, "2.1." 1.1, "a)" 3, "-" 4),
 * undefined without one (a table row's number cell, a paragraph).
 */
const levelOf = (line: string): number | undefined => {
  if (/^[IVX]+\.\s/.test(line)) return 0;
  const numbered = /^(\d+(?:\.\d+)*)[.)]\s/.exec(line);
  if (numbered) return 1 + 0.1 * (numbered[1].split('.').length - 1);
  if (/^[a-zđ]\)\s/u.test(line)) return 3;
  if (/^[-–•+*]\s/.test(line)) return 4;
  return undefined;
};

/**
 * Whether a line no longer belongs to an item whose first line has the given level: a heading above it
 * ("2. Công an tỉnh" after "đ) …") or a sibling that is not an item itself. Bullets under a bullet stay
 * (a key/value block's "- Đơn vị thực hiện: …" lines belong to the "- …" task above them).
 */
const leavesItem = (line: string, level: number | undefined): boolean => {
  const own = levelOf(line);
  if (level === undefined || own === undefined) return false;
  return own < level || (own === level && level !== 4);
};

/** Cells and rows of a table (lines holding only `|`, or ending in one) shown as " | ". */
const joinLines = (texts: readonly string[]): string =>
  texts
    .join(' ')
    .replace(/(?:\s*\|)+\s*/g, ' | ')
    .replace(/^\s*\|\s*|\s*\|\s*$/g, '')
    .trim();

const cut = (text: string): string => {
  if (text.length <= MAX_EXCERPT) return text;
  const head = text.slice(0, MAX_EXCERPT - 1);
  const space = head.lastIndexOf(' ');
  // At a word's end when one is near, so the excerpt does not stop mid-word.
  const kept = space > MAX_EXCERPT - 80 ? head.slice(0, space) : head;
  return `${kept.replace(/[\s|]+$/, '')}…`;
};

const union = (boxes: readonly SourceRegion[]): SourceRegion => {
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.width));
  const y1 = Math.max(...boxes.map((b) => b.y + b.height));
  const round = (value: number) => Math.round(value * 10_000) / 10_000;
  return { x: round(x0), y: round(y0), width: round(x1 - x0), height: round(y1 - y0) };
};

/**
 * Each task's and indicator's source, for the office to check it against the document: the excerpt
 * (its lines from where it starts to where the next item starts, whitespace collapsed, at most
 * MAX_EXCERPT characters, "…" when cut), every format; for a paged document also the page it starts on
 * and the region of that page its lines cover (the union of their boxes there).
 */
export const withSources = <T extends { readonly tasks: readonly ParsedTask[]; readonly indicators: readonly ParsedIndicator[] }>(
  lines: readonly string[],
  items: T,
  lineSources: readonly (LineSource | null | undefined)[] = [],
): T => {
  const starts = [...new Set([...items.tasks, ...items.indicators].map((item) => item.source.line - 1))].sort((a, b) => a - b);
  const sourceOf = (line: number): SourceRef => {
    const start = line - 1;
    if (start < 0 || start >= lines.length) return { line };
    const next = starts.find((s) => s > start) ?? lines.length;
    const used: number[] = [];
    const texts: string[] = [];
    let length = 0;
    const level = levelOf(collapse(lines[start]));
    for (let i = start; i < next && length <= MAX_EXCERPT; i++) {
      const text = collapse(lines[i]);
      if (text === '') continue;
      if (i > start && (endsItem(text) || leavesItem(text, level))) break;
      texts.push(text);
      used.push(i);
      length += text.length + 1;
    }
    const excerpt = cut(joinLines(texts));
    const placed = used.map((i) => lineSources[i]).filter((s): s is LineSource => s !== null && s !== undefined);
    const page = placed[0]?.page;
    const boxes = placed.filter((s) => s.page === page && s.box !== undefined).map((s) => s.box!);
    return {
      line,
      ...(page !== undefined ? { page } : {}),
      ...(excerpt !== '' ? { excerpt } : {}),
      ...(boxes.length > 0 ? { region: union(boxes) } : {}),
    };
  };
  return {
    ...items,
    tasks: items.tasks.map((task) => ({ ...task, source: { ...task.source, ...sourceOf(task.source.line) } })),
    indicators: items.indicators.map((indicator) => ({ ...indicator, source: { ...indicator.source, ...sourceOf(indicator.source.line) } })),
  };
};
