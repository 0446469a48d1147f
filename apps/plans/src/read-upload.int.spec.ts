// Every format through the worker pool (issue 18): Word and scans are read and parsed off the event
// loop, a scan says it needs OCR (the API's 202) and reports its pages; text reads exactly as before.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { DocumentReadError } from '@mandate/document-reader';
import { decodeDocument, ImportError, parsePlan, type ParsedPlan } from '@mandate/plan-import';
import { ParsePool } from './parse-pool';
import { parseUpload, readUpload } from './read-upload';
import { readDirectory, readLeaders, SEEDS_DIR } from './seed';

jest.setTimeout(60_000);

const FIXTURES = path.join(__dirname, '..', '..', '..', 'libs', 'document-reader', 'fixtures');
const DOCX = 'lamdong_KH-UBND-9669_2025_cchc-2026.docx';
const CAPTURES = path.join(__dirname, '..', '..', '..', 'libs', 'plan-import', 'fixtures', 'corpus', 'captures');
const SCAN = 'bocongan_KH-996_2026_scan-p1-header.jpg';
const CORPUS = path.join(__dirname, '..', '..', '..', 'libs', 'plan-import', 'fixtures', 'corpus', 'documents');

describe('readUpload and the pool: every format', () => {
  const pool = new ParsePool({ size: 1 });
  afterAll(() => pool.close());

  it('reads a seed as the importer did before the readers (the same ParsedPlan), and joins what a capture hard-wrapped', async () => {
    const options = { directory: readDirectory('hai-phong'), leaders: readLeaders('hai-phong'), document: 'seed.txt' };
    for (const seed of fs.readdirSync(path.join(SEEDS_DIR, 'documents'))) {
      const bytes = fs.readFileSync(path.join(SEEDS_DIR, 'documents', seed));
      const read = await readUpload(bytes, 'seed.txt');
      expect(read).toMatchObject({ format: 'text', pages: null, warnings: [] });
      expect(parsePlan(read.text, options)).toEqual(parsePlan(decodeDocument(bytes, 'seed.txt'), options));
    }
    // A legal-text site's capture breaks the date line ("Lai Châu, ngày" / "19 tháng 11 năm 2025"): joined again.
    const capture = fs.readFileSync(path.join(CAPTURES, 'lai-chau_7360-KH-UBND_2025.md'));
    expect(parsePlan((await readUpload(capture, 'capture.md')).text).document).toMatchObject({ number: '7360/KH-UBND', issuedOn: '2025-11-19' });
    // What is not a document keeps the text refusals (415 plan-import.binary), whatever its name.
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64, 0)]);
    await expect(readUpload(exe, 'plan.docx')).rejects.toMatchObject({ importCode: 'plan-import.binary' });
  });

  it('reads and parses a .docx in a worker: the same ParsedPlan as reading it in process', async () => {
    const bytes = fs.readFileSync(path.join(FIXTURES, DOCX));
    const onOcr = jest.fn();
    const result = await pool.read(bytes, DOCX, { directory: readDirectory('ha-noi'), leaders: readLeaders('ha-noi'), onOcr });
    expect(result.format).toBe('docx');
    expect(result.parsed.tasks.length).toBeGreaterThan(0);
    const inProcess = parsePlan((await readUpload(bytes, DOCX)).text, { directory: readDirectory('ha-noi'), leaders: readLeaders('ha-noi'), document: DOCX });
    expect(JSON.parse(JSON.stringify(result.parsed))).toEqual(JSON.parse(JSON.stringify(inProcess)));
    expect(onOcr).not.toHaveBeenCalled();
  });

  it("tells when a read needs OCR and reports its pages (the import job's progress)", async () => {
    const events: string[] = [];
    const read = pool.read(fs.readFileSync(path.join(FIXTURES, SCAN)), SCAN, {
      directory: [],
      leaders: [],
      onOcr: () => events.push('ocr'),
      onProgress: (p) => events.push(`${p.pagesDone}/${p.pages}`),
    });
    // A header alone holds no task: the importer's refusal, after OCR read it.
    const outcome = await read.then(
      (r) => r,
      (e: unknown) => e,
    );
    expect(events).toEqual(['ocr', '1/1']);
    if (!(outcome instanceof ImportError)) expect(outcome).toMatchObject({ format: 'image', pages: 1 });
    // The import's preview shows what OCR could not read: the handwritten number, with its page.
    if (!(outcome instanceof ImportError)) {
      expect((outcome as { parsed: ParsedPlan }).parsed.warnings).toEqual(
        expect.arrayContaining([expect.objectContaining({ code: 'ocr-number-unreadable', page: 1 })]),
      );
    }
  });

  it("gives the reader's warnings in the parsed plan: a scan's handwritten number is ocr-number-unreadable, with its page", async () => {
    const upload = await readUpload(fs.readFileSync(path.join(FIXTURES, SCAN)), SCAN);
    expect(upload.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'ocr-number-unreadable', page: 1 })]));
    const parsed = parseUpload(upload, { directory: [], leaders: [], document: SCAN });
    const unreadable = parsed.warnings.find((w) => w.code === 'ocr-number-unreadable');
    expect(unreadable).toMatchObject({ page: 1, message: expect.stringContaining('Page 1') });
    // The parser's own warnings are kept beside them.
    expect(parsed.warnings.map((w) => w.code)).toContain('number-missing');
  });

  it('gives each task of a PDF read in a worker its page and region, as reading it in process does (the import preview marks it on the page)', async () => {
    const file = 'laocai_CV-UBND-KT-sochuadien_2026_chidao-giamsat-VLNCN.pdf';
    const bytes = fs.readFileSync(path.join(CORPUS, file));
    const result = await pool.read(bytes, file, { directory: readDirectory('ha-noi'), leaders: [] });
    expect(result.format).toBe('pdf');
    const inProcess = parseUpload(await readUpload(bytes, file), { directory: readDirectory('ha-noi'), leaders: [], document: file });
    expect(result.parsed.tasks.map((t) => t.source)).toEqual(inProcess.tasks.map((t) => t.source));
    const first = result.parsed.tasks.find((t) => t.title.startsWith('Rà soát các quy định hiện hành'));
    expect(first?.source).toEqual({
      line: expect.any(Number),
      page: 1,
      excerpt: expect.stringMatching(/^a\) Rà soát các quy định hiện hành/),
      region: expect.any(Object),
    });
    expect(result.parsed.tasks.every((t) => t.source.page !== undefined && t.source.region !== undefined)).toBe(true);
  });

  it("gives an OCR'd scan's lines their page and box: where OCR read them", async () => {
    const upload = await readUpload(fs.readFileSync(path.join(FIXTURES, SCAN)), SCAN);
    const lines = upload.text.split('\n');
    const placed = lines.map((line, i) => ({ line, source: upload.lineSources?.[i] ?? null })).filter((l) => l.line.trim() !== '' && l.line.trim() !== '|');
    expect(placed.length).toBeGreaterThan(3);
    for (const { source } of placed) {
      expect(source?.page).toBe(1);
      const { x, y, width, height } = source!.box!;
      expect(x >= 0 && y >= 0 && width > 0 && height > 0 && x + width <= 1 && y + height <= 1).toBe(true);
    }
    // The title "KẾ HOẠCH" (OCR reads "KÉ HOẠCH") sits below the two-column header: lower on the page than its first line.
    const title = placed.find((l) => /^K\S HOẠCH$/u.test(l.line.trim()));
    expect(title?.source?.box?.y).toBeGreaterThan(placed[0].source!.box!.y);
  });

  it("refuses a hostile .docx in the worker with the reader's DocumentReadError", async () => {
    const bomb = zipSync({ '[Content_Types].xml': new TextEncoder().encode('<Types/>'), 'word/document.xml': new Uint8Array(80 * 1024 * 1024) }, { level: 1 });
    const error = await pool.read(bomb, 'plan.docx', { directory: [], leaders: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentReadError);
    expect((error as DocumentReadError).code).toBe('document.hostile');
  });
});
