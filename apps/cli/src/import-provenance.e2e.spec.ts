// Issue 18 item 5: the import preview shows each task's source (the excerpt; for a PDF the page and the
// region on it), through POST /api/v1/imports?dryRun=true and mandate parse --json alike.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { signToken } from '@mandate/http';
import { embeddedDeployment, TEST_SECRET, type Deployment } from './testing/deployments';
import { runMandate } from './testing/mandate-process';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../../..');
const PDF = path.join(ROOT, 'libs/plan-import/fixtures/corpus/documents/laocai_CV-UBND-KT-sochuadien_2026_chidao-giamsat-VLNCN.pdf');
const DOCX = path.join(ROOT, 'libs/document-reader/fixtures/lamdong_KH-UBND-9669_2025_cchc-2026.docx');

type Source = { line: number; page?: number; excerpt?: string; region?: { x: number; y: number; width: number; height: number } };
type Task = { ref: string; title: string; source: Source };

let office: string;
beforeAll(async () => {
  office = await signToken(TEST_SECRET, { userId: 'office@ha-noi', role: 'office', agencyId: null, cityId: 'ha-noi' });
});

describe('the source of each task in the import preview', () => {
  let deployment: Deployment;
  beforeAll(async () => {
    deployment = await embeddedDeployment();
  });
  afterAll(async () => {
    await deployment?.stop();
  });

  const dryRun = async (file: string, contentType: string): Promise<{ status: number; tasks: Task[] }> => {
    const response = await fetch(`${deployment.url()}/api/v1/imports?city=ha-noi&dryRun=true&document=${path.basename(file)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${office}`, 'content-type': contentType },
      body: fs.readFileSync(file),
    });
    const body = (await response.json()) as { tasks: Task[] };
    return { status: response.status, tasks: body.tasks };
  };

  it('a text PDF: every task has its page, its region on the page and its excerpt; mandate parse --json gives the same', async () => {
    const { status, tasks } = await dryRun(PDF, 'application/pdf');
    expect(status).toBe(200);
    expect(tasks.length).toBeGreaterThan(10);
    const first = tasks.find((t) => t.title.startsWith('Rà soát các quy định hiện hành'))!;
    expect(first.source).toEqual({
      line: expect.any(Number),
      page: 1,
      excerpt: expect.stringMatching(/^a\) Rà soát các quy định hiện hành về quản lý VLNCN, TCTN/),
      region: { x: expect.any(Number), y: expect.any(Number), width: expect.any(Number), height: expect.any(Number) },
    });
    // The paragraph in the lower third of page 1.
    expect(first.source.region!.y).toBeGreaterThan(0.6);
    expect(tasks.every((t) => t.source.page !== undefined && t.source.region !== undefined && t.source.excerpt)).toBe(true);

    const cli = await runMandate(['parse', PDF, '--json', '--city', 'ha-noi'], { MANDATE_JWT_SECRET: TEST_SECRET });
    expect(cli.status).toBe(0);
    expect((JSON.parse(cli.stdout) as { tasks: Task[] }).tasks.map((t) => t.source)).toEqual(tasks.map((t) => t.source));
  });

  it('a .docx: every task has its excerpt, and no page or region (Word has no pages the reader knows)', async () => {
    const { status, tasks } = await dryRun(DOCX, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(status).toBe(200);
    expect(tasks.length).toBeGreaterThan(0);
    expect(
      tasks.every((t) => typeof t.source.excerpt === 'string' && t.source.excerpt.length > 0 && t.source.page === undefined && t.source.region === undefined),
    ).toBe(true);
  });
});
