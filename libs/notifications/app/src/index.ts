export * from './notification-log';
