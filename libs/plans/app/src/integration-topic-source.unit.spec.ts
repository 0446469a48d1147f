import { encodeCheckpoint, type PostgresEventStore, type ReadAllOptions, type StoredEvent } from '@mandate/event-store';
import { createLogger } from '@mandate/runtime';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { CITIES_TOPIC, CONTRACT_TOPICS, RETIRED_CONTRACTS, TASK_PROGRESS_REPORTED_V1, TASK_STATUS_CHANGED_V2 } from '@mandate/plans-contracts';
import { toOutgoingMessage } from './contract-mapper';
import { integrationTopicSource } from './integration-topic-source';

const PLAN_ID = 'b9f0c7e4-0000-4000-8000-00000000000a';
const taskOf = (n: number) => `b9f0c7e4-0000-4000-8000-00000000000${n}`;
let position = 0n;

const record = (cityId: string, taskNo: number, version: bigint, type: string, data: Record<string, unknown>): StoredEvent => {
  position++;
  return {
    id: `00000000-0000-4000-8000-${position.toString().padStart(12, '0')}`,
    type,
    schemaVersion: type === 'TaskStatusChanged' ? 2 : 1,
    data: { taskId: taskOf(taskNo), planId: PLAN_ID, ...data },
    metadata: {
      cityId,
      actorId: 'u1',
      role: 'agency',
      agencyId: 'so-tu-phap',
      correlationId: 'corr-1',
      causationId: null,
      occurredAt: '2025-03-01T02:00:00.000Z',
    },
    streamId: `task-${taskOf(taskNo)}`,
    streamVersion: version,
    globalPosition: position,
    transactionId: String(1000n + position),
    recordedAt: new Date('2025-03-01T02:00:00.000Z'),
    hash: 'a'.repeat(64),
  };
};
const started = (cityId: string, taskNo: number, version: bigint) =>
  record(cityId, taskNo, version, 'TaskStatusChanged', { from: 'not_started', to: 'in_progress', note: '', changedAt: '2025-03-01T02:00:00.000Z' });
const progress = (cityId: string, taskNo: number, version: bigint) =>
  record(cityId, taskNo, version, 'ProgressReported', { percent: 40, text: 'Đang triển khai', attachments: [], reportedAt: '2025-03-01T02:00:00.000Z' });
/** A revision of nothing the contract carries: no contract, as for the event feed. */
const silentRevision = (cityId: string, taskNo: number, version: bigint) =>
  record(cityId, taskNo, version, 'TaskRevised', { changes: {}, revisedAt: '2025-03-01T02:00:00.000Z' });

/** The store's `readAll` over a fixed log, which is all the source uses. */
const storeOver = (log: StoredEvent[]) =>
  ({
    async readAll({ after, limit }: ReadAllOptions) {
      const checkpointOf = (e: StoredEvent) => encodeCheckpoint(e.transactionId, e.globalPosition);
      const events = log.filter((e) => after === null || checkpointOf(e) > after).slice(0, limit);
      return { events, checkpoint: events.length ? checkpointOf(events.at(-1)!) : after };
    },
  }) as unknown as PostgresEventStore;

describe('integrationTopicSource', () => {
  const logged: unknown[] = [];
  const logger = createLogger('silent');
  logger.error = ((...args: unknown[]) => void logged.push(args)) as typeof logger.error;

  const log = [
    started('ha-noi', 1, 3n),
    started('hai-phong', 2, 3n),
    silentRevision('ha-noi', 1, 4n),
    progress('ha-noi', 1, 5n),
    started('Bad City', 3, 3n),
    progress('hai-phong', 2, 4n),
  ];
  const source = integrationTopicSource(storeOver(log), { logger });

  it('puts each city’s events with a contract on its own topic, keyed by subject, as the same CloudEvents', async () => {
    const { messages, checkpoint } = await source.read(null, 100);
    expect(messages.map((m) => [m.topic, m.key, m.event.type, m.event.sequence])).toEqual([
      ['mandate.integration.ha-noi.v1', `task-${taskOf(1)}`, TASK_STATUS_CHANGED_V2, '3'],
      ['mandate.integration.hai-phong.v1', `task-${taskOf(2)}`, TASK_STATUS_CHANGED_V2, '3'],
      ['mandate.integration.ha-noi.v1', `task-${taskOf(1)}`, TASK_PROGRESS_REPORTED_V1, '5'],
      ['mandate.integration.hai-phong.v1', `task-${taskOf(2)}`, TASK_PROGRESS_REPORTED_V1, '4'],
    ]);
    for (const m of messages) {
      const internal = log.map(toOutgoingMessage).find((o) => o?.event.id === m.event.id)!;
      expect(m.event).toEqual(internal.event);
      expect(m.key).toBe(m.event.subject);
    }
    // The events left out (no contract, an unusable city id) are behind the checkpoint all the same.
    expect(checkpoint).toBe(encodeCheckpoint(log.at(-1)!.transactionId, log.at(-1)!.globalPosition));
    expect(messages.at(-1)!.checkpoint).toBe(checkpoint);
  });

  it('says so when a city id cannot name a topic, instead of stalling every city', async () => {
    logged.length = 0;
    await source.read(null, 100);
    expect(JSON.stringify(logged)).toContain('Bad City');
  });

  it('goes on after a checkpoint, in pages', async () => {
    const first = await source.read(null, 2);
    expect(first.messages.map((m) => m.event.id)).toEqual([log[0].id, log[1].id]);
    const rest = await source.read(first.checkpoint, 100);
    expect(rest.messages.map((m) => m.event.id)).toEqual([log[3].id, log[5].id]);
  });

  it('lists no topic up front, so the in-process bus routes no subscription to it', () => {
    expect(source.name).toBe('integration');
    expect(source.topics).toEqual([]);
  });

  it('is documented in docs/asyncapi.yaml with every type the plans service publishes for a city, and no other', () => {
    type Node = Record<string, any>;
    const doc = parse(fs.readFileSync(path.resolve(__dirname, '../../../../docs/asyncapi.yaml'), 'utf8')) as Node;
    const channel = doc.components.channels.cityIntegration as Node;
    expect(channel.address).toBe('mandate.integration.{cityId}.v1');
    const named = Object.values(channel.messages as Node).map((m) => doc.components.messages[(m.$ref as string).split('/').at(-1)!].name as string);
    // The operator log's city events are the platform's, on mandate.cities.v1 only.
    const published = Object.entries(CONTRACT_TOPICS)
      .filter(([type, topic]) => !(type in RETIRED_CONTRACTS) && topic !== CITIES_TOPIC)
      .map(([type]) => type);
    expect(named.sort()).toEqual(published.sort());
  });
});
