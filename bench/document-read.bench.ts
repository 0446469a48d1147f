// The slow document readers (libs/document-reader): a 20-page text PDF (poppler, positioned text into
// lines, paragraphs and tables; goal < 3 s) and OCR seconds per page (pdftoppm 300 dpi + tesseract vie,
// one thread per tesseract, two pages at a time) on the corpus scan when it is there, else on the
// tests' scan fixture.
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { readPdf } from '../libs/document-reader/src/pdf';
import { makeImagePdf, makeTextPdf } from '../libs/document-reader/src/testing/make-pdf';

const TEXT_PAGES = 20;
const TEXT_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TEXT_GOAL_MS = 3000;
const CORPUS_SCAN = join(__dirname, '..', '..', 'shared', 'corpus', 'documents', 'bocongan_KH-996-TCTLNTW-C04_2026_scan.pdf');
const FIXTURE_SCAN = join(__dirname, '..', 'libs', 'document-reader', 'fixtures', 'bocongan_KH-996_2026_scan-p1-header.jpg');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

(async () => {
  console.log(`document-read bench on ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'})`);
  const text = await makeTextPdf({ pages: TEXT_PAGES });
  const times: number[] = [];
  let blocks = 0;
  for (let round = 0; round < TEXT_ROUNDS + 1; round++) {
    const started = performance.now();
    const doc = await readPdf(text);
    if (round > 0) times.push(performance.now() - started);
    blocks = doc.blocks.length;
    if (doc.warnings.length > 0) throw new Error(`the text PDF was not read from its text layer: ${JSON.stringify(doc.warnings)}`);
  }
  const textMs = median(times);
  console.log(
    `text PDF, ${TEXT_PAGES} pages (${(text.length / 1024).toFixed(0)} KB, ${blocks} blocks): median ${textMs.toFixed(0)} ms of ${TEXT_ROUNDS} (goal < ${TEXT_GOAL_MS} ms) ${textMs < TEXT_GOAL_MS ? 'ok' : 'OVER'}`,
  );

  const scan = existsSync(CORPUS_SCAN) ? readFileSync(CORPUS_SCAN) : await makeImagePdf(readFileSync(FIXTURE_SCAN));
  const started = performance.now();
  const done: number[] = [];
  const doc = await readPdf(scan, { onProgress: () => done.push(performance.now() - started) });
  const seconds = (performance.now() - started) / 1000;
  const read = doc.warnings.filter((w) => w.code === 'page-ocr').length;
  const confidences = doc.blocks.flatMap((b) => (b.kind !== 'page-break' && b.from?.confidence !== undefined ? [b.from.confidence] : []));
  console.log(
    `OCR ${existsSync(CORPUS_SCAN) ? 'corpus scan' : 'fixture scan'}: ${doc.pages} pages (${read} with text, ${doc.pages! - read} blank) in ${seconds.toFixed(1)} s = ` +
      `${(seconds / doc.pages!).toFixed(2)} s/page wall, ${(seconds / Math.max(read, 1)).toFixed(2)} s per page with text; ` +
      `median block confidence ${median(confidences).toFixed(3)}; pages done at ${done.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s; warnings: ${doc.warnings.map((w) => `${w.code}@${w.page}`).join(' ')}`,
  );
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
