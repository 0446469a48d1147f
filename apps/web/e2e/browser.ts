// Test and bench only: Debian's Chromium driven by playwright-core, and the web app built for it.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '../../..');
export const CHROMIUM = process.env.MANDATE_CHROMIUM ?? '/usr/bin/chromium';
/** Screenshots of the main screens, kept as the browser tests' artefacts (not committed). */
export const SCREENSHOTS = path.join(ROOT, 'dist/web-screenshots');

/** Builds the web app when its sources are newer than the build (scripts/build-web.js). */
export const buildWebApp = (): void => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-web.js')], { cwd: ROOT, stdio: 'inherit' });
};

/**
 * Chromium headless as this machine runs it: no sandbox (root), no GPU, and none of the background
 * connections a closed network refuses (Playwright gives it a fresh profile).
 */
export const launchChromium = async (): Promise<Browser> => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: npm test installs Debian's package (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
};

/** Signs in through the dev token picker, as the embedded default offers it, in Hà Nội. */
export const signIn = async (page: Page, baseUrl: string, roleLabel: string, agencyName?: string): Promise<void> => {
  await page.goto(`${baseUrl}/signin`);
  await page.getByLabel('Thành phố', { exact: true }).selectOption({ label: 'Thành phố Hà Nội' });
  await page.getByLabel('Vai trò', { exact: true }).selectOption({ label: roleLabel });
  if (agencyName) await page.getByLabel('Cơ quan', { exact: true }).selectOption({ label: agencyName });
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByTestId('who').waitFor();
};

/**
 * The serious and critical WCAG 2 A/AA violations axe-core finds on the page, one line each. axe is
 * injected as a script: the page's context must be made with `bypassCSP` (the app's policy refuses it).
 */
export const axeViolations = async (page: Page, screen = page.url()): Promise<string[]> => {
  await page.waitForLoadState('networkidle');
  await page.addScriptTag({ content: fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
  const result = (await page.evaluate("axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] })")) as {
    violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
  };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${screen}: ${v.id} (${v.impact}) at ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    );
};
