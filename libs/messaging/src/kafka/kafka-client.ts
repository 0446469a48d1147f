import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '@mandate/runtime';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client whose logs go to the service's JSON logger. */
export const createKafka = (brokers: string[], clientId: string, logger: Logger): Kafka =>
  new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 10 },
    logCreator:
      () =>
      ({ level, namespace, log }: LogEntry) => {
        const { message, ...rest } = log;
        logger[LEVELS[level] ?? 'info']({ kafka: namespace, ...rest }, message);
      },
  });
