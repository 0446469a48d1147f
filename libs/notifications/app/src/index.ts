export * from './notification-log';
export * from './webhooks/webhooks';
export * from './webhooks/signature';
export * from './webhooks/target-guard';
export * from './mail/mail-outbox';
export * from './mail/mail-templates';
export * from './notice-stream';
