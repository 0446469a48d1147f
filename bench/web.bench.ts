// The web app's plan page with 500 tasks, in Debian's Chromium on this machine: how long until it is
// interactive (every row shown and the search box answering a keystroke), against a baseline in the
// same browser and run: the same 500 rows as a static HTML table with a plain-JS filter.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { signToken } from '@mandate/http';
import { syntheticPlan } from '@mandate/plan-import';
import { buildWebApp, launchChromium } from '../apps/web/e2e/browser';
import { embeddedDeployment, TEST_SECRET } from '../apps/cli/src/testing/deployments';

const TASKS = 500;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const GOAL_MS = 1000;
type Json = Record<string, any>;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const worst = (values: number[]) => Math.max(...values);
const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The baseline: the same rows, rendered by the server as one table, filtered by twenty lines of plain JS. */
const staticPage = (tasks: Json[]) => `<!doctype html><html lang="vi"><meta charset="utf-8"><title>baseline</title>
<input aria-label="Tìm kiếm" id="q"><p id="n">Hiển thị ${tasks.length} trên ${tasks.length} nhiệm vụ</p>
<table><tbody>${tasks
  .map((t) => `<tr><td>${escape(t.ref ?? '')}</td><td><a href="/tasks/${t.id}">${escape(t.title)}</a></td><td>${escape(t.leadAgency?.name ?? '')}</td><td>${escape(t.deadline?.text ?? '')}</td></tr>`)
  .join('')}</tbody></table>
<script>
const rows = [...document.querySelectorAll('tbody tr')];
document.getElementById('q').addEventListener('input', (e) => {
  const q = e.target.value.toLowerCase(); let n = 0;
  for (const r of rows) { const show = r.textContent.toLowerCase().includes(q); r.hidden = !show; if (show) n++; }
  document.getElementById('n').textContent = 'Hiển thị ' + n + ' trên ' + rows.length + ' nhiệm vụ';
});
</script></html>`;

/**
 * Measured by the page's own clock: navigation start → every row's link in the DOM; then a search
 * typed into the box (the value set and an input event, as a keystroke does) → the filtered count shown.
 * Interactive = both, one after the other.
 */
const timeToInteractive = async (page: Page, url: string, query: string): Promise<{ rows: number; response: number; interactive: number }> => {
  await page.goto(url, { waitUntil: 'commit' });
  // These run in the browser (functions, not source text: the app's CSP refuses eval).
  /* eslint-disable @typescript-eslint/no-explicit-any */
  const allRows = (n: number) => ((globalThis as any).document.querySelectorAll('a[href^="/tasks/"]').length >= n ? performance.now() : false);
  const rows = (await (await page.waitForFunction(allRows, TASKS, { polling: 'raf', timeout: 30_000 })).jsonValue()) as number;
  const response = await page.evaluate(
    ({ q, n }) =>
      new Promise<number>((resolve) => {
        const w = globalThis as any;
        const input = [...w.document.querySelectorAll('input')].find((i: any) => [...(i.labels ?? [])].some((l: any) => l.textContent.trim() === 'Tìm kiếm') || i.getAttribute('aria-label') === 'Tìm kiếm');
        const started = performance.now();
        Object.getOwnPropertyDescriptor(w.HTMLInputElement.prototype, 'value')!.set!.call(input, q);
        input.dispatchEvent(new w.Event('input', { bubbles: true }));
        const check = () => {
          const shown = [...w.document.querySelectorAll('p, [role=status]')].some((e: any) => {
            const m = /^Hiển thị (\d+) trên (\d+) nhiệm vụ$/.exec((e.textContent ?? '').trim());
            return m && Number(m[2]) === n && Number(m[1]) > 0 && Number(m[1]) < n;
          });
          if (shown) resolve(performance.now() - started);
          else w.requestAnimationFrame(check);
        };
        w.requestAnimationFrame(check);
      }),
    { q: query, n: TASKS },
  );
  /* eslint-enable @typescript-eslint/no-explicit-any */
  return { rows, response, interactive: rows + response };
};

const main = async () => {
  buildWebApp();
  const deployment = await embeddedDeployment();
  let browser: Browser | null = null;
  const baseline = http.createServer();
  try {
    const actor = { userId: 'office-bench', role: 'office' as const, cityId: 'ha-noi', agencyId: null };
    const token = signToken(TEST_SECRET, actor);
    const auth = { authorization: `Bearer ${token}` };
    const form = new FormData();
    form.append('file', new Blob([syntheticPlan(TASKS, '500/KH-UBND')], { type: 'text/plain' }), 'ke-hoach-500.txt');
    const imported = (await (await fetch(`${deployment.url()}/api/v1/imports?city=ha-noi`, { method: 'POST', headers: auth, body: form })).json()) as Json;
    if (!imported.planId) throw new Error(`import failed: ${JSON.stringify(imported)}`);
    const tasks: Json[] = [];
    for (let cursor: string | null = null; ; ) {
      const page = (await (await fetch(`${deployment.url()}/api/v1/plans/${imported.planId}/tasks?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers: auth })).json()) as Json;
      tasks.push(...page.items);
      cursor = page.next ?? null;
      if (!cursor) break;
    }
    if (tasks.length !== TASKS) throw new Error(`expected ${TASKS} tasks, got ${tasks.length}`);
    const html = staticPage(tasks);
    baseline.on('request', (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
    await new Promise<void>((resolve) => baseline.listen(0, '127.0.0.1', resolve));
    const baselineUrl = `http://127.0.0.1:${(baseline.address() as AddressInfo).port}/`;
    const query = String(tasks[tasks.length - 1].title);

    browser = await launchChromium();
    type Measured = Awaited<ReturnType<typeof timeToInteractive>>;
    const results = { mandate: [] as Measured[], baseline: [] as Measured[] };
    // One warm-up of each (Chromium's first page, the server's first queries), then interleaved rounds.
    for (let round = -1; round < ROUNDS; round++) {
      for (const side of ['baseline', 'mandate'] as const) {
        const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
        await context.addInitScript((session) => (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem('mandate.session', session), JSON.stringify({ token, actor }));
        const page = await context.newPage();
        const url = side === 'mandate' ? `${deployment.url()}/plans/${imported.planId}` : baselineUrl;
        const measured = await timeToInteractive(page, url, query);
        if (round >= 0) results[side].push(measured);
        if (process.env.BENCH_TRACE && round === ROUNDS - 1) {
          // Where the time went, for whoever tunes the page: each resource's start and end on the page clock.
          const entries = (await page.evaluate(() =>
            (performance.getEntriesByType('resource') as unknown as { name: string; startTime: number; responseEnd: number }[]).map((e) => `${e.startTime.toFixed(0).padStart(5)}–${e.responseEnd.toFixed(0).padStart(5)} ms  ${e.name.replace(/^https?:\/\/[^/]+/, '')}`),
          )) as string[];
          console.log(`${side} resources:\n  ${entries.join('\n  ')}`);
        }
        await context.close();
      }
    }
    const stats = (side: keyof typeof results, key: keyof Measured) => {
      const values = results[side].map((r) => r[key]);
      return { median: median(values), worst: worst(values) };
    };
    const ms = (n: number) => `${n.toFixed(0)} ms`;
    const line = (name: string, side: keyof typeof results) =>
      `  ${name.padEnd(24)} ${(['rows', 'response', 'interactive'] as const).map((k) => `${k} ${ms(stats(side, k).median)} (${ms(stats(side, k).worst)})`).join('   ')}`;
    const ratio = (key: keyof Measured) => (stats('mandate', key).median / stats('baseline', key).median).toFixed(2);
    const m = stats('mandate', 'interactive');
    console.log(`\nplan page with ${TASKS} tasks, Chromium ${browser.version()}, ${ROUNDS} rounds each (medians, worst in brackets)`);
    console.log('  rows: navigation start to every row in the DOM; response: a search typed to the filtered count shown');
    console.log(line('static table (baseline)', 'baseline'));
    console.log(line('Mandate plan page', 'mandate'));
    console.log(`  ratio to the baseline    rows ${ratio('rows')}x   response ${ratio('response')}x   interactive ${ratio('interactive')}x`);
    console.log(`  goal: interactive in < ${GOAL_MS} ms: ${m.median < GOAL_MS ? 'met' : 'NOT met'} (median), ${m.worst < GOAL_MS ? 'met' : 'not met'} (worst)`);
  } finally {
    await browser?.close();
    baseline.close();
    await deployment.stop();
  }
};

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
