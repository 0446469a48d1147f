// Faults of the distributed deployment, against real processes, PostgreSQL, Redis and Kafka.
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { signToken } from '@mandate/http';
import { distributedDeployment, stopService, TEST_SECRET, type DistributedDeployment, type ServiceProcess } from './testing/deployments';
import { eventually } from './testing/http-contract';

jest.setTimeout(240_000);

let auth: { authorization: string };
beforeAll(async () => {
  auth = { authorization: `Bearer ${await signToken(TEST_SECRET, { userId: 'office-user', role: 'office', agencyId: null, cityId: 'hai-phong' })}` };
});
type Json = Record<string, any>;

const get = async (base: string, url: string): Promise<Json> => {
  const res = await fetch(`${base}${url}`, { headers: auth });
  return { status: res.status, ...((await res.json()) as Json) };
};

/** Starts a task as a careful client does: a lost connection is retried with the same Idempotency-Key. */
const start = async (base: string, task: Json) => {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`${base}/api/v1/tasks/${task.id}/status`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'if-match': `"${task.version}"`, 'idempotency-key': `start-${task.id}` },
        body: JSON.stringify({ status: 'in_progress', note: 'fault test' }),
      });
      expect(res.status).toBe(200);
      return;
    } catch (error) {
      if (attempt >= 3 || !(error instanceof TypeError)) throw error; // fetch's network failure
    }
  }
};

/** The 175 tasks of Hải Phòng 86/KH-UBND, the largest seeded plan. */
const plan86 = async (base: string) => {
  const plans = await get(base, '/api/v1/plans');
  const plan = plans.items.find((p: Json) => p.number === '86/KH-UBND');
  const tasks: Json[] = [];
  let cursor: string | null = null;
  do {
    const page: Json = await get(base, `/api/v1/plans/${plan.id}/tasks?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    tasks.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return { plan, tasks };
};

const summaryAt = (base: string, planId: string) => get(base, `/api/v1/plans/${planId}/summary`);

describe('Distributed deployment under faults', () => {
  let d: DistributedDeployment;
  let plan: Json;
  let tasks: Json[];
  let next = 0;
  const take = (n: number) => tasks.slice(next, (next += n));

  beforeAll(async () => {
    d = await distributedDeployment();
    ({ plan, tasks } = await plan86(d.url()));
    expect(tasks).toHaveLength(175);
  });

  afterAll(async () => d?.stop());

  it('a consumer killed with SIGKILL mid-stream and restarted loses nothing and applies nothing twice', async () => {
    const batch = take(40);
    let reporting: ServiceProcess = d.services.get('reporting')!;
    for (const [i, task] of batch.entries()) {
      if (i === 15) await stopService(reporting, 'SIGKILL');
      await start(d.url(), task);
    }
    reporting = await d.startService('reporting');
    d.services.set('reporting', reporting); // stopped with the deployment
    const summary = await eventually(
      () => summaryAt(reporting.url, plan.id),
      (s) => s.byStatus?.in_progress === 40,
      60_000,
    );
    expect(summary.byStatus.in_progress).toBe(40);
    expect(summary.statusChanges).toBe(40); // each change applied exactly once
  });

  it('the notifications service killed with SIGKILL while e-mails go out, and restarted: each recipient gets each e-mail once', async () => {
    // Fewer than the city's hourly limit per recipient (20): past it the rest would wait an hour for a bundle.
    // Sở Tư pháp leads none of Hải Phòng's seeded tasks, so this batch is all it is sent.
    const batch = take(15).filter((t) => t.lead?.agencyId !== 'so-tu-phap');
    let notifications: ServiceProcess = d.services.get('notifications')!;
    for (const [i, task] of batch.entries()) {
      if (i === 5) await stopService(notifications, 'SIGKILL');
      const res = await fetch(`${d.url()}/api/v1/tasks/${task.id}/reassign`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'if-match': `"${task.version}"` },
        body: JSON.stringify({ leadAgencyId: 'so-tu-phap', coordinatorAgencyIds: [] }),
      });
      expect(res.status).toBe(200);
    }
    notifications = await d.startService('notifications');
    d.services.set('notifications', notifications);
    const told = (taskId: string) =>
      d.mail.received.filter((m) => m.subject?.startsWith('[Mandate] Được giao chủ trì') && m.text?.includes(`/tasks/${taskId}`));
    // An e-mail claimed by the killed instance goes out when its lease ends (a minute).
    await eventually(
      async () => batch.filter((t) => told(t.id).length > 0).length,
      (n) => n === batch.length,
      100_000,
    );
    await new Promise((r) => setTimeout(r, 1000)); // anything queued twice would arrive by now
    // One message per recipient and cause. SMTP itself is at least once: were the process killed between the
    // server's "250 OK" and the outbox's mark, the resend carries the same Message-ID, so clients show it once.
    expect(batch.map((t) => new Set(told(t.id).map((m) => m.messageId)).size)).toEqual(batch.map(() => 1));
  });

  it('every process serves Prometheus metrics: HTTP latency, relay lag, consumer lag, dead letters', async () => {
    const metrics = async (service: 'gateway' | 'plans' | 'reporting') => (await fetch(`${d.services.get(service)!.url}/metrics`)).text();
    expect(await metrics('gateway')).toMatch(/mandate_http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/plans"/);
    const plans = await metrics('plans');
    expect(plans).toMatch(/^mandate_events_appended\{service="plans"\} \d+/m);
    expect(plans).toMatch(/^mandate_relay_lag_events\{service="plans"\} \d+/m);
    const reporting = await metrics('reporting');
    expect(reporting).toMatch(/^mandate_consumer_lag_messages\{group="[^"]+\.reporting-feed",topic="[^"]+\.mandate\.tasks\.v1",service="reporting"\} \d+/m);
    expect(reporting).toMatch(/^mandate_dlq_messages\{topic="[^"]+\.mandate\.tasks\.v1\.dlq",service="reporting"\} \d+/m);
  });

  it('a poison message goes to the dead-letter topic while its partition keeps flowing', async () => {
    const kafka = new Kafka({ brokers: [String(d.env.KAFKA_BROKERS)], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const topic = `${d.env.KAFKA_NAMESPACE}.mandate.tasks.v1`;
    // The same key as the next real change, so it lands on the same partition, just before it.
    const [task] = take(1);
    await producer.send({ topic, messages: [{ key: `task-${task.id}`, value: 'not json', headers: { ce_specversion: '1.0' } }] });
    await producer.disconnect();
    await start(d.url(), task);
    const summary = await eventually(
      () => summaryAt(d.services.get('reporting')!.url, plan.id),
      (s) => s.byStatus?.in_progress === 41,
      60_000,
    );
    expect(summary.statusChanges).toBe(41);
    const list = () =>
      JSON.parse(
        execFileSync(process.execPath, [path.resolve(__dirname, '../../../bin/mandate.js'), 'dlq', 'list', '--json'], {
          env: { ...process.env, ...d.env },
          encoding: 'utf8',
        }),
      ) as Json[];
    // Every consumer group sets it aside on its own.
    const groups = ['assignments', 'notifications', 'reporting-feed'];
    const letters = await eventually(
      async () => list(),
      (all) => all.filter((l) => l.key === `task-${task.id}`).length >= groups.length,
      30_000,
    );
    expect(
      letters
        .filter((l) => l.key === `task-${task.id}`)
        .map((l) => l.group)
        .sort(),
    ).toEqual(groups);
    expect(letters[0].error).toMatch(/missing header/);

    const cli = (...args: string[]) =>
      execFileSync(process.execPath, [path.resolve(__dirname, '../../../bin/mandate.js'), 'dlq', ...args], {
        env: { ...process.env, ...d.env },
        encoding: 'utf8',
      });
    expect(cli('replay', '--group', 'reporting-feed')).toMatch(/^1 dead letter\(s\) sent back/m);
    const after = JSON.parse(cli('list', '--json')) as Json[];
    const replayed = after.filter((l) => l.key === `task-${task.id}` && l.replayed);
    expect(replayed.map((l) => l.group)).toEqual(['reporting-feed']);
    // Still poison: re-driven through the consumers, it is set aside again, as a new letter.
    const again = await eventually(
      async () => JSON.parse(cli('list', '--json')) as Json[],
      (list) => list.some((l) => l.key === `task-${task.id}` && l.group === 'reporting-feed' && !l.replayed),
      30_000,
    );
    expect(again.filter((l) => l.key === `task-${task.id}` && l.group === 'reporting-feed')).toHaveLength(2);
  });

  it('two instances of one service share its partitions and survive the death of one', async () => {
    const second = await d.startService('assignments');
    const first = d.services.get('assignments')!;
    const kafka = new Kafka({ brokers: [String(d.env.KAFKA_BROKERS)], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const group = `${d.env.KAFKA_NAMESPACE}.assignments`;
    const members = await eventually(
      async () => (await admin.describeGroups([group])).groups[0],
      (g) => g.state === 'Stable' && g.members.length === 2,
      60_000,
    );
    expect(members.members).toHaveLength(2);
    await stopService(first, 'SIGKILL');
    d.services.set('assignments', second);
    const batch = take(10);
    for (const task of batch) await start(d.url(), task);
    const lead = batch[0].lead.agencyId as string;
    const queue = await eventually(
      () => get(second.url, `/api/v1/agencies/${lead}/tasks`),
      (q) =>
        q.items?.filter((i: Json) => batch.some((t) => t.id === i.taskId) && i.status === 'in_progress').length ===
        batch.filter((t) => t.lead.agencyId === lead).length,
      60_000,
    );
    expect(queue.items.some((i: Json) => i.taskId === batch[0].id && i.status === 'in_progress')).toBe(true);
    const after = await eventually(
      async () => (await admin.describeGroups([group])).groups[0],
      (g) => g.members.length === 1,
      60_000,
    );
    expect(after.members).toHaveLength(1);
    await admin.disconnect();
  });

  it('under load, one of two reporting instances killed with SIGKILL: the survivor takes its partitions, every change counted once', async () => {
    const first = d.services.get('reporting')!;
    const second = await d.startService('reporting');
    const kafka = new Kafka({ brokers: [String(d.env.KAFKA_BROKERS)], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const group = `${d.env.KAFKA_NAMESPACE}.reporting-feed`;
    await eventually(
      async () => (await admin.describeGroups([group])).groups[0],
      (g) => g.state === 'Stable' && g.members.length === 2,
      60_000,
    );
    const before = await summaryAt(second.url, plan.id);
    const batch = take(40);
    // Five clients at once; the first instance dies after the first ten changes, while the rest are in flight.
    let sent = 0;
    const client = async (mine: Json[]) => {
      for (const task of mine) {
        await start(d.url(), task);
        if (++sent === 10) await stopService(first, 'SIGKILL');
      }
    };
    await Promise.all(Array.from({ length: 5 }, (_, c) => client(batch.filter((_, i) => i % 5 === c))));
    d.services.set('reporting', second); // stopped with the deployment
    const summary = await eventually(
      () => summaryAt(second.url, plan.id),
      (s) => s.byStatus?.in_progress === before.byStatus.in_progress + batch.length,
      60_000,
    );
    await new Promise((r) => setTimeout(r, 1000)); // a change applied twice would show by now
    const after = await summaryAt(second.url, plan.id);
    expect(after.byStatus.in_progress).toBe(before.byStatus.in_progress + batch.length);
    expect(after.statusChanges).toBe(before.statusChanges + batch.length);
    expect(summary.byStatus.in_progress).toBe(after.byStatus.in_progress);
    const alone = await eventually(
      async () => (await admin.describeGroups([group])).groups[0],
      (g) => g.state === 'Stable' && g.members.length === 1,
      60_000,
    );
    expect(alone.members).toHaveLength(1);
    await admin.disconnect();
  });

  it('two gateways share idempotency records and rate limits (Redis), and one killed leaves the other serving', async () => {
    const first = d.services.get('gateway')!;
    const second = await d.startService('gateway');
    const [task] = take(1);
    const change = (base: string) =>
      fetch(`${base}/api/v1/tasks/${task.id}/status`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'if-match': `"${task.version}"`, 'idempotency-key': `two-gateways-${task.id}` },
        body: JSON.stringify({ status: 'in_progress', note: 'two gateways' }),
      });
    const once = await change(first.url);
    expect(once.status).toBe(200);
    const again = await change(second.url); // the retry reaches the other instance
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await once.json());
    const remaining = async (base: string) => Number((await fetch(`${base}/api/v1/plans`, { headers: auth })).headers.get('ratelimit-remaining'));
    // One window per user, whichever instance answers (measured within one minute's window).
    let counts: number[] = [];
    for (let window = -1; window !== Math.floor(Date.now() / 60_000);) {
      window = Math.floor(Date.now() / 60_000);
      counts = [await remaining(first.url), await remaining(second.url)];
    }
    expect(counts[1]).toBe(counts[0] - 1);
    await stopService(first, 'SIGKILL');
    d.services.set('gateway', second);
    expect((await fetch(`${second.url}/api/v1/tasks/${task.id}`, { headers: auth })).status).toBe(200);
  });
});

describe('Distributed deployment when the Kafka broker restarts', () => {
  const ports = { KAFKA_PORT: '19092', KAFKA_CONTROLLER_PORT: '19093' };
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-kafka-'));
  // Asynchronous on purpose: a test process blocked for seconds would not see the gateway close idle
  // keep-alive sockets, and its next POST would fail on one (a fault of the test, not of the system).
  const broker = (script: 'start' | 'stop') =>
    promisify(execFile)('bash', [path.resolve(__dirname, `../../../infra/kafka/${script}.sh`)], {
      env: { ...process.env, ...ports, KAFKA_STATE_DIR: stateDir },
    });
  let d: DistributedDeployment;

  beforeAll(async () => {
    await broker('start');
    d = await distributedDeployment({ KAFKA_BROKERS: `127.0.0.1:${ports.KAFKA_PORT}` });
  });

  afterAll(async () => {
    await d?.stop();
    await broker('stop');
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('keeps taking commands, and the relay publishes every one once the broker is back', async () => {
    const { plan, tasks } = await plan86(d.url());
    const batch = tasks.slice(0, 30);
    for (const task of batch.slice(0, 10)) await start(d.url(), task);
    await broker('stop');
    for (const task of batch.slice(10, 20)) await start(d.url(), task); // the log is the source of truth
    await broker('start');
    for (const task of batch.slice(20)) await start(d.url(), task);
    const summary = await eventually(
      () => summaryAt(d.services.get('reporting')!.url, plan.id),
      (s) => s.byStatus?.in_progress === 30,
      120_000,
    );
    expect(summary.byStatus.in_progress).toBe(30);
    expect(summary.statusChanges).toBe(30);
  });
});
