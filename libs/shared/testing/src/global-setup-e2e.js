// e2e tier: PostgreSQL as for the integration tier, plus the Kafka broker and Redis of infra/.
const { reachable } = require('./reachable');
const pgSetup = require('./global-setup');

module.exports = async () => {
  await pgSetup();
  const [kafkaHost, kafkaPort] = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')[0].split(':');
  if (!(await reachable(Number(kafkaPort), kafkaHost, 2000))) {
    throw new Error(`e2e tests need Kafka at ${kafkaHost}:${kafkaPort}: run infra/kafka/start.sh (npm test does it for you)`);
  }
  const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  if (!(await reachable(Number(redis.port || 6379), redis.hostname, 2000))) {
    throw new Error(`e2e tests need Redis at ${redis.host} (npm test starts it when it is installed locally)`);
  }
};
