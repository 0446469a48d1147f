import type { Block, Box, Paragraph, Table, TableCell } from './document';

/**
 * Positioned words (a PDF's text layer, OCR's word boxes) rebuilt into lines, paragraphs and tables.
 * Coordinates: x to the right, y down, in the page's own unit (points, pixels); only ratios matter.
 */
export type PositionedWord = { text: string; x0: number; y0: number; x1: number; y1: number; confidence?: number };

export type Segment = { text: string; x0: number; x1: number; words: PositionedWord[] };
export type Line = { words: PositionedWord[]; segments: Segment[]; x0: number; x1: number; y0: number; y1: number };

export type PageLayout = { page: number; width: number; height: number; ocr?: boolean };

const median = (values: number[]) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * sorted.length)))];
};
const heightOf = (w: { y0: number; y1: number }) => w.y1 - w.y0;

/**
 * Words on one baseline make a line, wherever they sit across the page: the two columns of a header
 * stay on one line, and a number stamped into the blank of "Số:      /UBND-KT" stays where it was
 * stamped (a reading-order extraction moves it to the end of the page).
 */
export const groupLines = (words: PositionedWord[]): Line[] => mergeLines(words.map((word) => [word]));

/**
 * Units (single words, or OCR's own lines, which follow a skewed scan) at the same height joined into
 * lines: OCR reads a table row's cells as separate lines, and they belong on one.
 */
export const mergeLines = (units: PositionedWord[][]): Line[] => {
  const boxes = units
    .map((words) => words.filter((w) => w.text.trim() !== ''))
    .filter((words) => words.length > 0)
    .map((words) => ({ words, y0: Math.min(...words.map((w) => w.y0)), y1: Math.max(...words.map((w) => w.y1)), x0: Math.min(...words.map((w) => w.x0)) }))
    .sort((a, b) => a.y0 + a.y1 - (b.y0 + b.y1) || a.x0 - b.x0);
  const groups: PositionedWord[][] = [];
  let current: PositionedWord[] = [];
  let top = 0;
  let bottom = 0;
  for (const box of boxes) {
    const overlap = Math.min(bottom, box.y1) - Math.max(top, box.y0);
    // Text on one line never overlaps sideways: a unit over words already there is the next line
    // (OCR's line of a big title beside two lines of small text).
    const sideBySide = box.words.every((w) => current.every((c) => Math.min(c.x1, w.x1) - Math.max(c.x0, w.x0) <= 0));
    if (current.length > 0 && overlap >= 0.5 * Math.min(bottom - top, box.y1 - box.y0) && sideBySide) {
      current.push(...box.words);
      top = Math.min(top, box.y0);
      bottom = Math.max(bottom, box.y1);
    } else {
      if (current.length > 0) groups.push(current);
      current = [...box.words];
      top = box.y0;
      bottom = box.y1;
    }
  }
  if (current.length > 0) groups.push(current);
  return groups.map(lineOf);
};

/** A line from words already grouped (OCR gives its own lines, which follow a skewed scan). */
export const lineOf = (words: PositionedWord[]): Line => {
  const sorted = [...words].sort((a, b) => a.x0 - b.x0);
  // A gap wider than about one character height separates columns; word spaces, even justified, are narrower.
  // Heights of words with letters or digits: a dash or a comma read alone by OCR is a few pixels high.
  const sized = sorted.filter((w) => /[\p{L}\p{N}]{2}/u.test(w.text));
  const spaces = sorted.slice(1).map((w, i) => w.x0 - sorted[i].x1);
  // ... and well over the line's own word spacing (OCR's boxes leave wider spaces than a font's).
  const gap = Math.max(0.9 * median((sized.length > 0 ? sized : sorted).map(heightOf)), spaces.length > 0 ? 2.5 * quantile(spaces, 0.25) : 0);
  const segments: Segment[] = [];
  for (const word of sorted) {
    const last = segments.at(-1);
    if (last && word.x0 - last.x1 <= gap) {
      last.words.push(word);
      last.text += ` ${word.text}`;
      last.x1 = Math.max(last.x1, word.x1);
    } else {
      segments.push({ text: word.text, x0: word.x0, x1: word.x1, words: [word] });
    }
  }
  return {
    words: sorted,
    segments,
    x0: Math.min(...sorted.map((w) => w.x0)),
    x1: Math.max(...sorted.map((w) => w.x1)),
    y0: Math.min(...sorted.map((w) => w.y0)),
    y1: Math.max(...sorted.map((w) => w.y1)),
  };
};

const LIST_MARKER = /^(?:[-–•+*]|\d+(?:\.\d+)*[.)]|[a-zđ]\)|[IVXLC]+\.)(?:\s|$)/;

type Band = { x0: number; x1: number };
const overlapOf = (a: Band, b: Band) => Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);

/** The band a segment falls in, or undefined when it falls between bands or spans more than one. */
const bandOf = (segment: Segment, bands: Band[]): number | undefined => {
  const touched = bands.map((band, index) => ({ index, overlap: overlapOf(band, segment) })).filter((b) => b.overlap > 0);
  if (touched.length !== 1) return undefined;
  return touched[0].index;
};

/**
 * A table is rows whose words fall into the same three or more column bands (a ruled grid in a
 * Word-exported PDF: cells by x-ranges). Its first line gives the bands; a line with text in the first
 * band starts a row (the STT column), any other line continues the cells of the row above (wrapped
 * cell text). A line with a segment outside the bands or across two of them ends the table.
 */
const tableAt = (
  lines: Line[],
  start: number,
  lineHeight: number,
): { rows: { text: string; words: PositionedWord[] }[][]; end: number; words: PositionedWord[] } | undefined => {
  const first = lines[start];
  if (first.segments.length < 3) return undefined;
  const bands: Band[] = first.segments.map((s) => ({ x0: s.x0, x1: s.x1 }));
  const cells: string[][] = [first.segments.map((s) => s.text)];
  // Each cell's words, for the box it covers on the page.
  const cellWords: PositionedWord[][][] = [first.segments.map((s) => [...s.words])];
  const words = [...first.words];
  let end = start + 1;
  for (; end < lines.length; end++) {
    const line = lines[end];
    if (line.y0 - lines[end - 1].y1 > 2.5 * lineHeight) break;
    const placed = line.segments.map((s) => bandOf(s, bands));
    if (placed.some((b) => b === undefined) || new Set(placed).size !== placed.length) break;
    if (placed.includes(0)) {
      cells.push(bands.map(() => ''));
      cellWords.push(bands.map(() => []));
    }
    const row = cells.at(-1)!;
    line.segments.forEach((segment, i) => {
      const band = placed[i]!;
      row[band] = row[band] ? `${row[band]} ${segment.text}` : segment.text;
      cellWords.at(-1)![band].push(...segment.words);
      bands[band] = { x0: Math.min(bands[band].x0, segment.x0), x1: Math.max(bands[band].x1, segment.x1) };
    });
    words.push(...line.words);
  }
  if (cells.length < 2) return undefined;
  return { rows: cells.map((row, r) => row.map((text, c) => ({ text, words: cellWords[r][c] }))), end, words };
};

const confidenceOf = (words: PositionedWord[]): number | undefined => {
  const known = words.filter((w) => w.confidence !== undefined);
  if (known.length === 0) return undefined;
  // Weighted by length: a misread long word costs more than a misread "a".
  const weight = known.reduce((sum, w) => sum + w.text.length, 0);
  return Math.round((known.reduce((sum, w) => sum + w.confidence! * w.text.length, 0) / weight) * 1000) / 1000;
};

/** Fractions kept to 4 decimals: a tenth of a point on an A4 page, and JSON stays short. */
const fraction = (value: number) => Math.round(Math.min(1, Math.max(0, value)) * 10_000) / 10_000;

/** The box words cover on the page, as fractions of the page (0..1, origin top-left). */
const boxOf = (words: readonly PositionedWord[], layout: Pick<PageLayout, 'width' | 'height'>): Box | undefined => {
  if (words.length === 0 || layout.width <= 0 || layout.height <= 0) return undefined;
  const x0 = fraction(Math.min(...words.map((w) => w.x0)) / layout.width);
  const y0 = fraction(Math.min(...words.map((w) => w.y0)) / layout.height);
  const x1 = fraction(Math.max(...words.map((w) => w.x1)) / layout.width);
  const y1 = fraction(Math.max(...words.map((w) => w.y1)) / layout.height);
  return { x: x0, y: y0, width: fraction(x1 - x0), height: fraction(y1 - y0) };
};

/** Blocks of one page from its lines: tables, then paragraphs rebuilt from the lines between them. */
export const layoutPage = (lines: Line[], layout: PageLayout): Block[] => {
  const from = (words: PositionedWord[]) => {
    const confidence = confidenceOf(words);
    const box = boxOf(words, layout);
    return { page: layout.page, ...(layout.ocr ? { ocr: true } : {}), ...(confidence !== undefined ? { confidence } : {}), ...(box ? { box } : {}) };
  };
  const alphanumeric = (line: Line) => line.words.map((w) => w.text.replace(/[^\p{L}\p{N}]/gu, '')).join('');
  // A page number in the top or bottom margin, and lines of rules or specks (OCR reads a scan's
  // lines and dirt as dashes and quotes), say nothing.
  const isPageNumber = (line: Line) => /^\d{1,3}$/.test(alphanumeric(line)) && (line.y1 < 0.1 * layout.height || line.y0 > 0.9 * layout.height);
  const body = lines.filter((line) => alphanumeric(line) !== '' && !isPageNumber(line));
  if (body.length === 0) return [];
  const lineHeight = median(body.map((l) => l.y1 - l.y0)) || 1;
  const left = quantile(
    body.map((l) => l.x0),
    0.1,
  );
  const right = quantile(
    body.map((l) => l.x1),
    0.9,
  );

  const blocks: Block[] = [];
  let paragraph: { lines: Line[] } | undefined;
  const flush = () => {
    if (!paragraph) return;
    const words = paragraph.lines.flatMap((l) => l.words);
    const text = paragraph.lines
      .map((l) => l.segments.map((s) => s.text).join(' '))
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    const centered = paragraph.lines.every((l) => l.x0 > left + 2 * lineHeight && Math.abs(l.x0 - left - (right - l.x1)) < 1.5 * lineHeight);
    const block: Paragraph = { kind: 'paragraph', text, ...(centered ? { style: { centered: true } } : {}), from: from(words) };
    blocks.push(block);
    paragraph = undefined;
  };
  const segmentParagraph = (segment: Segment) => {
    flush();
    if (!/[\p{L}\p{N}]/u.test(segment.text)) return;
    blocks.push({ kind: 'paragraph', text: segment.text.replace(/\s+/g, ' ').trim(), from: from(segment.words) });
  };

  for (let i = 0; i < body.length;) {
    const table = tableAt(body, i, lineHeight);
    if (table) {
      flush();
      const rows = table.rows.map((row) => row.map(({ text, words }): TableCell => (words.length > 0 ? { text, from: from(words) } : { text })));
      const block: Table = { kind: 'table', rows, from: from(table.words) };
      blocks.push(block);
      i = table.end;
      continue;
    }
    const line = body[i];
    if (line.segments.length > 1) {
      // Side-by-side text that is not a table: a header's two columns, a signature block. Each piece
      // is its own paragraph, left to right.
      line.segments.forEach(segmentParagraph);
      i++;
      continue;
    }
    const previous = paragraph?.lines.at(-1);
    const continues =
      previous !== undefined &&
      line.y0 - previous.y1 < 0.8 * lineHeight &&
      previous.x1 >= right - 3 * lineHeight &&
      line.x0 <= previous.x0 + 0.5 * lineHeight &&
      !LIST_MARKER.test(line.segments[0].text);
    if (!continues) flush();
    paragraph ??= { lines: [] };
    paragraph.lines.push(line);
    i++;
  }
  flush();
  return blocks;
};
