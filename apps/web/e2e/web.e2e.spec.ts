// The web app in Debian's Chromium against the embedded platform: the lifecycle of a task done by
// clicking, in Vietnamese, and a screenshot of each main screen (dist/web-screenshots).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { signToken } from '@mandate/http';
import { embeddedDeployment, TEST_SECRET } from '../../cli/src/testing/deployments';
import { buildWebApp, launchChromium, SCREENSHOTS } from './browser';

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

  /** Signs in through the dev token picker, as the embedded default offers it. */
  const signIn = async (page: Page, roleLabel: string, agencyName?: string) => {
    await page.goto(`${deployment.url()}/signin`);
    await page.getByLabel('Thành phố', { exact: true }).selectOption({ label: 'Thành phố Hà Nội' });
    await page.getByLabel('Vai trò', { exact: true }).selectOption({ label: roleLabel });
    if (agencyName) await page.getByLabel('Cơ quan', { exact: true }).selectOption({ label: agencyName });
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByTestId('who').waitFor();
  };

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
    const agency = { authorization: `Bearer ${signToken(TEST_SECRET, { userId: 'stp', role: 'agency', cityId: 'ha-noi', agencyId: 'so-tu-phap' })}` };
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
    const page = await browser.newPage();
    await page.goto(`${deployment.url()}/plans/${task.planId}`);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
    await shot(page, '0-sign-in');
    await page.close();
  });

  it('takes a task from not started to completed by clicking: the agency starts, reports and submits; the office confirms', async () => {
    const officer = await browser.newPage({ viewport: { width: 390, height: 844 } }); // an agency officer on a phone
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

    const office = await browser.newPage({ viewport: { width: 1366, height: 900 } });
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
    const auditor = { authorization: `Bearer ${signToken(TEST_SECRET, { userId: 'tt', role: 'auditor', cityId: 'ha-noi', agencyId: null })}` };
    const history = (await (await fetch(`${deployment.url()}/api/v1/tasks/${task.id}/history`, { headers: auditor })).json()) as Json;
    const statuses = (history.items ?? history.events ?? history) as Json[];
    expect(JSON.stringify(statuses)).toMatch(/in_progress[\s\S]*submitted[\s\S]*completed/);
    const current = (await (await fetch(`${deployment.url()}/api/v1/tasks/${task.id}`, { headers: auditor })).json()) as Json;
    expect(current.status.code).toBe('completed');
  });

  it('shows the import page and the auditor page', async () => {
    const office = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(office, 'Văn phòng UBND');
    await office.getByRole('link', { name: 'Nhập văn bản' }).click();
    await office.getByRole('heading', { name: 'Nhập kế hoạch, chỉ thị' }).waitFor();
    await shot(office, '5-import');
    await office.close();

    const auditor = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(auditor, 'Thanh tra');
    await auditor.getByRole('link', { name: 'Thanh tra' }).click();
    await auditor.getByRole('heading', { name: 'Thanh tra, kiểm tra lịch sử' }).waitFor();
    await auditor.getByRole('button', { name: 'Kiểm tra toàn vẹn' }).click();
    await auditor.waitForLoadState('networkidle');
    await shot(auditor, '6-audit');
    await auditor.close();
  });
});
