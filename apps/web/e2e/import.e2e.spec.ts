// The import page in Debian's Chromium against the embedded platform (issue 18 item 5): a Word file and
// a scanned PDF uploaded as they are, read by the server (the scan by OCR, its progress shown), reviewed
// and corrected by the office, confirmed; the plan holds the corrections and its log says who made them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { signToken } from '@mandate/http';
import { embeddedDeployment, TEST_SECRET } from '../../cli/src/testing/deployments';
import { axeViolations, buildWebApp, launchChromium, SCREENSHOTS, signIn } from './browser';

jest.setTimeout(240_000);
type Json = Record<string, any>;

const CORPUS = path.resolve(__dirname, '../../../libs/plan-import/fixtures/corpus/documents');
/** A Word copy before signing: "Số: /BCĐ" and "ngày tháng 8 năm 2025" left blank, 17 tasks. */
const DOCX = path.join(CORPUS, 'lamdong_CV-BCD-sochuadien_2025_nhiemvu-chinhquyen-2cap.docx');
/** A scan without a text layer (4 pages, read two at a time), its number and day handwritten. */
const SCAN = path.join(CORPUS, 'bocongan_KH-996-TCTLNTW-C04_2026_scan.pdf');

describe('The import page: upload any format, review, correct, confirm', () => {
  let deployment: Awaited<ReturnType<typeof embeddedDeployment>>;
  let browser: Browser;
  const as = async (role: 'office' | 'auditor') => ({
    authorization: `Bearer ${await signToken(TEST_SECRET, { userId: `${role}-import`, role, cityId: 'ha-noi', agencyId: null })}`,
  });
  const get = async (url: string, role: 'office' | 'auditor' = 'office'): Promise<Json> => {
    const response = await fetch(`${deployment.url()}${url}`, { headers: await as(role) });
    expect(response.status).toBe(200);
    return (await response.json()) as Json;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  /** Opens the import page as the office and sends the file for a preview (`bypassCSP`: lets axe be injected). */
  const upload = async (file: string, options: { bypassCSP?: boolean } = {}) => {
    const context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 1366, height: 900 }, bypassCSP: options.bypassCSP ?? false });
    const page = await context.newPage();
    await signIn(page, deployment.url(), 'Văn phòng UBND');
    await page.getByRole('link', { name: 'Nhập văn bản' }).click();
    await page.getByRole('heading', { name: 'Nhập kế hoạch, chỉ thị' }).waitFor();
    // Every format is sent as it is: the server reads it (the old page refused PDFs and converted Word itself).
    const sent = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/imports' && r.method() === 'POST');
    await page.getByLabel('Chọn văn bản').setInputFiles(file);
    await page.getByRole('button', { name: 'Xem trước' }).click();
    expect((await sent).headers()['content-type']).toMatch(/^multipart\/form-data/);
    return page;
  };

  /** Confirms the review; answers the confirm response and the plan it imported. */
  const confirm = async (page: Page): Promise<{ response: Response; planId: string }> => {
    const answered = page.waitForResponse((r) => /^\/api\/v1\/imports\/[^/]+\/confirm$/.test(new URL(r.url()).pathname) && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Xác nhận nhập' }).click();
    const response = await answered;
    await page.getByTestId('import-result').waitFor();
    const link = page.getByRole('link', { name: 'Mở kế hoạch' });
    const planId = (await link.getAttribute('href'))!.split('/').pop()!;
    return { response, planId };
  };

  /** The PlanImportReviewed events of the plan's log (the auditor's view of its history). */
  const reviews = async (planId: string) =>
    ((await get(`/api/v1/audit/plans/${planId}/history`, 'auditor')).items as Json[]).filter((e) => e.type === 'PlanImportReviewed');

  beforeAll(async () => {
    buildWebApp();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    deployment = await embeddedDeployment();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await deployment?.stop();
  });

  it('imports a Word copy before signing: the office fills its number and date, changes a lead, drops a row and adds a task; the log records the corrections', async () => {
    const page = await upload(DOCX, { bypassCSP: true });
    await page.getByRole('heading', { name: 'Văn bản đọc được' }).waitFor();

    // The blank number, with its warning and line, is filled in.
    const number = page.getByLabel('Số hiệu', { exact: true });
    expect(await number.inputValue()).toBe('');
    await page
      .locator('.import-field')
      .filter({ has: number })
      .getByText(/^Dòng \d+: /)
      .waitFor();
    await number.fill('1450/BCĐ');
    await page.getByLabel('Ngày ban hành', { exact: true }).fill('2025-08-20');

    // The first task: its source excerpt beside it (a Word file has no page image), then its lead changed.
    const row = page.locator('table.import-tasks tbody tr[data-ref]').first();
    const ref = (await row.getAttribute('data-ref'))!;
    const title = (await row.locator('td').nth(2).innerText()).split('\n')[0];
    await row.locator('.import-source summary').click();
    expect(await row.locator('.import-excerpt').innerText()).toContain(title.slice(0, 40));
    expect(await row.getByRole('button', { name: /^Xem trang/ }).count()).toBe(0);
    await row.getByRole('button', { name: `Sửa nhiệm vụ ${ref}` }).click();
    const editor = page.locator('tr.import-edit');
    await editor.getByLabel('Chủ trì', { exact: true }).fill('Sở Tư pháp');
    await editor.getByRole('button', { name: 'Xong' }).click();
    await row.locator('td.import-changed').filter({ hasText: 'Sở Tư pháp' }).waitFor();

    // The last row dropped (say it is not a task), and a task the importer missed added.
    const last = page.locator('table.import-tasks tbody tr[data-ref]').last();
    const dropped = (await last.getAttribute('data-ref'))!;
    await last.getByRole('button', { name: `Bỏ nhiệm vụ ${dropped}` }).click();
    await page.locator(`tr.import-dropped[data-ref="${dropped}"]`).waitFor();
    await page.getByRole('button', { name: 'Thêm nhiệm vụ' }).click();
    const adding = page.locator('tr.import-edit');
    await adding.getByLabel('Nhiệm vụ', { exact: true }).fill('Báo cáo kết quả thực hiện về Ban Chỉ đạo');
    await adding.getByLabel('Chủ trì', { exact: true }).fill('Sở Nội vụ');
    await adding.getByLabel(/^Thời hạn/).fill('31/12/2025');
    await adding.getByRole('button', { name: 'Xong' }).click();
    await page.locator('tr.import-added[data-ref="+1"]').filter({ hasText: 'Báo cáo kết quả thực hiện về Ban Chỉ đạo' }).waitFor();

    // What was changed, before confirming.
    const changes = page.getByTestId('import-changes').locator('li');
    expect(await changes.count()).toBe(5);
    expect(await page.getByTestId('import-changes').innerText()).toMatch(
      new RegExp(
        `Số hiệu: \\(trống\\) → 1450/BCĐ[\\s\\S]*Chủ trì: .+ → Sở Tư pháp\\nNhiệm vụ ${dropped.replace(/\./g, '\\.')}: bỏ \\(.+\\)\\nthêm \\+1: Báo cáo kết quả`,
      ),
    );
    await shot(page, '7-import-review-docx');
    // The review with a task open for editing meets WCAG 2 A/AA as the other screens do (web.e2e.spec.ts).
    await row.getByRole('button', { name: `Sửa nhiệm vụ ${ref}` }).click();
    expect(await axeViolations(page)).toEqual([]);
    await editor.getByRole('button', { name: 'Xong' }).click();

    const { response, planId } = await confirm(page);
    expect(response.status()).toBe(201);
    await page.getByText('Đã nhập kế hoạch 1450/BCĐ').waitFor();
    await page
      .getByTestId('import-result')
      .getByText(/5 chỗ sửa khi xem lại được ghi vào lịch sử kế hoạch/)
      .waitFor();
    await shot(page, '8-import-done');
    await page.context().close();

    const plan = await get(`/api/v1/plans/${planId}`);
    expect(plan.number).toBe('1450/BCĐ');
    expect(plan.issuedOn).toBe('2025-08-20');
    const tasks = (await get(`/api/v1/plans/${planId}/tasks?limit=1000`)).items as Json[];
    expect(tasks.find((t) => t.ref === ref)?.lead?.agencyId).toBe('so-tu-phap');
    expect(tasks.find((t) => t.ref === dropped)).toBeUndefined();
    const addedTask = tasks.find((t) => t.title === 'Báo cáo kết quả thực hiện về Ban Chỉ đạo');
    expect(addedTask).toMatchObject({ lead: { agencyId: 'so-noi-vu' }, deadline: { due: '2025-12-31' } });
    const [review, ...more] = await reviews(planId);
    expect(more).toEqual([]);
    expect(review.data.reviewedBy).toBeTruthy();
    expect((review.data.changes as Json[]).map((c) => c.path).sort()).toEqual(
      ['add.+1', 'document.issuedOn', 'document.number', `tasks.${dropped}`, `tasks.${ref}.lead`].sort(),
    );
  });

  it('imports a scan: the OCR progress shows, the office sees the page where a task was read and fills the handwritten number', async () => {
    const page = await upload(SCAN);
    // 202 and a job: the progress bar, its pages counted as they are read, until all are.
    await page.getByTestId('import-progress').waitFor();
    await page.getByText(/^Đang nhận dạng chữ bản quét: trang [123]\/4$/).waitFor({ timeout: 60_000 });
    await page.getByRole('heading', { name: 'Văn bản đọc được' }).waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('import-progress').count()).toBe(0);

    // The handwritten number did not read: its warning names the page; the office types it.
    const number = page.getByLabel('Số hiệu', { exact: true });
    await page
      .locator('.import-field')
      .filter({ has: number })
      .getByText(/^Trang 1: /)
      .first()
      .waitFor();
    await number.fill('996/KH-TCTLNTW-C04');
    await page.getByLabel('Ngày ban hành', { exact: true }).fill('2026-02-24');

    // A task read from a page: its excerpt, and the page image with the task's region marked over it.
    const row = page
      .locator('table.import-tasks tbody tr[data-ref]')
      .filter({ has: page.locator('.import-source') })
      .first();
    await row.locator('.import-source summary').click();
    expect((await row.locator('.import-excerpt').innerText()).length).toBeGreaterThan(20);
    const pageButton = row.getByRole('button', { name: /^Xem trang \d$/ });
    const pageNumber = Number((await pageButton.innerText()).replace(/\D/g, ''));
    const image = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith(`/pages/${pageNumber}`));
    await pageButton.click();
    const imageResponse = await image;
    expect(imageResponse.status()).toBe(200);
    expect(imageResponse.headers()['content-type']).toMatch(/^image\/png/);
    const shown = page.locator(`tr.import-page-row[data-ref-page="${await row.getAttribute('data-ref')}"]`);
    const img = shown.locator('.import-page-image img');
    await img.waitFor();
    // Drawn (the page's Content-Security-Policy lets blob: images in), and the region over it.
    await page.waitForFunction((el) => (el as any).complete && (el as any).naturalWidth > 0, await img.elementHandle());
    const box = await shown.getByTestId('import-region').boundingBox();
    const frame = await img.boundingBox();
    expect(box!.width).toBeGreaterThan(10);
    expect(box!.height).toBeGreaterThan(3);
    expect(box!.x).toBeGreaterThanOrEqual(frame!.x);
    expect(box!.y + box!.height).toBeLessThanOrEqual(frame!.y + frame!.height + 1);
    // The table keeps to the screen's width with a page and an excerpt open (its columns all visible).
    expect(
      await page.evaluate("(() => { const t = document.querySelector('table.import-tasks'); return t.scrollWidth - t.parentElement.clientWidth; })()"),
    ).toBeLessThanOrEqual(1);
    await shot(page, '9-import-review-scan');

    const { response, planId } = await confirm(page);
    expect(response.status()).toBe(201);
    await page.getByText('Đã nhập kế hoạch 996/KH-TCTLNTW-C04').waitFor();
    await page.context().close();

    const plan = await get(`/api/v1/plans/${planId}`);
    expect(plan.number).toBe('996/KH-TCTLNTW-C04');
    const [review] = await reviews(planId);
    expect((review.data.changes as Json[]).map((c) => c.path)).toEqual(expect.arrayContaining(['document.number', 'document.issuedOn']));
  });

  it('says why a document could not be read: a reading job that failed, a file that is not a document', async () => {
    const context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await signIn(page, deployment.url(), 'Văn phòng UBND');
    await page.goto(`${deployment.url()}/import`);
    await page.getByRole('heading', { name: 'Nhập kế hoạch, chỉ thị' }).waitFor();

    // A reading that fails after its first page (as an OCR past its time limit does), the API played here.
    const job = { id: 'job-e2e', state: 'reading', document: 'scan.pdf', dryRun: true, pagesDone: 0, pages: null };
    let polls = 0;
    await page.route(/\/api\/v1\/imports(\?|\/job-e2e$)/, (route) => {
      if (route.request().method() === 'POST')
        return route.fulfill({ status: 202, contentType: 'application/json', headers: { location: `/api/v1/imports/${job.id}` }, body: JSON.stringify(job) });
      polls++;
      const failed = {
        state: 'failed',
        error: { type: 'https://mandate.dev/problems/document.timeout', title: 'Unprocessable Entity', status: 422, detail: 'Reading took longer than 120 s' },
      };
      return route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ...job, pagesDone: 1, pages: 3, ...(polls > 2 ? failed : {}) }) });
    });
    await page.getByLabel('Chọn văn bản').setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n') });
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await page.getByText('Đang nhận dạng chữ bản quét: trang 1/3').waitFor();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Không đọc được văn bản: Văn bản mất quá nhiều thời gian để đọc. (Chi tiết: Reading took longer than 120 s)' })
      .waitFor();
    expect(await page.getByTestId('import-progress').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Xem trước' }).isEnabled()).toBe(true);
    await page.unrouteAll();

    // A program renamed .docx: the server refuses it, the page says so in the office's words and the server's.
    const program = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(64, 0xff)]);
    await page.getByLabel('Chọn văn bản').setInputFiles({ name: 'ke-hoach.docx', mimeType: 'application/octet-stream', buffer: program });
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /^Không đọc được văn bản: .+ \(Chi tiết: .+\)$/ })
      .waitFor();
    expect(await page.getByRole('heading', { name: 'Văn bản đọc được' }).count()).toBe(0);
    await context.close();
  });
});
