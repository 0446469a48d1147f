// The per-city integration topics against the real broker: what an integrator of one city reads.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { PostgresEventStore, type NewEvent } from '@mandate/event-store';
import {
  decodeCloudEvent,
  integrationTopicOf,
  integratorGroupPrefix,
  KafkaNames,
  KafkaPublisher,
  PostgresLeaderLock,
  Relay,
  type CloudEvent,
} from '@mandate/messaging';
import { CURRENT_SCHEMA_VERSIONS, integrationTopicSource, PLANS_UPCASTERS, readIntegrationFeed } from '@mandate/plans-app';
import { createLogger, openServiceDatabase } from '@mandate/runtime';
import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { deleteTopics, spawnService, stopService, TEST_SECRET, type ServiceProcess } from './testing/deployments';
import { eventually } from './testing/http-contract';

jest.setTimeout(30_000);

const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const kafka = new Kafka({ clientId: 'mandate-integration-topics-test', brokers: BROKERS.split(','), logLevel: logLevel.NOTHING });
const logger = createLogger('silent');
const SCHEMA = 'plans';

type Received = { partition: number; offset: string; key: string; event: CloudEvent };

/** Reads a topic from the beginning in a fresh group of the city's integrator, until `count` messages are in. */
const consume = async (names: KafkaNames, cityId: string, count: number): Promise<Received[]> => {
  // Short fetch waits: disconnecting waits for the fetch in flight.
  const consumer = kafka.consumer({ groupId: names.group(`${integratorGroupPrefix(cityId)}e2e-${randomUUID()}`), maxWaitTimeInMs: 200 });
  const received: Received[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: names.topic(integrationTopicOf(cityId)), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }: { partition: number; message: KafkaMessage }) =>
        void received.push({ partition, offset: message.offset, key: message.key?.toString('utf8') ?? '', event: decodeCloudEvent(message) }),
    });
    await eventually(
      async () => received.length,
      (n) => n >= count,
      15_000,
    );
    return received;
  } finally {
    await consumer.disconnect();
  }
};

/** Messages on a topic, all partitions: what was published, duplicates included. */
const messagesOn = async (topic: string): Promise<number> => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
};

const listTopics = async (prefix: string): Promise<string[]> => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter((t) => t.startsWith(prefix)).sort();
  } finally {
    await admin.disconnect();
  }
};

const integrator = (cityId: string) => ({ userId: `erp-${cityId}`, role: 'integrator' as const, agencyId: null, cityId });

/** What the event feed serves the city's integrator, which the topic must carry, in the same order. */
const feedOf = async (store: PostgresEventStore, cityId: string) =>
  (await readIntegrationFeed(store, integrator(cityId), { after: null, types: null, limit: 1000 })).items;

/**
 * Log order, as Kafka can keep it: every partition holds its events in the feed's order, and so
 * (the key being the subject) does every plan and task.
 */
const expectInLogOrder = (received: Received[], feed: { id: string }[]) => {
  const rank = new Map(feed.map((e, i) => [e.id, i]));
  for (const partition of new Set(received.map((r) => r.partition))) {
    const ranks = received.filter((r) => r.partition === partition).map((r) => rank.get(r.event.id)!);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  }
};

describe('one integration topic per city (mandate.integration.<cityId>.v1)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: PostgresEventStore;
  const namespace = `test-${randomUUID().slice(0, 8)}`;
  const names = new KafkaNames(namespace);

  beforeAll(async () => {
    db = await createTestDatabase('e2e_integration_topics');
    ds = await openServiceDatabase({ url: db.url, schema: SCHEMA, migrations: [...PostgresEventStore.migrations(SCHEMA), Relay.migration(SCHEMA)] });
    store = new PostgresEventStore(ds, { schema: SCHEMA, upcasters: [...PLANS_UPCASTERS] });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
    await deleteTopics(BROKERS, `${namespace}.`);
  });

  const at = '2025-03-01T02:00:00.000Z';
  const event = (cityId: string, type: string, data: Record<string, unknown>, schemaVersion = CURRENT_SCHEMA_VERSIONS[type] ?? 1): NewEvent => ({
    id: randomUUID(),
    type,
    schemaVersion,
    data,
    metadata: { cityId, actorId: 'u1', role: 'office', agencyId: null, correlationId: randomUUID(), causationId: null, occurredAt: at },
  });
  const lead = { agencyId: 'so-tu-phap', name: 'Sở Tư pháp', text: 'Sở Tư pháp', resolution: 'resolved' };

  /** A plan of `tasks` tasks as the importer writes it: each task issued and assigned, then the plan. */
  const issuePlan = async (cityId: string, tasks: number) => {
    const planId = randomUUID();
    const taskIds = Array.from({ length: tasks }, () => randomUUID());
    for (const [i, taskId] of taskIds.entries()) {
      await store.append(
        `task-${taskId}`,
        [
          event(cityId, 'TaskIssued', {
            taskId,
            planId,
            planNumber: '1/KH-UBND',
            ref: `${i + 1}`,
            title: `Nhiệm vụ ${i + 1}`,
            group: null,
            deliverable: 'Báo cáo',
            deadline: { text: 'Quý IV/2025', kind: 'quarter', due: '2025-12-31', start: '2025-10-01', recurrence: null },
            supervisor: null,
            note: null,
            issuedAt: at,
          }),
          event(cityId, 'TaskAssigned', { taskId, planId, lead, coordinators: [], previousLeadAgencyId: null, assignedAt: at }),
        ],
        { expectedVersion: 'no_stream', cityId },
      );
    }
    await store.append(
      `plan-${planId}`,
      [
        event(cityId, 'PlanIssued', {
          planId,
          number: '1/KH-UBND',
          kind: 'plan',
          title: `Kế hoạch của ${cityId}`,
          issuedOn: '2025-03-01',
          effectiveOn: null,
          issuer: `UBND ${cityId}`,
          signer: null,
          fields: [],
          implements: [],
          source: { document: 'test', truncated: false, warnings: [] },
          tasks: taskIds.map((taskId, i) => ({ taskId, ref: `${i + 1}` })),
          issuedAt: at,
        }),
      ],
      { expectedVersion: 'no_stream', cityId },
    );
    return { planId, taskIds };
  };
  const move = (cityId: string, planId: string, taskId: string, version: bigint, from: string, to: string, schemaVersion?: number) =>
    store.append(`task-${taskId}`, [event(cityId, 'TaskStatusChanged', { taskId, planId, from, to, note: '', changedAt: at }, schemaVersion)], {
      expectedVersion: version,
      cityId,
    });
  /** A revision of nothing the contracts carry: in the log, on no topic and in no feed. */
  const reviseSilently = (cityId: string, planId: string, taskId: string, version: bigint) =>
    store.append(`task-${taskId}`, [event(cityId, 'TaskRevised', { taskId, planId, changes: {}, revisedAt: at })], { expectedVersion: version, cityId });

  const startRelay = () => {
    const publisher = new KafkaPublisher(kafka, names, { createTopics: true });
    const relay = new Relay(ds, integrationTopicSource(store, { logger }), publisher, new PostgresLeaderLock(db.url, 'plans-integration-relay', logger), {
      schema: SCHEMA,
      logger,
      pollIntervalMs: 50,
      lockRetryMs: 50,
    });
    relay.start();
    return {
      relay,
      /** Until the relay has passed the log's head. */
      caughtUp: async () => {
        const head = (await store.readAll({ after: null, limit: 100_000 })).checkpoint;
        await eventually(
          async () => relay.status().checkpoint,
          (c) => c === head,
          15_000,
        );
        expect(relay.status().checkpoint).toBe(head);
      },
      stop: async () => {
        await relay.stop();
        await publisher.close();
      },
    };
  };

  it('gives Hà Nội’s integrator Hà Nội’s feed in log order keyed by subject, nothing of Hải Phòng, and nothing twice across a restart', async () => {
    const haNoi = await issuePlan('ha-noi', 3);
    const haiPhong = await issuePlan('hai-phong', 2);
    await move('ha-noi', haNoi.planId, haNoi.taskIds[0], 2n, 'not_started', 'in_progress');
    await move('hai-phong', haiPhong.planId, haiPhong.taskIds[0], 2n, 'not_started', 'in_progress');
    await reviseSilently('ha-noi', haNoi.planId, haNoi.taskIds[1], 2n);
    // Written with the first status vocabulary: the topic, like the feed, carries the current contract.
    await move('ha-noi', haNoi.planId, haNoi.taskIds[0], 3n, 'in_progress', 'pending_confirmation', 1);

    const first = startRelay();
    await first.caughtUp();
    await first.stop();

    const haNoiFeed = await feedOf(store, 'ha-noi');
    const haiPhongFeed = await feedOf(store, 'hai-phong');
    expect(haNoiFeed).toHaveLength(3 * 2 + 1 + 2); // issued and assigned per task, the plan, two status changes
    expect(first.relay.status().published).toBe(haNoiFeed.length + haiPhongFeed.length);

    // Only the two cities' topics, created by the relay's publisher with the services' settings, and no .dlq twins.
    const haNoiTopic = names.topic('mandate.integration.ha-noi.v1');
    expect(await listTopics(`${namespace}.`)).toEqual([haNoiTopic, names.topic('mandate.integration.hai-phong.v1')].sort());
    const admin = kafka.admin();
    await admin.connect();
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [haNoiTopic] })).topics;
    await admin.disconnect();
    expect(metadata.partitions).toHaveLength(3);

    const received = await consume(names, 'ha-noi', haNoiFeed.length);
    expect(received.map((r) => r.event.id).sort()).toEqual(haNoiFeed.map((e) => e.id).sort());
    expectInLogOrder(received, haNoiFeed);
    for (const r of received) {
      expect(r.key).toBe(r.event.subject);
      const { position: _position, ...served } = haNoiFeed.find((e) => e.id === r.event.id)!;
      expect(r.event).toEqual(served); // the same CloudEvent as the feed's (and the internal topics')
    }
    expect(received.some((r) => r.event.cityid !== 'ha-noi')).toBe(false);
    expect(
      received.filter((r) => r.event.type.startsWith('vn.mandate.task.status-changed')).map((r) => [r.event.type, (r.event.data as { to: string }).to]),
    ).toEqual([
      ['vn.mandate.task.status-changed.v2', 'in_progress'],
      ['vn.mandate.task.status-changed.v2', 'submitted'],
    ]);
    expect(await messagesOn(names.topic(integrationTopicOf('hai-phong')))).toBe(haiPhongFeed.length);

    // A new relay process resumes at the checkpoint: what is on the topic already is not sent again.
    await move('ha-noi', haNoi.planId, haNoi.taskIds[2], 2n, 'not_started', 'in_progress');
    await move('hai-phong', haiPhong.planId, haiPhong.taskIds[1], 2n, 'not_started', 'in_progress');
    const second = startRelay();
    await second.caughtUp();
    await second.stop();
    expect(second.relay.status().published).toBe(2);
    const haNoiAfter = await feedOf(store, 'ha-noi');
    expect(haNoiAfter).toHaveLength(haNoiFeed.length + 1);
    expect(await messagesOn(haNoiTopic)).toBe(haNoiAfter.length);
    expect(await messagesOn(names.topic(integrationTopicOf('hai-phong')))).toBe(haiPhongFeed.length + 1);
    const again = await consume(names, 'ha-noi', haNoiAfter.length);
    expect(again.map((r) => r.event.id).sort()).toEqual(haNoiAfter.map((e) => e.id).sort());
    expectInLogOrder(again, haNoiAfter);
  });

  it('is relayed by the distributed plans service under its own leader lock, unless MANDATE_INTEGRATION_TOPICS=false', async () => {
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: BROKERS,
      KAFKA_NAMESPACE: namespace,
      MANDATE_JWT_SECRET: TEST_SECRET,
      MANDATE_SEED: 'false',
      MANDATE_DEADLINE_SCAN_SECONDS: '0',
      PORT: '0',
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
    };
    const lockSessions = async (name: string) =>
      Number(
        (
          await ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, [
            `mandate-lock:${name}`,
          ])
        )[0].n,
      );
    const started: ServiceProcess[] = [];
    try {
      started.push(await spawnService('plans', env));
      const haNoi = await issuePlan('ha-noi', 1);
      // The first test left its events on the topic; this process's relay goes on from its checkpoint. The feed is
      // gap-safe cluster-wide (other suites' open transactions hold it back), so wait until feed and topic agree twice.
      const haNoiTopic = names.topic(integrationTopicOf('ha-noi'));
      const settled = await eventually(
        async () => [
          (await feedOf(store, 'ha-noi')).length,
          await messagesOn(haNoiTopic),
          await (async () => (await new Promise((r) => setTimeout(r, 300)), (await feedOf(store, 'ha-noi')).length))(),
        ],
        ([feed, onTopic, again]) => feed === onTopic && feed === again,
        20_000,
      );
      const haNoiFeed = { length: settled[0] };
      expect(await messagesOn(haNoiTopic)).toBe(haNoiFeed.length);
      expect(await lockSessions('plans-integration-relay')).toBe(1);

      // A second instance with the integration topics turned off: it waits for the services' relay only.
      started.push(await spawnService('plans', { ...env, MANDATE_INTEGRATION_TOPICS: 'false' }));
      expect(
        await eventually(
          () => lockSessions('plans-relay'),
          (n) => n === 2,
          10_000,
        ),
      ).toBe(2);
      expect(await lockSessions('plans-integration-relay')).toBe(1);
      await stopService(started[0]);
      await move('ha-noi', haNoi.planId, haNoi.taskIds[0], 2n, 'not_started', 'in_progress');
      // The services' relay fails over to the second instance and publishes the move; the integration
      // relay has no instance to fail over to, so its topic stays as it was.
      const taskEvents = [...(await feedOf(store, 'ha-noi')), ...(await feedOf(store, 'hai-phong'))].filter((e) => e.subject.startsWith('task-')).length;
      const tasksTopic = names.topic('mandate.tasks.v1');
      expect(
        await eventually(
          () => messagesOn(tasksTopic),
          (n) => n >= taskEvents,
          15_000,
        ),
      ).toBeGreaterThanOrEqual(taskEvents);
      expect(await messagesOn(names.topic(integrationTopicOf('ha-noi')))).toBe(haNoiFeed.length);
      expect(
        await eventually(
          () => lockSessions('plans-integration-relay'),
          (n) => n === 0,
          5_000,
        ),
      ).toBe(0);
    } finally {
      await Promise.all(started.map((s) => stopService(s)));
    }
  });
});
