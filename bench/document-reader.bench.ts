/**
 * `npm run bench -- document-reader`: the 60-row .docx (Kế hoạch 9669/KH-UBND, Lâm Đồng) read, rendered for
 * the parser and parsed, cold (the first time in the process) and warm (median of 20). Goal: < 0.3 s.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDocument, renderForParser } from '@mandate/document-reader';
import { parsePlan } from '@mandate/plan-import';

const file = join(__dirname, '..', 'libs', 'document-reader', 'fixtures', 'lamdong_KH-UBND-9669_2025_cchc-2026.docx');
const bytes = readFileSync(file);

const once = async (): Promise<{ read: number; total: number; outcome: string }> => {
  const start = performance.now();
  const doc = await readDocument(bytes, { fileName: 'plan.docx' });
  const text = renderForParser(doc);
  const read = performance.now() - start;
  let outcome: string;
  try {
    outcome = `${parsePlan(text).tasks.length} tasks`;
  } catch (error) {
    // The blank number of a pre-signature copy is refused by the parser of today (issue 18 item 2).
    outcome = `refused: ${(error as Error).message.slice(0, 60)}…`;
  }
  return { read, total: performance.now() - start, outcome };
};

const main = async (): Promise<void> => {
  const cold = await once();
  const runs: { read: number; total: number }[] = [];
  for (let i = 0; i < 20; i++) runs.push(await once());
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const ms = (value: number): string => `${value.toFixed(0)} ms`;
  console.log(`document-reader: 60-row .docx (${(bytes.length / 1024).toFixed(0)} KB), read + render + parse (${cold.outcome})`);
  console.log(`  cold: read+render ${ms(cold.read)}, with parse ${ms(cold.total)}`);
  console.log(
    `  warm median of 20: read+render ${ms(median(runs.map((run) => run.read)))}, with parse ${ms(median(runs.map((run) => run.total)))} (goal < 300 ms)`,
  );
};

void main();
