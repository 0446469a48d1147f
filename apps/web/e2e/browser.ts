// Test and bench only: Debian's Chromium driven by playwright-core, and the web app built for it.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

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
