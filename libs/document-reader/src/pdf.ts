import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DocumentReadError, type Block, type ReadDocument, type ReadWarning } from './document';
import { budgetOf, checkBudget, DEFAULT_MAX_PAGES, mapLimited, runTool, withTempDir, type Budget, type PagedReadOptions } from './external-tools';
import { assemble, ocrImageFile } from './ocr';
import { groupLines, layoutPage, type PositionedWord } from './positioned-layout';
import { isGarbled, scoreWords } from './text-plausibility';

/**
 * PDFs through poppler (Debian's poppler-utils), run as child processes with a time and memory limit:
 * pdfinfo opens the file and counts its pages (a file poppler cannot open, or with no page, is refused),
 * `pdftotext -bbox-layout` gives every word with its box per page, rebuilt here into lines, paragraphs
 * and tables (positioned-layout.ts). A page without text (a scan) or whose text layer is garbled (fonts
 * without a usable ToUnicode map) is rendered with pdftoppm and read by OCR (ocr.ts) instead.
 */

/** OCR resolution, and the longest side in pixels a page is rendered at whatever its size claims. */
const OCR_DPI = 300;
const MAX_RENDER_PIXELS = 4_200;

const PDF_MAGIC = '%PDF-';

type TextPage = { page: number; width: number; height: number; words: PositionedWord[] };

const decodeEntities = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (all, name: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (name[0] !== '#') return named[name.toLowerCase()] ?? all;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });

/** pdftotext -bbox-layout's XHTML: <page width height> … <word xMin yMin xMax yMax>text</word>. */
export const parseBboxLayout = (xhtml: string, firstPage = 1): TextPage[] => {
  const pages: TextPage[] = [];
  const pageRe = /<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g;
  const wordRe = /<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([\s\S]*?)<\/word>/g;
  for (const match of xhtml.matchAll(pageRe)) {
    const words: PositionedWord[] = [];
    for (const w of match[3].matchAll(wordRe)) {
      words.push({ text: decodeEntities(w[5]), x0: +w[1], y0: +w[2], x1: +w[3], y1: +w[4] });
    }
    pages.push({ page: firstPage + pages.length, width: +match[1], height: +match[2], words });
  }
  return pages;
};

const firstLine = (text: string) => text.trim().split('\n')[0] ?? '';

const pageCount = async (file: string, budget: Budget): Promise<number> => {
  const info = await runTool('pdfinfo', [file], budget);
  const pages = /^Pages:\s+(\d+)/m.exec(info.stdout.toString('utf8'));
  if (info.code !== 0 || !pages) {
    throw new DocumentReadError(`The PDF cannot be opened: ${firstLine(info.stderr) || 'poppler could not read it'}`, 'document.corrupt');
  }
  return Number(pages[1]);
};

const ocrPage = (file: string, dir: string, page: TextPage, budget: Budget) => {
  const longest = Math.max(page.width, page.height) / 72;
  const dpi = Math.max(72, Math.min(OCR_DPI, Math.floor(MAX_RENDER_PIXELS / Math.max(longest, 1))));
  const root = join(dir, `page-${page.page}`);
  return runTool('pdftoppm', ['-f', `${page.page}`, '-l', `${page.page}`, '-r', `${dpi}`, '-gray', '-png', '-singlefile', file, root], budget).then(
    async (render) => {
      if (render.code !== 0) {
        throw new DocumentReadError(`Page ${page.page} of the PDF cannot be rendered: ${firstLine(render.stderr)}`, 'document.corrupt');
      }
      const [read] = await ocrImageFile(`${root}.png`, budget, page.page - 1);
      return read;
    },
  );
};

/**
 * A PDF: its text layer where it reads as Vietnamese, OCR where it does not (a scan, a garbled font),
 * page by page. Pages are reported through onProgress as they are done; OCR runs two pages at a time.
 */
export const readPdf = async (bytes: Uint8Array, options: PagedReadOptions = {}): Promise<ReadDocument> => {
  if (bytes.length === 0) throw new DocumentReadError('The file is empty', 'document.empty');
  if (!Buffer.from(bytes.subarray(0, 1024)).toString('latin1').includes(PDF_MAGIC)) {
    throw new DocumentReadError('The file is not a PDF', 'document.corrupt');
  }
  const budget = budgetOf(options);
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  return withTempDir(async (dir) => {
    const file = join(dir, 'document.pdf');
    await writeFile(file, bytes);
    const pages = await pageCount(file, budget);
    if (pages === 0) throw new DocumentReadError('The PDF has no pages', 'document.corrupt');
    if (pages > maxPages) throw new DocumentReadError(`The PDF has ${pages} pages; Mandate reads at most ${maxPages}`, 'document.too-large');

    const text = await runTool('pdftotext', ['-bbox-layout', '-enc', 'UTF-8', '-f', '1', '-l', `${pages}`, file, '-'], budget);
    if (text.code !== 0) {
      throw new DocumentReadError(`The PDF's text cannot be read: ${firstLine(text.stderr) || 'poppler failed'}`, 'document.corrupt');
    }
    const textPages = parseBboxLayout(text.stdout.toString('utf8'));
    if (textPages.length === 0) throw new DocumentReadError('The PDF has no readable page', 'document.corrupt');

    let pagesDone = 0;
    const done = () => options.onProgress?.({ pagesDone: ++pagesDone, pages: textPages.length });
    const results: { page: number; blocks: Block[]; warnings: ReadWarning[] }[] = [];
    const toOcr: { page: TextPage; reason: string }[] = [];
    for (const page of textPages) {
      const score = scoreWords(page.words.map((w) => w.text));
      if (page.width <= 0 || page.height <= 0) done();
      else if (page.words.length === 0) toOcr.push({ page, reason: `Page ${page.page} has no text layer (a scan): read by OCR` });
      else if (isGarbled(score)) {
        toOcr.push({
          page,
          reason: `Page ${page.page}'s text layer does not read as Vietnamese (${Math.round(score.score * 100)} % of words plausible; fonts without a usable ToUnicode map): read by OCR`,
        });
      } else {
        results.push({
          page: page.page,
          blocks: layoutPage(groupLines(page.words), { page: page.page, width: page.width, height: page.height }),
          warnings: [],
        });
        done();
      }
    }
    checkBudget(budget);
    if (toOcr.length > 0) options.onOcr?.();
    const ocrd = await mapLimited(toOcr, options.ocrConcurrency ?? 2, async ({ page, reason }) => {
      const read = await ocrPage(file, dir, page, budget);
      done();
      // A blank page (the back of a duplex scan, an empty page of a text PDF) is skipped without a word.
      if (!read || read.blank) return { page: page.page, blocks: [], warnings: [] };
      return { page: page.page, blocks: read.blocks, warnings: [{ code: 'page-ocr', page: page.page, message: reason }, ...read.warnings] };
    });
    results.push(...ocrd);
    const read = assemble('pdf', results, textPages.length);
    if (!read.blocks.some((block) => block.kind !== 'page-break')) {
      // Nothing on any page: a blank scan, or a file whose pages poppler could not build (a page tree
      // that loops on itself reads as one empty page).
      const problem = firstLine(text.stderr);
      throw problem
        ? new DocumentReadError(`The PDF cannot be read: ${problem}`, 'document.corrupt')
        : new DocumentReadError('The PDF holds no text, and OCR found none on its pages', 'document.empty');
    }
    return read;
  });
};
