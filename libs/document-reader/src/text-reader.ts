import { type Block, DocumentReadError, type Paragraph, type ReadDocument, type Table, type TableCell } from './document';

/**
 * Plain text and Markdown (.txt, .md), including what legal-text websites give when their pages are
 * captured: lines hard-wrapped mid-sentence (inside headings, bold runs, numbers and dates) and tables
 * printed as "each cell, then a line holding only `|`; a row boundary is one more `|` line".
 * Every block keeps the line it starts on (`from.line`), so the importer's line references stay those of
 * the file (renderForParser places each block back on its line).
 */

/** Decodes UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused in words. */
export const decodeText = (bytes: Uint8Array): string => {
  let text: string;
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    else text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new DocumentReadError(
      'The file is text in an encoding other than UTF-8 or UTF-16 (e.g. a Windows code page or TCVN3): save it as UTF-8 and try again.',
      'document.unsupported',
    );
  }
  if (looksBinary(text)) {
    throw new DocumentReadError('The file is not a document: it holds binary data, not text.', 'document.unsupported');
  }
  return text;
};

/** NUL or more than 1 % control characters (other than tab, line feed, carriage return, form feed) in the first 64 KB. */
export const looksBinary = (text: string): boolean => {
  const sample = text.slice(0, 64 * 1024);
  if (sample.includes('\u0000')) return true;
  const odd = (sample.match(/[\u0001-\u0008\u000b\u000e-\u001f\u007f\ufffd]/g) ?? []).length;
  return odd > sample.length / 100;
};

const isPipeLine = (line: string): boolean => line.trim() === '|';

/** Emphasis runs ("**", "*") in a line: an odd count over a paragraph means a bold/italic run goes on. */
const markerRuns = (line: string): number => (line.match(/\*+/g) ?? []).length;
const plain = (line: string): string =>
  line
    .replace(/\*+/g, '')
    .replace(/\u00a0/g, ' ')
    .trim();

/** A line that starts an item of its own: a numbered or lettered heading, a bullet, an article. */
const ITEM_START =
  /^(?:[IVXLC]+\.(?:\s|$)|[IVXLC]+\.\d|\d{1,3}(?:\.\d{1,3})*\.(?:\s|$)|\d{1,3}(?:\.\d{1,3})+\s|\d{1,3}\)|\([\d\p{L}]{1,3}\)\s|\p{Ll}[).]\s|\p{Ll}\)|[-+•–—]\s*\S|Điều\s+\d|Chương\s+[IVXLC\d]|PHỤ\s+LỤC|Phụ\s+lục\s|Nơi\s+nhận|KT\.|TM\.|Kính\s+gửi|Căn\s+cứ\s)/u;

/** Words after which a sentence, a date or a number cannot end ("ngày" / "24 tháng 11 năm 2025"). */
const CONTINUES = /(?:\b(?:ngày|tháng|năm|số|Số:|của|và|với|tại|theo|về|các|những|cho|để|trong|từ|đến|là|được|có|hoặc|do|bởi|nhằm|thuộc)|[,\-–/])$/iu;

const isUpper = (text: string): boolean => /\p{L}/u.test(text) && text === text.toUpperCase();

/** Whether `next` continues the paragraph whose text so far is `sofar` and whose last line is `last`. */
export const continuesParagraph = (sofar: string, last: string, next: string): boolean => {
  if (next.trim() === '' || isPipeLine(next)) return false;
  // Lines of other table forms ("a | b |", "| a | b |") are kept as they are.
  if (/\|\s*$/.test(last) || /^\s*\|/.test(next) || /\|\s*$/.test(next)) return false;
  const n = plain(next);
  const p = plain(last);
  if (n === '') return true; // a line of bare emphasis markers closes the run above
  if (p === '') return markerRuns(sofar) % 2 === 1;
  if (ITEM_START.test(n)) return false;
  // Short upper-case lines are the letterhead's, a title's or a signature's own lines ("TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH").
  if (isUpper(p) && isUpper(n) && p.length < 60 && !/^[IVXLC\d.]+$/u.test(p)) return false;
  if (markerRuns(sofar) % 2 === 1) return true;
  if (/^\p{Ll}/u.test(n)) return true;
  if (/[.;:!?…]$/u.test(p) && !/\bSố:$/u.test(p)) return false;
  if (/\bSố:$/u.test(p) || CONTINUES.test(p)) return true;
  // A line cut at the capture's wrap width, continued by a capitalised word (a name, an agency, a heading's rest).
  if (isUpper(p) !== isUpper(n)) return false;
  return p.length >= 60 && /[\p{L}\d)”"]$/u.test(p);
};

type Line = { text: string; line: number };

/** Paragraphs of consecutive lines, re-joined where the capture hard-wrapped them. */
const paragraphsOf = (lines: readonly Line[]): { text: string; line: number }[] => {
  const out: { text: string; line: number; last: string }[] = [];
  let current: { text: string; line: number; last: string } | null = null;
  for (const { text, line } of lines) {
    if (text.trim() === '') {
      current = null;
      continue;
    }
    if (current && continuesParagraph(current.text, current.last, text)) {
      current.text = `${current.text.trimEnd()} ${text.trim()}`;
      current.last = text;
    } else {
      current = { text: text.trimEnd(), line, last: text };
      out.push(current);
    }
  }
  return out.map(({ text, line }) => ({ text, line }));
};

/** A segment closed by a `|` line longer than this is the document's body, not a cell. */
const MAX_CELL_LINES = 15;
const MAX_CELL_CHARS = 1500;

type Segment = { lines: Line[]; closed: boolean };

const segmentsOf = (lines: readonly string[]): Segment[] => {
  const segments: Segment[] = [];
  let current: Line[] = [];
  lines.forEach((text, index) => {
    if (isPipeLine(text)) {
      segments.push({ lines: current, closed: true });
      current = [];
    } else current.push({ text, line: index + 1 });
  });
  if (current.length > 0) segments.push({ lines: current, closed: false });
  return segments;
};

const nonBlank = (segment: Segment): Line[] => segment.lines.filter((line) => line.text.trim() !== '');
const isCell = (segment: Segment): boolean => {
  const lines = nonBlank(segment);
  return segment.closed && lines.length <= MAX_CELL_LINES && lines.reduce((sum, line) => sum + line.text.length, 0) <= MAX_CELL_CHARS;
};

const cellOf = (segment: Segment): TableCell => {
  const paragraphs = paragraphsOf(segment.lines);
  const first = nonBlank(segment)[0];
  return { text: paragraphs.map((paragraph) => paragraph.text).join('\n'), ...(first ? { from: { line: first.line } } : {}) };
};

/**
 * A run of cells: empty segments between cells are row boundaries (k empty segments: k-1 empty cells and a
 * boundary); at the start or end of the run they are empty cells.
 */
const tableOf = (run: readonly Segment[]): Table => {
  const rows: TableCell[][] = [[]];
  let i = 0;
  while (i < run.length) {
    if (nonBlank(run[i]).length > 0) {
      rows[rows.length - 1].push(cellOf(run[i]));
      i++;
      continue;
    }
    let k = i;
    while (k < run.length && nonBlank(run[k]).length === 0) k++;
    const empties = k - i;
    const atEdge = i === 0 || k === run.length;
    for (let e = 0; e < (atEdge ? empties : empties - 1); e++) rows[rows.length - 1].push({ text: '' });
    if (!atEdge) rows.push([]);
    i = k;
  }
  const firstLine = run.flatMap(nonBlank)[0]?.line;
  return { kind: 'table', rows: rows.filter((row) => row.length > 0), ...(firstLine ? { from: { line: firstLine } } : {}) };
};

/** Reads decoded text into paragraphs and `|`-cell tables. */
export const readTextBlocks = (text: string): Block[] => {
  const lines = text
    .replace(/^\ufeff/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const blocks: Block[] = [];
  const segments = segmentsOf(lines);
  let run: Segment[] = [];
  const flush = (): void => {
    if (run.length > 0) blocks.push(tableOf(run));
    run = [];
  };
  for (const segment of segments) {
    // An appendix's heading ("PHỤ LỤC …", then its title) starts a table of its own, after its heading.
    const opensAppendix = /^PH[ỤU]\s+L[ỤU]C\b/u.test(
      nonBlank(segment)
        .map((line) => plain(line.text))
        .find((text) => text !== '') ?? '',
    );
    if (isCell(segment) && !opensAppendix) {
      run.push(segment);
      continue;
    }
    flush();
    for (const paragraph of paragraphsOf(segment.lines)) {
      blocks.push({ kind: 'paragraph', text: paragraph.text, from: { line: paragraph.line } } satisfies Paragraph);
    }
  }
  flush();
  return blocks;
};

export const readText = (bytes: Uint8Array): ReadDocument => {
  const text = decodeText(bytes);
  if (text.trim() === '') throw new DocumentReadError('The file holds no text: there is nothing to import.', 'document.empty');
  return { format: 'text', blocks: readTextBlocks(text), warnings: [] };
};
