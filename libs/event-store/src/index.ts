export * from './types';
export { PostgresEventStore } from './postgres-event-store';
export type { AppendOptions, AppendResult, EventStoreOptions, ReadAllOptions, ReadStreamOptions } from './postgres-event-store';
export type { LogScan, LogScanOptions, ScannedEvent } from './log-scan';
export { Upcasters, type Upcaster } from './upcasting';
export type { BrokenLink, VerifyResult } from './verify';
export type { MigrationClass } from './migrations';
export { encodeCheckpoint, decodeCheckpoint } from './checkpoint';
export { canonicalEventText, eventHash, type HashedFields } from './canonical';
