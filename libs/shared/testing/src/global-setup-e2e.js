// e2e tier: PostgreSQL as for the integration tier, plus the Kafka broker and Redis of infra/.
const net = require('node:net');
const pgSetup = require('./global-setup');

const reachable = (host, port) =>
  new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(2000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });

module.exports = async () => {
  await pgSetup();
  const [kafkaHost, kafkaPort] = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')[0].split(':');
  if (!(await reachable(kafkaHost, Number(kafkaPort)))) {
    throw new Error(`e2e tests need Kafka at ${kafkaHost}:${kafkaPort}: run infra/kafka/start.sh (npm test does it for you)`);
  }
  const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  if (!(await reachable(redis.hostname, Number(redis.port || 6379)))) {
    throw new Error(`e2e tests need Redis at ${redis.host} (npm test starts it when it is installed locally)`);
  }
};
