// The web app in Debian's Chromium against the embedded platform: the lifecycle of a task done by
// clicking, in Vietnamese, and a screenshot of each main screen (dist/web-screenshots).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { signToken } from '@mandate/http';
import { syntheticPlan } from '@mandate/plan-import';
import { embeddedDeployment, TEST_SECRET } from '../../cli/src/testing/deployments';
import { axeViolations, buildWebApp, launchChromium, SCREENSHOTS, signIn as signInAs } from './browser';

jest.setTimeout(240_000);
type Json = Record<string, any>;

describe('The web app, by clicking, in Vietnamese', () => {
  let deployment: Awaited<ReturnType<typeof embeddedDeployment>>;
  let browser: Browser;
  let task: { id: string; title: string; planId: string };
  let planNumber: string;

  const shot = async (page: Page, name: string) => {
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };

  const signIn = (page: Page, roleLabel: string, agencyName?: string) => signInAs(page, deployment.url(), roleLabel, agencyName);

  /** Opens an action's form, writes what it asks and sends it; waits for the success message. */
  const act = async (page: Page, action: string, fields: Record<string, string>) => {
    await page.getByRole('button', { name: action, exact: true }).click();
    for (const [fieldLabel, value] of Object.entries(fields)) await page.getByLabel(fieldLabel, { exact: true }).fill(value);
    await page.getByRole('button', { name: 'Gửi', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /./ }).first().waitFor();
  };

  beforeAll(async () => {
    buildWebApp();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    deployment = await embeddedDeployment();
    browser = await launchChromium();
    // The scenario's task: one Sở Tư pháp leads in Hà Nội that has not started.
    const agency = { authorization: `Bearer ${await signToken(TEST_SECRET, { userId: 'stp', role: 'agency', cityId: 'ha-noi', agencyId: 'so-tu-phap' })}` };
    const queue = (await (await fetch(`${deployment.url()}/api/v1/agencies/so-tu-phap/tasks`, { headers: agency })).json()) as Json;
    const led = (queue.items as Json[]).find((t) => t.relation === 'lead' && t.status === 'not_started');
    expect(led).toBeDefined();
    task = { id: led!.taskId ?? led!.id, title: led!.title, planId: led!.planId };
    const plan = (await (await fetch(`${deployment.url()}/api/v1/plans/${task.planId}`, { headers: agency })).json()) as Json;
    planNumber = plan.number;
  });
  afterAll(async () => {
    await browser?.close();
    await deployment?.stop();
  });

  it('serves the app at / in Vietnamese, and its deep links', async () => {
    const page = await browser.newPage({ locale: 'vi-VN' });
    await page.goto(`${deployment.url()}/plans/${task.planId}`);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
    await shot(page, '0-sign-in');
    await page.close();
  });

  it('takes a task from not started to completed by clicking: the agency starts, reports and submits; the office confirms', async () => {
    const officer = await browser.newPage({ locale: 'vi-VN', viewport: { width: 390, height: 844 } }); // an agency officer on a phone
    await signIn(officer, 'Cơ quan, đơn vị', 'Sở Tư pháp');
    await officer.getByRole('heading', { name: 'Nhiệm vụ của tôi' }).waitFor();
    await shot(officer, '1-inbox-phone');
    await officer.getByRole('link', { name: task.title }).first().click();
    await officer.getByRole('heading', { level: 1 }).waitFor();
    await act(officer, 'Bắt đầu thực hiện', { 'Nội dung': 'Đã phân công phòng chuyên môn' });
    await officer.getByText('Đang thực hiện').first().waitFor();
    await act(officer, 'Báo cáo tiến độ', { 'Tỷ lệ hoàn thành (%)': '60', 'Nội dung': 'Đã dự thảo văn bản' });
    await act(officer, 'Báo cáo hoàn thành', { 'Nội dung': 'Đã ban hành văn bản số 12/STP' });
    await officer.getByText('Chờ xác nhận').first().waitFor();
    await officer.close();

    const office = await browser.newPage({ locale: 'vi-VN', viewport: { width: 1366, height: 900 } });
    await signIn(office, 'Văn phòng UBND');
    await office.getByRole('heading', { name: 'Tổng quan thực hiện nhiệm vụ' }).waitFor();
    await office.waitForLoadState('networkidle');
    await shot(office, '2-dashboard');
    await office.getByRole('link', { name: 'Kế hoạch', exact: true }).click();
    await office.getByRole('link', { name: planNumber }).first().click();
    await office.getByRole('link', { name: task.title }).first().waitFor();
    await office.waitForLoadState('networkidle');
    await shot(office, '3-plan');
    await office.getByRole('link', { name: task.title }).first().click();
    await act(office, 'Xác nhận hoàn thành', { 'Nội dung': 'Kết quả đạt yêu cầu' });
    await office.getByText('Hoàn thành').first().waitFor();
    await office.waitForLoadState('networkidle');
    await shot(office, '4-task');
    await office.close();

    // The log agrees: four status changes, by the agency and then the office.
    const auditor = { authorization: `Bearer ${await signToken(TEST_SECRET, { userId: 'tt', role: 'auditor', cityId: 'ha-noi', agencyId: null })}` };
    const history = (await (await fetch(`${deployment.url()}/api/v1/tasks/${task.id}/history`, { headers: auditor })).json()) as Json;
    const statuses = (history.items ?? history.events ?? history) as Json[];
    expect(JSON.stringify(statuses)).toMatch(/in_progress[\s\S]*submitted[\s\S]*completed/);
    const current = (await (await fetch(`${deployment.url()}/api/v1/tasks/${task.id}`, { headers: auditor })).json()) as Json;
    expect(current.status.code).toBe('completed');
  });

  it('meets WCAG 2 A/AA on every main screen (axe-core): labels, names, contrast, landmarks', async () => {
    // axe is injected as a script: this context only lets it past the app's Content-Security-Policy.
    const context = await browser.newContext({ locale: 'vi-VN', bypassCSP: true, viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const found: string[] = [];
    await page.goto(`${deployment.url()}/signin`);
    await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
    found.push(...(await axeViolations(page, 'sign-in')));
    await signIn(page, 'Văn phòng UBND');
    const screens: [string, string, string][] = [
      ['dashboard', '/', 'Tổng quan thực hiện nhiệm vụ'],
      ['plans', '/plans', 'Kế hoạch, chỉ thị'],
      ['plan', `/plans/${task.planId}`, planNumber],
      ['task', `/tasks/${task.id}`, task.title],
      ['import', '/import', 'Nhập kế hoạch, chỉ thị'],
      ['reports', '/reports', 'Báo cáo định kỳ'],
      ['audit', '/audit', 'Thanh tra, kiểm tra lịch sử'],
      ['directory', '/directory', 'Danh bạ cơ quan, đơn vị'],
    ];
    for (const [screen, url, heading] of screens) {
      await page.goto(`${deployment.url()}${url}`);
      await page.getByRole('heading', { level: 1, name: heading }).first().waitFor();
      found.push(...(await axeViolations(page, screen)));
    }
    await context.close();
    expect(found).toEqual([]);
  });

  it('switches to English and back, keeping the screen', async () => {
    const page = await browser.newPage({ locale: 'vi-VN', viewport: { width: 1366, height: 900 } });
    await signIn(page, 'Văn phòng UBND');
    await page.getByRole('heading', { name: 'Tổng quan thực hiện nhiệm vụ' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Task overview' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('link', { name: 'Plans', exact: true }).click();
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('heading', { name: 'Kế hoạch, chỉ thị' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await page.close();
  });

  it('shows the import page and the auditor page', async () => {
    const office = await browser.newPage({ locale: 'vi-VN', viewport: { width: 1366, height: 900 } });
    await signIn(office, 'Văn phòng UBND');
    await office.getByRole('link', { name: 'Nhập văn bản' }).click();
    await office.getByRole('heading', { name: 'Nhập kế hoạch, chỉ thị' }).waitFor();
    // A real document, previewed (a dry run: nothing is imported): its tasks and the importer's warnings.
    await office.getByLabel('Chọn văn bản').setInputFiles(path.resolve(__dirname, '../../../seeds/documents/ha-noi-183-KH-UBND-2021.txt'));
    await office.getByRole('button', { name: 'Xem trước' }).click();
    const number = office.getByLabel('Số hiệu', { exact: true });
    await number.waitFor();
    expect(await number.inputValue()).toBe('183/KH-UBND');
    await office
      .getByText(/^Dòng \d+/)
      .first()
      .waitFor();
    await shot(office, '5-import');
    await office.close();

    const auditor = await browser.newPage({ locale: 'vi-VN', viewport: { width: 1366, height: 900 } });
    await signIn(auditor, 'Thanh tra');
    await auditor.getByRole('link', { name: 'Thanh tra' }).click();
    await auditor.getByRole('heading', { name: 'Thanh tra, kiểm tra lịch sử' }).waitFor();
    await auditor.getByRole('button', { name: 'Kiểm tra toàn vẹn' }).click();
    await auditor.waitForLoadState('networkidle');
    await shot(auditor, '6-audit');
    await auditor.close();
  });

  it('keeps the directory by clicking: figures and a table, a CSV imported after its preview, a merger, a leader', async () => {
    const page = await browser.newPage({ locale: 'vi-VN', viewport: { width: 1366, height: 900 } });
    await signIn(page, 'Văn phòng UBND');
    await page.getByRole('link', { name: 'Danh bạ' }).click();
    await page.getByRole('heading', { level: 1, name: 'Danh bạ cơ quan, đơn vị' }).waitFor();
    await page.getByRole('cell', { name: 'Sở Tư pháp', exact: true }).waitFor();
    await page.getByLabel('Tệp danh bạ').setInputFiles({
      name: 'danh-ba.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Mã,"Tên cơ quan, đơn vị",Loại,Tên khác\nban-chuyen-doi-so,Ban Chỉ đạo chuyển đổi số,Khác,BCĐ CĐS\n'),
    });
    await page.getByRole('button', { name: 'Xem trước thay đổi' }).click();
    await page.getByText('Tệp sẽ: thêm 1, đổi tên 0, thêm 0 tên khác, chuyển 0 đơn vị.').waitFor();
    // Nothing changed by the preview.
    expect(await page.getByRole('cell', { name: 'Ban Chỉ đạo chuyển đổi số', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Cập nhật danh bạ' }).click();
    await page.getByText('Đã cập nhật danh bạ: thêm 1, đổi tên 0, thêm 0 tên khác, chuyển 0 đơn vị.').waitFor();
    await page.getByRole('cell', { name: 'Ban Chỉ đạo chuyển đổi số', exact: true }).waitFor();

    await page.getByLabel('Cơ quan bị sáp nhập').selectOption({ label: 'Ban Chỉ đạo chuyển đổi số' });
    await page.getByLabel('Cơ quan tiếp nhận').selectOption('van-phong-ubnd');
    await page.getByLabel('Từ ngày').fill('2025-07-01');
    await page.getByLabel('Căn cứ, lý do').fill('Quyết định kiện toàn Ban Chỉ đạo');
    await page.getByRole('button', { name: 'Sáp nhập', exact: true }).click();
    await page.getByText('Đã sáp nhập; 0 nhiệm vụ được giao cho cơ quan tiếp nhận.').waitFor();
    await page.getByText(/^Sáp nhập vào Văn phòng UBND thành phố Hà Nội từ 01\/07\/2025$/).waitFor();

    // The UBND's leaders: the seeded ones listed, one more added by the office.
    await page.getByRole('heading', { level: 2, name: 'Lãnh đạo UBND' }).waitFor();
    await page.getByRole('cell', { name: 'Nguyễn Trọng Đông', exact: true }).waitFor();
    await page.getByLabel('Họ và tên', { exact: true }).fill('Trần Sỹ Thanh');
    await page.getByLabel('Chức danh', { exact: true }).fill('Chủ tịch UBND Thành phố');
    await page.getByLabel('Lĩnh vực phụ trách (cách nhau bởi ;)').fill('Quy hoạch; Tài chính');
    await page.getByRole('button', { name: 'Thêm lãnh đạo', exact: true }).click();
    await page.getByText('Đã thêm Trần Sỹ Thanh vào danh bạ.').waitFor();
    await page.getByRole('cell', { name: 'Trần Sỹ Thanh', exact: true }).waitFor();
    await page.getByRole('cell', { name: 'Quy hoạch; Tài chính', exact: true }).waitFor();
    await shot(page, '7-directory');
    await page.close();
  });

  it('sends a cold load whose token the server refuses to the sign-in page (its requests were asked before the app listened)', async () => {
    const page = await browser.newPage({ locale: 'vi-VN' });
    const actor = { userId: 'office-gone', role: 'office' as const, cityId: 'ha-noi', agencyId: null };
    const refused = await signToken('a-secret-this-deployment-does-not-use-0123456789', actor);
    await page.addInitScript((session) => (globalThis as any).sessionStorage.setItem('mandate.session', session), JSON.stringify({ token: refused, actor }));
    await page.goto(`${deployment.url()}/plans/${task.planId}`);
    await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/signin');
    await page.close();
  });

  it('opens a long plan by its address: a first screen of rows in one go and the rest after it, its search, each resource asked once', async () => {
    // Imported last: the screens above see the seeds only.
    const TASKS = 300;
    const office = { authorization: `Bearer ${await signToken(TEST_SECRET, { userId: 'office-long', role: 'office', cityId: 'ha-noi', agencyId: null })}` };
    const form = new FormData();
    form.append('file', new Blob([syntheticPlan(TASKS, '300/KH-UBND')], { type: 'text/plain' }), 'ke-hoach-300.txt');
    const imported = (await (await fetch(`${deployment.url()}/api/v1/imports?city=ha-noi`, { method: 'POST', headers: office, body: form })).json()) as Json;
    expect(imported.planId).toBeDefined();

    const page = await browser.newPage({ locale: 'vi-VN', viewport: { width: 1366, height: 900 } });
    await signIn(page, 'Văn phòng UBND');
    // A cold load of the plan's address: the entry asks its data and code before React starts, and the
    // screen takes those answers instead of asking again.
    const asked: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      // Asked by the plan's page only: the dashboard signing in lands on may still be asking for the
      // new plan's overdue tasks (it lists every plan with some) when the plan's address is opened.
      const by = new URL(request.frame().url()).pathname;
      if (url.pathname.startsWith(`/api/v1/plans/${imported.planId}`) && by.startsWith('/plans/')) asked.push(url.pathname + url.search);
    });
    // How many rows the first drawing of the table holds (a MutationObserver sees each commit as a whole).
    await page.addInitScript(() => {
      const w = globalThis as any;
      new w.MutationObserver((_: unknown, observer: { disconnect(): void }) => {
        const drawn = w.document.querySelectorAll('table.plan-table a[href^="/tasks/"]').length;
        if (drawn > 0) {
          w.__firstRows = drawn;
          observer.disconnect();
        }
      }).observe(w.document, { childList: true, subtree: true });
    });
    await page.goto(`${deployment.url()}/plans/${imported.planId}`);
    const rows = page.locator('table.plan-table a[href^="/tasks/"]');
    await rows.first().waitFor();
    const first = await page.evaluate(() => (globalThis as any).__firstRows as number);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(TASKS); // the rest follow in steps, so the first screen is not kept waiting
    const search = page.getByLabel('Tìm kiếm', { exact: true });
    await search.fill('nội dung số 300:');
    await page.getByText(`Hiển thị 1 trên ${TASKS} nhiệm vụ`).waitFor();
    await page.getByRole('link', { name: /^Triển khai nội dung số 300:/ }).waitFor();
    expect(await rows.count()).toBe(1);

    await search.fill('');
    await page.getByText(`Hiển thị ${TASKS} trên ${TASKS} nhiệm vụ`).waitFor();
    await page.locator('table.plan-table:not([aria-busy])').waitFor();
    expect(await rows.count()).toBe(TASKS);
    // The appendix's groups in document order: 300 tasks come as six groups of 50.
    expect(await page.locator('table.plan-table th.group-title').count()).toBe(6);
    expect(asked.sort()).toEqual(
      [
        `/api/v1/plans/${imported.planId}`,
        `/api/v1/plans/${imported.planId}/counts`,
        `/api/v1/plans/${imported.planId}/counts?by=supervisor`,
        `/api/v1/plans/${imported.planId}/tasks?limit=1000`,
      ].sort(),
    );

    // An address the entry cannot decode still opens the app (the screen then says the plan is not found).
    await page.goto(`${deployment.url()}/plans/%E0%A4%A`);
    await page.getByTestId('who').waitFor();
    await page.locator('main').getByRole('alert').first().waitFor();
    await page.close();
  });
});
