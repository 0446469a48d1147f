import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const SEED = path.join(ROOT, 'seeds/documents/bach-long-vi-35-KH-UBND-2024.txt');

const mandate = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/mandate.js'), ...args], { cwd: ROOT, encoding: 'utf8' });

/** The seed's truth as its reader counted it; `tasks` is what each test varies. */
const truth = (tasks: { min: number; max: number }) => ({
  number: '35/KH-UBND',
  issuedOn: '2024-03-21',
  issuer: 'Ủy ban nhân dân huyện Bạch Long Vĩ',
  genre: 'ke-hoach',
  tasks,
  sample: [{ titleStartsWith: 'Triển khai đầu tư xây dựng các dự án', lead: 'Phòng Kinh tế và Hạ tầng huyện', deadline: 'trong năm 2024-2025' }],
});

describe('mandate parse --report', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-report-'));
    fs.mkdirSync(path.join(dir, 'seeds'));
    fs.copyFileSync(SEED, path.join(dir, 'seeds', 'plan.txt'));
    fs.writeFileSync(path.join(dir, 'scan.pdf'), '%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<<>>\nendobj\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('compares each document with the truth beside it: in range, number and date exact, the sampled task found', () => {
    fs.writeFileSync(path.join(dir, 'seeds', 'plan.txt.truth.json'), JSON.stringify(truth({ min: 10, max: 30 })));
    const run = mandate(['parse', '--report', dir]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const row = run.stdout.split('\n').find((l) => l.startsWith('seeds/plan.txt'));
    expect(row).toMatch(/^seeds\/plan\.txt\s+text\s+\d+\s+10–30\s+in range\s+yes\s+yes\s+1\/1\/1 of 1/);
    // A format the parser cannot read yet is a row of its own, not a crash.
    expect(run.stdout).toMatch(/^scan\.pdf\s+pdf\s+unreadable: /m);
    expect(run.stdout).toMatch(/2 documents: 1 parsed, 1 unreadable \(pdf 1\), 0 refused/);
    expect(run.stdout).toMatch(/tasks in range 1, missed 0/);
  });

  it('says how many tasks were missed, and gives withinTruth per document in --json', () => {
    fs.writeFileSync(path.join(dir, 'seeds', 'plan.txt.truth.json'), JSON.stringify(truth({ min: 40, max: 50 })));
    const text = mandate(['parse', '--report', dir]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^seeds\/plan\.txt\s+text\s+(\d+)\s+40–50\s+missed \d+/m);
    const json = mandate(['parse', '--report', dir, '--json']);
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout);
    const plan = report.documents.find((d: { file: string }) => d.file === 'seeds/plan.txt');
    expect(plan.status).toBe('parsed');
    expect(plan.truth.tasks.verdict).toBe('missed');
    expect(plan.truth.tasks.missed).toBe(40 - plan.tasks);
    expect(plan.withinTruth).toBe(false);
    expect(plan.deadlineKinds).toEqual(expect.objectContaining({ continuous: expect.any(Number) }));
    expect(report.documents.find((d: { file: string }) => d.file === 'scan.pdf')).toEqual(expect.objectContaining({ status: 'unreadable', withinTruth: null }));
    expect(report.totals).toEqual(expect.objectContaining({ documents: 2, parsed: 1, unreadable: 1, tasksMissed: 1 }));
  });

  it("reads each document as mandate parse and the import do: a scan's row gives its pages and the reader's warnings by code", () => {
    const scan = path.join(ROOT, 'libs/document-reader/fixtures/bocongan_KH-996_2026_scan-p1-header.jpg');
    fs.copyFileSync(scan, path.join(dir, 'header.jpg'));
    const json = mandate(['parse', '--report', dir, '--json']);
    expect(json.status).toBe(0);
    const row = JSON.parse(json.stdout).documents.find((d: { file: string }) => d.file === 'header.jpg');
    expect(row).toEqual(expect.objectContaining({ format: 'image', pages: 1 }));
    // The handwritten number OCR could not read, as the import's preview shows it.
    expect(row.warnings).toEqual(expect.objectContaining({ 'ocr-number-unreadable': 1 }));
    const text = mandate(['parse', '--report', dir]);
    expect(text.stdout).toMatch(/^header\.jpg\s+image\s+1\s/m);
    expect(text.stdout).toMatch(/warnings: .*ocr-number-unreadable 1/);
  });

  it('refuses a truth file that does not fit the schema, naming it (exit 2)', () => {
    fs.writeFileSync(path.join(dir, 'seeds', 'plan.txt.truth.json'), JSON.stringify(truth({ min: 9, max: 3 })));
    const run = mandate(['parse', '--report', dir]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/plan\.txt\.truth\.json: tasks/);
  });
});
