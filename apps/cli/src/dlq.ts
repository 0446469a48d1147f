import { SingleBar, Presets } from 'cli-progress';
import { createKafka, deadLetterTopic, KafkaNames, KafkaPublisher, readDeadLetters, replayDeadLetters, type DeadLetter } from '@mandate/messaging';
import { PLANS_TOPIC, TASKS_TOPIC } from '@mandate/plans-contracts';
import type { Config, Logger } from '@mandate/runtime';

const TOPICS = [PLANS_TOPIC, TASKS_TOPIC];

const dlqTopics = (topic?: string) => (topic ? [deadLetterTopic(topic.replace(/\.dlq$/, ''))] : TOPICS.map(deadLetterTopic));

const view = (l: DeadLetter) => ({
  topic: l.topic,
  partition: l.partition,
  offset: l.offset,
  key: l.key,
  eventId: l.eventId,
  type: l.type,
  group: l.group,
  attempts: l.attempts,
  failedAt: l.failedAt,
  replayed: l.replayed,
  error: l.error,
});

/** `mandate dlq list`: what the consumers set aside, oldest first. */
export const listDeadLetters = async (config: Config, logger: Logger, options: { topic?: string; json?: boolean }) => {
  const kafka = createKafka(config.KAFKA_BROKERS, 'mandate-cli', logger);
  const letters = (await readDeadLetters(kafka, dlqTopics(options.topic), new KafkaNames(config.KAFKA_NAMESPACE))).map(view);
  if (options.json) return void process.stdout.write(`${JSON.stringify(letters, null, 2)}\n`);
  if (letters.length === 0) return void process.stdout.write('No dead letters.\n');
  for (const l of letters) {
    process.stdout.write(
      `${l.failedAt}  ${l.topic}[${l.partition}]@${l.offset}  group=${l.group}  ${l.type ?? '(undecodable)'}  ${l.eventId ?? ''}${l.replayed ? '  (replayed)' : ''}\n    ${l.error}\n`,
    );
  }
  process.stdout.write(`${letters.length} dead letter(s), ${letters.filter((l) => !l.replayed).length} not replayed\n`);
};

/** `mandate dlq replay`: sends dead letters back to their topic; consumers' inboxes drop what they already applied. */
export const replay = async (config: Config, logger: Logger, options: { topic?: string; id?: string; group?: string }) => {
  const kafka = createKafka(config.KAFKA_BROKERS, 'mandate-cli', logger);
  const publisher = new KafkaPublisher(kafka, new KafkaNames(config.KAFKA_NAMESPACE));
  const bar = new SingleBar({ format: 'replay |{bar}| {value}/{total} letters | {rate}/s', hideCursor: true }, Presets.shades_classic);
  const started = Date.now();
  let total = 0;
  try {
    const matches = (l: DeadLetter) => (!options.id || l.eventId === options.id) && (!options.group || l.group === options.group);
    const pending = (await readDeadLetters(kafka, dlqTopics(options.topic), publisher.names)).filter((l) => !l.replayed && matches(l));
    total = pending.length;
    if (process.stderr.isTTY && total > 0) bar.start(total, 0, { rate: '0' });
    let done = 0;
    const { replayed } = await replayDeadLetters(kafka, publisher, dlqTopics(options.topic), matches, () => {
      done++;
      if (process.stderr.isTTY) bar.update(done, { rate: (done / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(1) });
    });
    bar.stop();
    process.stdout.write(`${replayed.length} dead letter(s) sent back to their topic\n`);
  } finally {
    await publisher.close();
  }
};
