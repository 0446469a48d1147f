// The embedded default as an unlucky operator meets it: the process killed with SIGKILL in the middle of
// a burst of progress reports and an import, started again on the same data directory, and every client
// retrying what it sent with the same Idempotency-Key. Nothing acknowledged may be lost, nothing applied
// twice, and the audit chain must still verify.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { syntheticPlan } from '@mandate/plan-import';
import { cliToken, startMandate, stopMandate, type MandateProcess } from './testing/mandate-process';

type Sent = { status: number; body: string } | { lost: string };
type Probe = { key: string; path: string; body: string; contentType: string; token: string; sent?: Sent };

const send = async (base: string, probe: Probe): Promise<Sent> => {
  try {
    const res = await fetch(`${base}${probe.path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${probe.token}`, 'content-type': probe.contentType, 'idempotency-key': probe.key },
      body: probe.body,
    });
    return { status: res.status, body: await res.text() };
  } catch (error) {
    return { lost: String((error as Error).cause ?? error) };
  }
};

const acknowledged = (sent?: Sent): sent is { status: number; body: string } => !!sent && 'status' in sent && sent.status < 300;

describe('crash probe: SIGKILL during load and an import, restart, replays', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let running: MandateProcess | undefined;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-probe-'));
    env = { ...process.env, MANDATE_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', MANDATE_DEADLINE_SCAN_SECONDS: '0' };
    delete env.DATABASE_URL;
    delete env.MANDATE_JWT_SECRET;
    delete env.MANDATE_AUDIT_SIGNING_KEY;
  });

  afterAll(async () => {
    if (running) await stopMandate(running.child, 'SIGKILL');
    // A failed run may leave the embedded PostgreSQL it started behind: end it before removing its files.
    const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // already gone
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged change, applies none twice, keeps the import whole and the chains intact', async () => {
    running = await startMandate(env);
    const office = cliToken(env, ['--city', 'ha-noi', '--role', 'office']);
    const auditor = cliToken(env, ['--city', 'ha-noi', '--role', 'auditor']);
    const api = (base: string) => `${base}/api/v1`;
    const get = async (base: string, p: string, token = office) => {
      const res = await fetch(`${api(base)}${p}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      return res.json();
    };

    const plans = (await get(running.url, '/plans')) as { items: { id: string; number: string }[] };
    const plan = plans.items.find((p) => p.number === '183/KH-UBND')!;
    const tasks = ((await get(running.url, `/plans/${plan.id}/tasks?limit=12`)) as { items: { id: string }[] }).items;
    expect(tasks).toHaveLength(12);

    const probes: Probe[] = Array.from({ length: 72 }, (_, i) => ({
      key: `probe-progress-${i}`,
      path: `/api/v1/tasks/${tasks[i % tasks.length].id}/progress`,
      body: JSON.stringify({ percent: (i * 7) % 101, text: `Thăm dò ${i}` }),
      contentType: 'application/json',
      token: office,
    }));
    const importProbe: Probe = {
      key: 'probe-import',
      path: '/api/v1/imports?city=ha-noi',
      body: syntheticPlan(150, '777/KH-UBND'),
      contentType: 'text/plain; charset=utf-8',
      token: office,
    };

    // Six clients at a time; the import goes out with the burst; SIGKILL once a third is acknowledged.
    const first = running;
    let acks = 0;
    let next = 0;
    let killed = false;
    const kill = () => {
      if (killed) return;
      killed = true;
      first.child.kill('SIGKILL');
    };
    const client = async () => {
      while (!killed && next < probes.length) {
        const probe = probes[next++];
        probe.sent = await send(first.url, probe);
        if (acknowledged(probe.sent) && ++acks >= probes.length / 3) kill();
      }
    };
    const importing = send(first.url, importProbe).then((sent) => (importProbe.sent = sent));
    await Promise.all([importing, ...Array.from({ length: 6 }, client)]);
    kill();
    await new Promise((resolve) => (first.child.exitCode !== null || first.child.signalCode !== null ? resolve(null) : first.child.once('exit', resolve)));
    running = undefined;

    const before = probes.filter((p) => acknowledged(p.sent));
    // The kill came while requests were on their way (their clients got no answer).
    expect(probes.filter((p) => p.sent && 'lost' in p.sent).length).toBeGreaterThan(0);
    expect(before.length).toBeGreaterThanOrEqual(probes.length / 3);
    // Anything else the first run answered was a refusal it must not have given (409, 5xx…).
    expect(probes.filter((p) => p.sent && 'status' in p.sent && p.sent.status >= 300).map((p) => p.sent)).toEqual([]);

    // The same data directory starts again after the crash.
    running = await startMandate(env);
    const second = running;

    // Every client retries with its key: the acknowledged get their first answer again.
    for (const probe of [...probes, importProbe]) {
      const retry = await send(second.url, probe);
      expect(retry).toMatchObject({ status: expect.any(Number) });
      const answered = retry as { status: number; body: string };
      expect(answered.status).toBeLessThan(300);
      if (acknowledged(probe.sent)) expect(JSON.parse(answered.body)).toEqual(JSON.parse(probe.sent.body));
    }

    // Each report is in its task's history exactly once.
    const texts: string[] = [];
    for (const task of tasks) {
      const history = (await get(second.url, `/tasks/${task.id}/history`)) as { items: { type: string; data: { text?: string } }[] };
      texts.push(...history.items.filter((e) => e.type === 'ProgressReported').map((e) => e.data.text!));
    }
    expect(texts.sort()).toEqual(probes.map((_, i) => `Thăm dò ${i}`).sort());

    // The import is there once and whole; sending the document again changes nothing.
    const after = (await get(second.url, '/plans')) as { items: { number: string; taskCount: number }[] };
    expect(after.items.filter((p) => p.number === '777/KH-UBND').map((p) => p.taskCount)).toEqual([150]);
    const again = await fetch(`${api(second.url)}/imports?city=ha-noi`, {
      method: 'POST',
      headers: { authorization: `Bearer ${office}`, 'content-type': 'text/plain; charset=utf-8' },
      body: importProbe.body,
    });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { outcome: string }).outcome).toBe('unchanged');

    // The seeds are not imported twice and the chains hold.
    expect(second.lines.find((l) => l.msg === 'seed documents checked')).toMatchObject({ imported: 0 });
    const verify = (await get(second.url, '/audit/verify', auditor)) as { firstBroken: unknown };
    expect(verify.firstBroken).toBeNull();

    expect(await stopMandate(second.child)).toBe(0);
    running = undefined;
  }, 240_000);
});
