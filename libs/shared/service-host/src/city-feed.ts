import { randomUUID } from 'node:crypto';
import { decodeCloudEvent, ensureTopic, type KafkaNames } from '@mandate/messaging';
import { CITIES_TOPIC, cityOfContract, successorOfContract, type CityV1 } from '@mandate/plans-contracts';
import type { City, CityRegistry, Logger } from '@mandate/runtime';
import type { Kafka } from 'kafkajs';

/** How long a process waits at start for the cities topic to be read to its end. */
const CATCH_UP_MS = 30_000;

/** The registry's city from the contract: the same settings, under the registry's names. */
export const cityOfV1 = ({ cityId, ...settings }: CityV1): City => ({ id: cityId, ...settings });

/**
 * mandate.cities.v1 as it must be: one partition (every city change in one order) and compacted,
 * so it keeps each city's last message for ever and a process reading it from the beginning knows
 * every city. Created by whichever process comes first; the relay's own topic creation comes after.
 */
export const ensureCitiesTopic = (kafka: Kafka, names: KafkaNames): Promise<void> =>
  ensureTopic(kafka, names.topic(CITIES_TOPIC), { partitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] });

/**
 * Feeds this process's city registry from mandate.cities.v1: every process reads all of it (a
 * consumer group of its own that commits nothing, so each instance of each service gets every
 * message), from the beginning at start and then as the operator changes cities. Resolves once the
 * topic has been read to the end it had at start, so a process serves no request before it knows
 * the cities; a new city reaches it without a restart.
 */
export const followCities = async (kafka: Kafka, names: KafkaNames, registry: CityRegistry, logger: Logger, options: { catchUpMs?: number } = {}) => {
  await ensureCitiesTopic(kafka, names);
  const topic = names.topic(CITIES_TOPIC);
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const unread = new Map(ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));
  let caughtUp: () => void = () => undefined;
  const read = new Promise<void>((resolve) => (caughtUp = resolve));
  if (unread.size === 0) caughtUp();
  const consumer = kafka.consumer({ groupId: names.group(`cities-${randomUUID()}`), allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        try {
          const event = decodeCloudEvent(message);
          const city = cityOfContract(event);
          const into = successorOfContract(event);
          if (city) registry.apply(into ? { ...cityOfV1(city), status: 'merged', mergedInto: into } : cityOfV1(city), BigInt(event.sequence));
        } catch (err) {
          // Not a city this process can learn: said loudly, and the feed goes on (the log is the truth).
          logger.error({ err, offset: message.offset }, 'unreadable message on the cities topic; skipped');
        }
        const end = unread.get(partition);
        if (end !== undefined && BigInt(message.offset) + 1n >= end) {
          unread.delete(partition);
          if (unread.size === 0) caughtUp();
        }
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      read.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), options.catchUpMs ?? CATCH_UP_MS))),
    ]);
    clearTimeout(timer);
    if (!inTime) throw new Error(`The cities topic ${topic} was not read to its end in ${options.catchUpMs ?? CATCH_UP_MS} ms`);
    logger.info({ cities: registry.all().length }, 'cities known');
  } catch (error) {
    await consumer.disconnect();
    throw error;
  }
  return { stop: () => consumer.disconnect() };
};
