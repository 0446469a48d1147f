export * from './config';
export * from './logger';
export * from './database';
export * from './sql-migration';
export * from './embedded-postgres';
export * from './service-process';
export * from './shared-state';
export * from './cities';
