// Webhook deliveries against a real HTTP receiver the test runs, on the real PostgreSQL.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudEvent } from '@mandate/messaging';
import { createLogger, openServiceDatabase } from '@mandate/runtime';
import { aCloudEvent, createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { verifySignature } from './signature';
import { DISABLE_AFTER_FAILURES, MAX_ATTEMPTS, Webhooks, webhooksMigration } from './webhooks';

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

const drain = async (webhooks: Webhooks, until: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!until() && Date.now() < deadline) {
    await webhooks.dispatchDue();
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('Webhooks', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let webhooks: Webhooks;

  beforeAll(async () => {
    db = await createTestDatabase('webhooks');
    ds = await openServiceDatabase({ url: db.url, schema: SCHEMA, migrations: [webhooksMigration(SCHEMA)] });
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

  it('retries with growing delays while the receiver fails, and delivers when it answers', async () => {
    const target = await receiver([500, 503, 502]);
    const hook = await webhooks.register(integrator, { url: target.url });
    await webhooks.receive(event());
    await drain(webhooks, () => target.received.length >= 4);
    expect(target.received.map((r) => r.headers['mandate-attempt'])).toEqual(['1', '2', '3', '4']);
    expect(await webhooks.deliveries(integrator, hook.id)).toMatchObject([{ status: 'delivered', attempts: 4, lastStatus: 200 }]);
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

  it('refuses other cities and private targets when not allowed (roles: the permission matrix)', async () => {
    const strict = new Webhooks(ds, SCHEMA, { allowPrivate: false, backoffMs: 20, logger: createLogger('silent') });
    await expect(strict.register(integrator, { url: 'http://127.0.0.1:9/' })).rejects.toMatchObject({ code: 'webhook-url-private' });
    const hook = await webhooks.register(integrator, { url: 'http://127.0.0.1:9/' });
    await expect(webhooks.get({ ...integrator, cityId: 'hai-phong' }, hook.id)).rejects.toMatchObject({ code: 'webhook-not-found' });
  });
});
