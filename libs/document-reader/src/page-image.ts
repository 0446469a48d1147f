import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DocumentReadError } from './document';
import { budgetOf, runTool, withTempDir } from './external-tools';

/** The longest side in pixels a page is shown at, whatever size the PDF claims for it (a hostile 200 × 200 inch page). */
const MAX_PAGE_PIXELS = 2_000;
const DEFAULT_DPI = 100;
const DEFAULT_TIMEOUT_MS = 20_000;

export type PageImageOptions = { readonly dpi?: number; readonly timeoutMs?: number };

const firstLine = (text: string) => text.trim().split('\n')[0] ?? '';

/**
 * Page `page` (1-based) of a PDF as a PNG, for the office to compare a task with the paper it was read
 * from (the import review). poppler's pdfinfo and pdftoppm run as limited child processes, as the
 * readers run them (external-tools.ts: own process group, address-space cap, time limit). null when
 * the PDF has no such page; document.corrupt when poppler cannot open or render it.
 */
export const renderPageImage = async (bytes: Uint8Array, page: number, options: PageImageOptions = {}): Promise<Buffer | null> => {
  if (!Number.isInteger(page) || page < 1) return null;
  const budget = budgetOf({ timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  return withTempDir(async (dir) => {
    const file = join(dir, 'document.pdf');
    await writeFile(file, bytes);
    // Every page's size in one run (-l past the end lists them all): the page count and this page's size.
    const info = await runTool('pdfinfo', ['-f', '1', '-l', '1000000', file], budget);
    const text = info.stdout.toString('utf8');
    const pages = /^Pages:\s+(\d+)/m.exec(text);
    if (info.code !== 0 || !pages)
      throw new DocumentReadError(`The PDF cannot be opened: ${firstLine(info.stderr) || 'poppler could not read it'}`, 'document.corrupt');
    if (page > Number(pages[1])) return null;
    const size = new RegExp(`^Page\\s+${page} size:\\s+([\\d.]+) x ([\\d.]+)`, 'm').exec(text);
    const longestInches = size ? Math.max(Number(size[1]), Number(size[2])) / 72 : 11.7;
    const dpi = Math.min(options.dpi ?? DEFAULT_DPI, Math.floor((100 * MAX_PAGE_PIXELS) / Math.max(longestInches, 0.1)) / 100);
    const root = join(dir, 'page');
    const render = await runTool('pdftoppm', ['-f', `${page}`, '-l', `${page}`, '-r', `${dpi}`, '-png', '-singlefile', file, root], budget);
    if (render.code !== 0) throw new DocumentReadError(`Page ${page} of the PDF cannot be rendered: ${firstLine(render.stderr)}`, 'document.corrupt');
    return readFile(`${root}.png`);
  });
};
