import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DocumentReadError, type Block, type ReadDocument, type ReadWarning } from './document';
import { budgetOf, checkBudget, runTool, withTempDir, type Budget, type PagedReadOptions } from './external-tools';
import { layoutPage, mergeLines, type PositionedWord } from './positioned-layout';

/**
 * OCR with Debian's tesseract and its Vietnamese data (tesseract-ocr-vie), one process per page.
 *
 * --psm 4 (one column of text of varying sizes), measured on the corpus scan (bocongan_KH-996, 300 dpi,
 * tesseract 5.3 with Debian's vie data; plausible-Vietnamese share of words / mean confidence): page 1
 * (received stamp, handwriting) psm 3 0.994 / 94.0, psm 4 0.996 / 94.2, psm 6 0.991 / 93.3; page 2 all
 * 1.000 / ~95.5. psm 6 reads a ruled table's header row and its row numbers not at all (the tests'
 * table: 0 of 4 found), psm 3 and 4 read them all; psm 4 keeps a row's cells on one line.
 *
 * OMP_THREAD_LIMIT=1: tesseract's OpenMP threads fight over a small machine's cores; one thread per
 * page and two pages at a time read a page of the corpus scan in ~2.7 s instead of ~10 s.
 */
const TESSERACT_ARGS = ['-l', 'vie', '--psm', '4', 'tsv'];
const TESSERACT_ENV = { OMP_THREAD_LIMIT: '1' };

/** Below this mean word confidence a page's text is likely wrong in places: the office is told. */
export const LOW_CONFIDENCE_BELOW = 0.6;

export type OcrPage = { page: number; blocks: Block[]; warnings: ReadWarning[]; blank: boolean; confidence?: number };

type TsvWord = PositionedWord & { page: number; key: string };

/** Tesseract's TSV: level 1 rows give each page's size, level 5 rows the words with confidence 0–100. */
const parseTsv = (tsv: string) => {
  const sizes = new Map<number, { width: number; height: number }>();
  const words: TsvWord[] = [];
  for (const row of tsv.split('\n').slice(1)) {
    const cols = row.split('\t');
    if (cols.length < 12) continue;
    const [level, page, block, par, line, , left, top, width, height, conf] = cols.slice(0, 11).map(Number);
    // A ruled grid's lines come back as "|" at a cell's edge.
    const text = cols
      .slice(11)
      .join('\t')
      .trim()
      .replace(/^\|+|\|+$/g, '');
    if (level === 1) sizes.set(page, { width, height });
    if (level !== 5 || text === '' || conf < 0) continue;
    // Specks read as symbols; a list dash stays.
    if (conf < 60 && !/[\p{L}\p{N}]/u.test(text) && !/^[-–+•]$/.test(text)) continue;
    words.push({ text, x0: left, y0: top, x1: left + width, y1: top + height, confidence: conf / 100, page, key: `${block}.${par}.${line}` });
  }
  return { sizes, words };
};

/** A page is blank (the back of a duplex scan) when OCR finds no word it believes in. */
const isBlank = (words: PositionedWord[]) => words.filter((w) => /[\p{L}\p{N}]{2}/u.test(w.text) && (w.confidence ?? 0) >= 0.5).length < 3;

const NUMBER = /\bS[ốoóòỏõọôồổỗộơờởỡợ]\s*[:;.]\s*(.{0,24}?)\s*\/\s*[A-ZĐ]{1,}[A-ZĐa-z0-9-]*/u;
const DATE = /ngày\s*(\S{0,8}?)\s*tháng\s*(\S{0,8}?)\s*năm\s*(\S{4})/gu;
const isDay = (s: string) => /^\d{1,2}$/.test(s) && +s >= 1 && +s <= 31;
const isMonth = (s: string) => /^\d{1,2}$/.test(s) && +s >= 1 && +s <= 12;

/**
 * A number or date written by hand into the blanks of a signed document ("Số: 996 /KH-…", "ngày 04
 * tháng 3 năm 2026") is what OCR reads worst. What it could not read becomes a warning naming the page
 * and what was read, for the office to fill in at the review; never a refusal.
 */
export const handwritingWarnings = (lines: string[], page: number): ReadWarning[] => {
  const warnings: ReadWarning[] = [];
  for (const text of lines) {
    const number = NUMBER.exec(text);
    if (number && number[1] !== '' && !/^\d{1,6}$/.test(number[1])) {
      warnings.push({
        code: 'ocr-number-unreadable',
        page,
        message: `Page ${page}: the document number reads "${number[0]}" (handwritten?); check it against the paper`,
      });
    }
    for (const date of text.matchAll(DATE)) {
      const [all, day, month, year] = date;
      if (!isDay(day) || !isMonth(month) || !/^\d{4}$/.test(year)) {
        warnings.push({ code: 'ocr-date-unreadable', page, message: `Page ${page}: a date reads "${all}" (handwritten?); check it against the paper` });
      }
    }
  }
  return warnings;
};

/** OCR of one image file (a rendered PDF page, an uploaded image; every page of a multi-page TIFF). */
export const ocrImageFile = async (file: string, budget: Budget, pageOffset = 0): Promise<OcrPage[]> => {
  const run = await runTool('tesseract', [file, 'stdout', ...TESSERACT_ARGS], budget, TESSERACT_ENV);
  if (run.code !== 0) {
    throw new DocumentReadError(`The image cannot be read: ${run.stderr.trim().split('\n').at(-1) ?? 'tesseract failed'}`, 'document.corrupt');
  }
  const { sizes, words } = parseTsv(run.stdout.toString('utf8'));
  return [...sizes.entries()].map(([tsvPage, size]) => {
    const page = pageOffset + tsvPage;
    const pageWords = words.filter((w) => w.page === tsvPage);
    if (isBlank(pageWords)) return { page, blocks: [], warnings: [], blank: true };
    const byLine = new Map<string, PositionedWord[]>();
    for (const word of pageWords) byLine.set(word.key, [...(byLine.get(word.key) ?? []), word]);
    const lines = mergeLines([...byLine.values()]);
    const blocks = layoutPage(lines, { page, width: size.width, height: size.height, ocr: true });
    const weight = pageWords.reduce((sum, w) => sum + w.text.length, 0);
    const confidence = pageWords.reduce((sum, w) => sum + w.confidence! * w.text.length, 0) / weight;
    const warnings = handwritingWarnings(
      lines.map((l) => l.words.map((w) => w.text).join(' ')),
      page,
    );
    if (confidence < LOW_CONFIDENCE_BELOW) {
      warnings.push({
        code: 'ocr-low-confidence',
        page,
        message: `Page ${page} was read by OCR with low confidence (${Math.round(confidence * 100)} %): check its text against the paper`,
      });
    }
    return { page, blocks, warnings, blank: false, confidence: Math.round(confidence * 1000) / 1000 };
  });
};

const PNG = [0x89, 0x50, 0x4e, 0x47];
const JPEG = [0xff, 0xd8, 0xff];
const TIFF_LE = [0x49, 0x49, 0x2a, 0x00];
const TIFF_BE = [0x4d, 0x4d, 0x00, 0x2a];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);
/** Over this many pixels an image is refused before tesseract sees it (a 300 dpi A3 page is ~17 M). */
const MAX_PIXELS = 60_000_000;

/** A scan as an image (.png, .jpg, .tif): the same OCR as a scanned PDF's pages. */
export const readImage = async (bytes: Uint8Array, options: PagedReadOptions = {}): Promise<ReadDocument> => {
  if (bytes.length === 0) throw new DocumentReadError('The file is empty', 'document.empty');
  if (![PNG, JPEG, TIFF_LE, TIFF_BE].some((magic) => startsWith(bytes, magic))) {
    throw new DocumentReadError('The file is not a PNG, JPEG or TIFF image', 'document.unsupported');
  }
  if (startsWith(bytes, PNG) && bytes.length >= 24) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(16) * view.getUint32(20) > MAX_PIXELS) throw new DocumentReadError('The image is too large to read', 'document.too-large');
  }
  const budget = budgetOf(options);
  options.onOcr?.();
  return withTempDir(async (dir) => {
    const file = join(dir, 'image');
    await writeFile(file, bytes);
    const pages = await ocrImageFile(file, budget);
    checkBudget(budget);
    options.onProgress?.({ pagesDone: pages.length, pages: pages.length });
    return assemble(
      'image',
      pages.map((p) => ({ ...p, warnings: p.warnings })),
      pages.length,
    );
  });
};

/** Pages, in order, into one document: a page break before each page after the first. */
export const assemble = (format: ReadDocument['format'], pages: { page: number; blocks: Block[]; warnings: ReadWarning[] }[], count: number): ReadDocument => {
  const blocks: Block[] = [];
  const warnings: ReadWarning[] = [];
  for (const page of [...pages].sort((a, b) => a.page - b.page)) {
    if (page.page > 1) blocks.push({ kind: 'page-break', page: page.page });
    blocks.push(...page.blocks);
    warnings.push(...page.warnings);
  }
  return { format, blocks, pages: count, warnings };
};
