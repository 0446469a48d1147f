// 10,000 tasks of one city turn overdue at once: how fast each agency's e-mail reaches a local SMTP
// sink (rate, p50/p99 from the marks' publication to arrival), against plain nodemailer sends of the
// same number of messages to the same sink in the same process; then webhook deliveries per second
// against plain signed POSTs to the same receiver.
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inbox, type CloudEvent } from '@mandate/messaging';
import {
  MailOutbox,
  NoticeTasks,
  NotificationLog,
  notificationsMigrations,
  PreferenceStore,
  Directory,
  Webhooks,
  signatureOf,
} from '@mandate/notifications-app';
import { notificationSettingsOf } from '@mandate/notifications-domain';
import { TASK_OVERDUE_V1, TASK_PROGRESS_REPORTED_V1 } from '@mandate/plans-contracts';
import { createLogger, openServiceDatabase } from '@mandate/runtime';
import { aCloudEvent, createTestDatabase, smtpSink } from '@mandate/testing';
import nodemailer from 'nodemailer';
import pLimit from 'p-limit';

const TASKS = Number(process.env.BENCH_TASKS ?? 10_000);
const AGENCIES = Number(process.env.BENCH_AGENCIES ?? 200);
const HOOK_EVENTS = Number(process.env.BENCH_HOOK_EVENTS ?? 5_000);
/** Messages handled at once, as the Kafka consumer runs three partitions at a time. */
const CONSUMERS = 3;
const SCHEMA = 'notifications';
const CITY = 'ha-noi';
const logger = createLogger('silent');

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const rate = (n: number, ms: number) => Math.round((n * 1000) / ms);
const bar = (label: string, done: number, total: number, started: number) =>
  process.stdout.write(`\r${label} ${'█'.repeat(Math.round((done / total) * 30)).padEnd(30, '░')} ${done}/${total} ${rate(done, Date.now() - started)}/s   `);

const main = async () => {
  const db = await createTestDatabase('bench_notifications');
  const ds = await openServiceDatabase({ url: db.url, schema: SCHEMA, migrations: notificationsMigrations(SCHEMA), poolSize: 10 });
  const sink = await smtpSink();
  const arrivals = new Map<string, number>();
  const agencies = Array.from({ length: AGENCIES }, (_, i) => `co-quan-${i}`);
  try {
    // The tasks as the service knows them after their issue and assignment (written directly: setup, not measured).
    const tasks = Array.from({ length: TASKS }, (_, i) => ({ id: randomUUID(), lead: agencies[i % AGENCIES], ref: `${i + 1}` }));
    for (let i = 0; i < tasks.length; i += 2000) {
      const chunk = tasks.slice(i, i + 2000);
      await ds.query(
        `INSERT INTO ${SCHEMA}.notice_tasks (task_id, city_id, ref, title, plan_number, deadline, due, lead_agency_id, status)
         SELECT t.id::uuid, $1, t.ref, 'Nhiệm vụ thử tải số ' || t.ref, '999/KH-UBND', 'Tháng 11/2026', '2026-11-30', t.lead, 'in_progress'
           FROM jsonb_to_recordset($2::jsonb) AS t(id text, ref text, lead text)`,
        [CITY, JSON.stringify(chunk)],
      );
    }
    const directory = Directory.parse({ [CITY]: { agencies: Object.fromEntries(agencies.map((a) => [a, `${a}@hanoi.test`])), people: [] } });
    // The city's hourly limit is off here: every notice is its own e-mail (with the default 20 an hour, each agency would get 20 and a bundle).
    const settingsOf = () => notificationSettingsOf({ notifications: { rateLimitPerHour: 0 } });
    const tasksView = new NoticeTasks(SCHEMA);
    const instance = () => {
      const mail = new MailOutbox(ds, SCHEMA, {
        smtpUrl: sink.url,
        from: 'Mandate <no-reply@mandate.test>',
        directory,
        preferences: new PreferenceStore(ds, SCHEMA),
        tasks: tasksView,
        settingsOf,
        publicUrl: 'https://mandate.test',
        backoffMs: 1000,
        clock: { now: () => new Date() },
        logger,
      });
      return { mail, log: new NotificationLog(ds, SCHEMA, new Inbox(ds, SCHEMA), { tasks: tasksView, settingsOf, onRecorded: mail.enqueueIn }) };
    };
    const [one, two] = [instance(), instance()];
    const originalPush = sink.received.push.bind(sink.received);
    sink.received.push = (...mails) => {
      for (const m of mails) arrivals.set(m.messageId ?? randomUUID(), Date.now());
      return originalPush(...mails);
    };

    // Baseline: plain nodemailer, pooled like the outbox, the same number of messages to the same sink.
    const plain = nodemailer.createTransport({ url: sink.url, pool: true, maxConnections: 4 });
    const baselineStart = Date.now();
    const limit = pLimit(40);
    await Promise.all(
      tasks.map((t, i) =>
        limit(async () => {
          await plain.sendMail({
            from: 'x@mandate.test',
            to: `${t.lead}@hanoi.test`,
            subject: `[Mandate] Nhiệm vụ đã quá hạn: ${t.ref}`,
            text: 'Kính gửi Quý cơ quan,\n\nNhiệm vụ đã quá hạn.',
            html: '<p>Nhiệm vụ đã quá hạn.</p>',
            messageId: `<baseline.${i}@mandate>`,
          });
          if (i % 500 === 0) bar('baseline: plain SMTP', i, TASKS, baselineStart);
        }),
      ),
    );
    const baselineMs = Date.now() - baselineStart;
    plain.close();
    bar('baseline: plain SMTP', TASKS, TASKS, baselineStart);
    console.log();
    sink.received.length = 0;
    arrivals.clear();

    // 10,000 overdue marks published at once; two instances' consumers and mailers at work.
    const marks: CloudEvent[] = tasks.map((t) =>
      aCloudEvent(TASK_OVERDUE_V1, { taskId: t.id, planId: randomUUID(), due: '2026-11-30', at: new Date().toISOString() }),
    );
    const published = Date.now();
    let handled = 0;
    let sending = true;
    const sender = async (mail: MailOutbox) => {
      while (sending) if ((await mail.sendDue(50)) === 0) await new Promise((r) => setTimeout(r, 20));
    };
    const senders = [sender(one.mail), sender(two.mail)];
    const consume = pLimit(CONSUMERS);
    await Promise.all(
      marks.map((m, i) =>
        consume(async () => {
          await (i % 2 ? one : two).log.handle(m);
          if (++handled % 500 === 0) bar('overdue marks recorded', handled, TASKS, published);
        }),
      ),
    );
    const recordedMs = Date.now() - published;
    console.log();
    while (sink.received.length < TASKS && Date.now() - published < 600_000) {
      bar('e-mails at the sink   ', sink.received.length, TASKS, published);
      await new Promise((r) => setTimeout(r, 250));
    }
    bar('e-mails at the sink   ', sink.received.length, TASKS, published);
    console.log();
    sending = false;
    await Promise.all(senders);
    const latencies = [...arrivals.values()].map((at) => at - published);
    const totalMs = Math.max(...latencies);
    const distinct = new Set(sink.received.map((m) => m.messageId)).size;

    // Webhook deliveries: one subscription, HOOK_EVENTS events, two dispatchers, a receiver that answers 204.
    let hits = 0;
    const receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => ((hits += 1), res.writeHead(204).end()));
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    // Registered first: a webhook is sent what happens after it exists.
    const hooks = [0, 1].map(() => new Webhooks(ds, SCHEMA, { allowPrivate: true, backoffMs: 1000, logger }));
    await hooks[0].register({ cityId: CITY, userId: 'bench', role: 'integrator' }, { url });
    await new Promise((r) => setTimeout(r, 5));
    const events = Array.from({ length: HOOK_EVENTS }, (_, i) =>
      aCloudEvent(TASK_PROGRESS_REPORTED_V1, {
        taskId: tasks[i % TASKS].id,
        planId: randomUUID(),
        percent: 50,
        text: 'Đang thực hiện',
        attachments: [],
        reportedAt: new Date().toISOString(),
        actor: { userId: 'u', role: 'agency', agencyId: 'co-quan-1' },
      }),
    );
    const hookBaselineStart = Date.now();
    const post = pLimit(40);
    await Promise.all(
      events.map((e) =>
        post(async () => {
          const body = JSON.stringify(e);
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/cloudevents+json', 'Mandate-Signature': signatureOf('whsec_bench', body, Math.floor(Date.now() / 1000)) },
            body,
          });
          await res.arrayBuffer();
        }),
      ),
    );
    const hookBaselineMs = Date.now() - hookBaselineStart;
    hits = 0;
    const queueStart = Date.now();
    const queue = pLimit(CONSUMERS);
    const queued = (await Promise.all(events.map((e) => queue(() => hooks[0].receive(e))))).reduce((a, b) => a + b, 0);
    const queuedMs = Date.now() - queueStart;
    if (queued !== HOOK_EVENTS) throw new Error(`${queued} deliveries queued for ${HOOK_EVENTS} events`);
    const dispatchStart = Date.now();
    // A webhook's deliveries go one at a time: a dispatcher with nothing to start waits for its attempt under way.
    await Promise.all(
      hooks.map(async (h) => {
        while (hits < HOOK_EVENTS && Date.now() - dispatchStart < 300_000) {
          if ((await h.dispatchDue(50)) === 0) await (h.attemptsUnderWay > 0 ? h.settled() : new Promise((r) => setTimeout(r, 10)));
        }
      }),
    );
    await Promise.all(hooks.map((h) => h.settled()));
    const dispatchMs = Date.now() - dispatchStart;
    receiver.close();

    console.log(`\nnotifications bench: ${TASKS} tasks of one city overdue at once, ${AGENCIES} agencies with a mailbox, two instances`);
    console.log(`  baseline, plain nodemailer to the same sink: ${TASKS} e-mails in ${baselineMs} ms = ${rate(TASKS, baselineMs)}/s`);
    console.log(`  marks recorded (inbox + e-mail queued, ${CONSUMERS} at a time): ${recordedMs} ms = ${rate(TASKS, recordedMs)}/s`);
    console.log(
      `  e-mails at the sink: ${sink.received.length} (${distinct} distinct Message-IDs) in ${totalMs} ms = ${rate(sink.received.length, totalMs)}/s; ratio to plain SMTP ${(rate(sink.received.length, totalMs) / rate(TASKS, baselineMs)).toFixed(2)}`,
    );
    console.log(`  latency from publication to arrival: p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${totalMs} ms`);
    console.log(`  webhooks, baseline plain signed POSTs (40 at a time): ${HOOK_EVENTS} in ${hookBaselineMs} ms = ${rate(HOOK_EVENTS, hookBaselineMs)}/s`);
    console.log(
      `  webhooks, events queued: ${queuedMs} ms = ${rate(HOOK_EVENTS, queuedMs)}/s; delivered by two dispatchers: ${hits} in ${dispatchMs} ms = ${rate(hits, dispatchMs)}/s; ratio ${(rate(hits, dispatchMs) / rate(HOOK_EVENTS, hookBaselineMs)).toFixed(2)}`,
    );
  } finally {
    await sink.close();
    await ds.destroy();
    await db.drop();
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
