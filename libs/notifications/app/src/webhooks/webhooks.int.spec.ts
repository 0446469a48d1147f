// Webhook deliveries against a real HTTP receiver the test runs, on the real PostgreSQL.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudEvent } from '@mandate/messaging';
import { createLogger, openServiceDatabase } from '@mandate/runtime';
import { aCloudEvent, createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { verifySignature } from './signature';
import { DISABLE_AFTER_FAILURES, MAX_ATTEMPTS, webhookQueueMigration, Webhooks, webhooksMigration } from './webhooks';

jest.setTimeout(60_000);

const SCHEMA = 'notifications';
const CITY = 'ha-noi';
const PLAN = randomUUID();
const integrator = { userId: 'int-1', role: 'integrator', cityId: CITY };
const event = (type = 'vn.mandate.task.status-changed.v2', planId = PLAN, cityid = CITY): CloudEvent =>
  aCloudEvent(type, { taskId: randomUUID(), planId, from: 'not_started', to: 'in_progress' }, { cityid, sequence: '2' });

type Received = { headers: IncomingMessage['headers']; body: string };

/** A receiver that answers with the next status of `script` (then 200). */
const receiver = async (script: number[] = []) => {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = script.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, close: () => new Promise((r) => server.close(r)) };
};

/** Dispatches until `until` holds (or the time is up), then waits for the attempts under way. */
const drain = async (webhooks: Webhooks, until: () => boolean, ms = 10_000) => {
  await dispatchUntil(webhooks, until, ms);
  await webhooks.settled();
};

const dispatchUntil = async (webhooks: Webhooks, until: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!until() && Date.now() < deadline) {
    await webhooks.dispatchDue();
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** A receiver that holds every request until `release()`, counting how many it holds at once. */
const holdingReceiver = async () => {
  const received: string[] = [];
  const held: (() => void)[] = [];
  let open = 0;
  let mostAtOnce = 0;
  let releasing = false;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push(JSON.parse(body).id);
      mostAtOnce = Math.max(mostAtOnce, ++open);
      const answer = () => {
        open--;
        res.statusCode = 200;
        res.end();
      };
      if (releasing) answer();
      else held.push(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    mostAtOnce: () => mostAtOnce,
    release: () => {
      releasing = true;
      held.splice(0).forEach((answer) => answer());
    },
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))),
  };
};

describe('Webhooks', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let webhooks: Webhooks;

  beforeAll(async () => {
    db = await createTestDatabase('webhooks');
    ds = await openServiceDatabase({ url: db.url, schema: SCHEMA, migrations: [webhooksMigration(SCHEMA), webhookQueueMigration(SCHEMA)] });
    webhooks = new Webhooks(ds, SCHEMA, { allowPrivate: true, backoffMs: 20, logger: createLogger('silent') });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('delivers each wanted event once, as a CloudEvent signed with the secret, and logs it', async () => {
    const target = await receiver();
    const hook = await webhooks.register(integrator, { url: target.url, types: ['vn.mandate.task.status-changed.v2'] });
    expect(hook.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    const wanted = event();
    expect(await webhooks.receive(wanted)).toBe(1);
    expect(await webhooks.receive(wanted)).toBe(0); // redelivered to the service: queued once
    expect(await webhooks.receive(event('vn.mandate.task.assigned.v1'))).toBe(0); // a type it did not ask for
    expect(await webhooks.receive(event(undefined, undefined, 'hai-phong'))).toBe(0); // another city's
    await drain(webhooks, () => target.received.length >= 1);
    await webhooks.dispatchDue();
    await webhooks.settled();
    expect(target.received).toHaveLength(1);
    const [delivery] = target.received;
    expect(JSON.parse(delivery.body)).toEqual(wanted);
    expect(delivery.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
    expect(verifySignature(hook.secret, String(delivery.headers['mandate-signature']), delivery.body, Math.floor(Date.now() / 1000))).toBe(true);
    const log = await webhooks.deliveries(integrator, hook.id);
    expect(log).toMatchObject([{ eventId: wanted.id, status: 'delivered', attempts: 1, lastStatus: 200 }]);
    await webhooks.remove(integrator, hook.id);
    await target.close();
  });

  it("queues an event of the webhook's own millisecond, not one of the millisecond before (a replay's)", async () => {
    const target = await receiver();
    const hook = await webhooks.register(integrator, { url: target.url });
    // The creation instant as an event's time carries it: to the millisecond (PostgreSQL keeps microseconds).
    const [{ created_at: created }] = (await ds.query(`SELECT created_at FROM notifications.webhooks WHERE id = $1`, [hook.id])) as { created_at: Date }[];
    const at = (ms: number) => ({ ...event(), time: new Date(created.getTime() + ms).toISOString() });
    expect(await webhooks.receive(at(0))).toBe(1);
    expect(await webhooks.receive(at(-1))).toBe(0);
    await webhooks.remove(integrator, hook.id);
    await target.close();
  });

  it('retries with growing delays while the receiver fails, and delivers when it answers', async () => {
    const target = await receiver([500, 503, 502]);
    const hook = await webhooks.register(integrator, { url: target.url });
    await webhooks.receive(event());
    await drain(webhooks, () => target.received.length >= 4);
    expect(target.received.map((r) => r.headers['mandate-attempt'])).toEqual(['1', '2', '3', '4']);
    expect(await webhooks.deliveries(integrator, hook.id)).toMatchObject([{ status: 'delivered', attempts: 4, lastStatus: 200 }]);
    expect(await webhooks.get(integrator, hook.id)).toMatchObject({ status: 'active', consecutiveFailures: 0 }); // a success ends the run of failures
    await webhooks.remove(integrator, hook.id);
    await target.close();
  });

  it('shares the queue between two instances: every delivery is sent by one of them', async () => {
    const target = await receiver();
    const hook = await webhooks.register(integrator, { url: target.url });
    const other = new Webhooks(ds, SCHEMA, { allowPrivate: true, backoffMs: 20, logger: createLogger('silent') });
    const sent = Array.from({ length: 40 }, () => event());
    for (const e of sent) await webhooks.receive(e);
    await Promise.all([drain(webhooks, () => target.received.length >= 40), drain(other, () => target.received.length >= 40)]);
    const ids = target.received.map((r) => JSON.parse(r.body).id);
    expect(ids.sort()).toEqual(sent.map((e) => e.id).sort());
    await webhooks.remove(integrator, hook.id);
    await target.close();
  });

  it('gives a delivery up after its last attempt and disables a webhook that keeps failing; redelivery and replay send again', async () => {
    // Delays of 1, 2, 4 … ms: the whole schedule of attempts in well under a second.
    const quick = new Webhooks(ds, SCHEMA, { allowPrivate: true, backoffMs: 1, logger: createLogger('silent') });
    const failing = await receiver(Array.from({ length: 500 }, () => 500));
    const hook = await quick.register(integrator, { url: failing.url });
    const first = event();
    await quick.receive(first);
    await drain(quick, () => failing.received.length >= MAX_ATTEMPTS);
    expect((await quick.deliveries(integrator, hook.id))[0]).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS, lastStatus: 500, lastError: 'HTTP 500' });
    for (let i = 0; i < 3; i++) await quick.receive(event());
    await drain(quick, () => failing.received.length >= DISABLE_AFTER_FAILURES);
    expect(await quick.get(integrator, hook.id)).toMatchObject({ status: 'disabled', disabledReason: expect.stringMatching(/failed attempts in a row/) });
    // A disabled webhook is sent nothing.
    const before = failing.received.length;
    await quick.dispatchDue();
    await quick.settled();
    expect(failing.received.length).toBe(before);

    // Back on, the receiver well again: the dead delivery sent again, then a replay of everything.
    const healthy = await receiver();
    await ds.query(`UPDATE notifications.webhooks SET url = $2 WHERE id = $1`, [hook.id, healthy.url]);
    await quick.enable(integrator, hook.id);
    const dead = (await quick.deliveries(integrator, hook.id, 'dead')).find((d) => d.eventId === first.id)!;
    await quick.redeliver(integrator, hook.id, dead.id);
    // (The others still pending when it was disabled go out too.)
    const ids = () => healthy.received.map((r) => JSON.parse(r.body).id as string);
    await drain(quick, () => ids().includes(first.id));
    expect(ids()).toContain(first.id);
    const sentBefore = healthy.received.length;
    const { queued } = await quick.replay(integrator, hook.id, { position: 0 });
    expect(queued).toBeGreaterThanOrEqual(4);
    await drain(quick, () => healthy.received.length >= sentBefore + queued);
    expect(ids().slice(sentBefore)).toContain(first.id);
    await quick.remove(integrator, hook.id);
    await failing.close();
    await healthy.close();
  });

  it("keeps a disabled webhook's deliveries pending without holding up any other city's webhooks, and sends them in order when enabled", async () => {
    const HAI_PHONG = 'hai-phong';
    const haiPhong = { ...integrator, cityId: HAI_PHONG };
    // A webhook of Hải Phòng disabled after failures, with more pending deliveries than one dispatch looks at.
    const broken = await receiver();
    const stalled = await webhooks.register(haiPhong, { url: broken.url });
    const queuedForIt = Array.from({ length: 33 }, () => event(undefined, undefined, HAI_PHONG));
    for (const e of queuedForIt) await webhooks.receive(e);
    await ds.query(`UPDATE notifications.webhooks SET status = 'disabled', disabled_reason = 'failed' WHERE id = $1`, [stalled.id]);
    // Working webhooks of Hà Nội and of Hải Phòng, whose deliveries come after those 33.
    const haNoiTarget = await receiver();
    const haiPhongTarget = await receiver();
    const haNoiHook = await webhooks.register(integrator, { url: haNoiTarget.url });
    const haiPhongHook = await webhooks.register(haiPhong, { url: haiPhongTarget.url });
    const forHaNoi = event();
    const forHaiPhong = event(undefined, undefined, HAI_PHONG);
    await webhooks.receive(forHaNoi);
    await webhooks.receive(forHaiPhong);

    await drain(webhooks, () => haNoiTarget.received.length >= 1 && haiPhongTarget.received.length >= 1);
    expect(haNoiTarget.received.map((r) => JSON.parse(r.body).id)).toEqual([forHaNoi.id]);
    expect(haiPhongTarget.received.map((r) => JSON.parse(r.body).id)).toEqual([forHaiPhong.id]);
    // The disabled one was sent nothing, and lost nothing.
    expect(broken.received).toHaveLength(0);
    expect(await webhooks.deliveries(haiPhong, stalled.id, 'pending')).toHaveLength(33);

    await webhooks.enable(haiPhong, stalled.id);
    await drain(webhooks, () => broken.received.length >= 33);
    expect(broken.received.map((r) => JSON.parse(r.body).id)).toEqual(queuedForIt.map((e) => e.id));
    for (const [actor, hook] of [
      [haiPhong, stalled],
      [integrator, haNoiHook],
      [haiPhong, haiPhongHook],
    ] as const)
      await webhooks.remove(actor, hook.id);
    await Promise.all([broken.close(), haNoiTarget.close(), haiPhongTarget.close()]);
  });

  it('sends each webhook one delivery at a time, in order, and a receiver that takes its time holds back no other webhook', async () => {
    const CITY_DA_NANG = 'da-nang';
    const daNang = { ...integrator, cityId: CITY_DA_NANG };
    const slow = await holdingReceiver();
    const fast = await holdingReceiver();
    fast.release(); // answers at once
    const slowHook = await webhooks.register(daNang, { url: slow.url });
    const fastHook = await webhooks.register(daNang, { url: fast.url });
    const sent = Array.from({ length: 25 }, () => event(undefined, undefined, CITY_DA_NANG));
    for (const e of sent) expect(await webhooks.receive(e)).toBe(2);

    // The slow receiver holds its first request for as long as the fast one has not had everything.
    await dispatchUntil(webhooks, () => fast.received.length >= sent.length);
    expect(fast.received).toEqual(sent.map((e) => e.id));
    expect(slow.received).toEqual([sent[0].id]);

    slow.release();
    await drain(webhooks, () => slow.received.length >= sent.length);
    expect(slow.received).toEqual(sent.map((e) => e.id));
    expect(slow.mostAtOnce()).toBe(1);
    expect(fast.mostAtOnce()).toBe(1);
    await webhooks.remove(daNang, slowHook.id);
    await webhooks.remove(daNang, fastHook.id);
    await Promise.all([slow.close(), fast.close()]);
  });

  it('connects to the address it checked: the host name is resolved once per attempt', async () => {
    const target = await receiver();
    const port = new URL(target.url).port;
    // 127.0.0.1, where the receiver listens, to the registration's check and the attempt's; after that
    // 127.0.0.2, where nothing does.
    let asked = 0;
    const resolve = async (host: string) => (host === 'hooks.rebind.test' ? [{ address: asked++ < 2 ? '127.0.0.1' : '127.0.0.2', family: 4 }] : []);
    const pinned = new Webhooks(ds, SCHEMA, { allowPrivate: true, backoffMs: 20, logger: createLogger('silent'), resolve });
    const hook = await pinned.register(integrator, { url: `http://hooks.rebind.test:${port}/hook` });
    const sent = event();
    await pinned.receive(sent);
    await drain(pinned, () => target.received.length >= 1);
    expect(target.received.map((r) => JSON.parse(r.body).id)).toEqual([sent.id]);
    expect(target.received[0].headers.host).toBe(`hooks.rebind.test:${port}`);
    expect(asked).toBe(2);
    await webhooks.remove(integrator, hook.id);
    await target.close();
  });

  it('refuses other cities and private targets when not allowed (roles: the permission matrix)', async () => {
    const strict = new Webhooks(ds, SCHEMA, { allowPrivate: false, backoffMs: 20, logger: createLogger('silent') });
    await expect(strict.register(integrator, { url: 'http://127.0.0.1:9/' })).rejects.toMatchObject({ code: 'webhook-url-private' });
    const hook = await webhooks.register(integrator, { url: 'http://127.0.0.1:9/' });
    await expect(webhooks.get({ ...integrator, cityId: 'hai-phong' }, hook.id)).rejects.toMatchObject({ code: 'webhook-not-found' });
  });
});
