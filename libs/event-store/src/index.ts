export * from './types';
export { PostgresEventStore } from './postgres-event-store';
export type { AppendOptions, AppendResult, EventStoreOptions, LockedStream, ReadAllOptions, ReadStreamOptions } from './postgres-event-store';
export type { LogScan, LogScanOptions, ScannedEvent } from './log-scan';
export { Upcasters, type Upcaster } from './upcasting';
export type { BrokenLink, VerifyResult } from './verify';
export type { MigrationClass } from './migrations';
export { encodeCheckpoint, decodeCheckpoint } from './checkpoint';
export { canonicalEventText, eventHash, type HashedFields } from './canonical';
export { commandEventId, handleCommand, toDomainEvent, type CommandOptions, type HandleOptions, type HandleResult } from './command-handler';
export type { ChainResult } from './verify';
export { verifyReport } from './verify';
export { EMPTY_MERKLE_ROOT, MerkleBuilder, merkleRoot } from './merkle';
export { anchorView, auditDayOf, dayEnd, dayStart, isAuditDay, type AnchorBreak, type AnchorCheck, type AnchorView, type AuditAnchor } from './anchors';
export type { AnchorRun } from './anchor-store';
export type { AuditSearch } from './audit-log';
export type { VerifyProgress } from './postgres-event-store';
export {
  AUDIT_EXPORT_FORMAT,
  serializeAuditExport,
  signAuditExport,
  verifyAuditExport,
  type AuditExport,
  type AuditExportContent,
  type ExportBrokenLink,
  type ExportedChain,
  type ExportedEvent,
  type ExportVerification,
} from './audit-export';
export { AUDIT_KEY_FILE, auditSigningKeyOf, loadAuditSigningKey, publicKeyFingerprint, type AuditSigningKey } from './audit-key';
export { AnchorScheduler, type AnchorSchedulerOptions } from './anchor-scheduler';
export { CHECKPOINT_FORMAT, type AuditCheckpoint, type CheckpointBreak, type CheckpointCheck, type Unverified } from './audit-checkpoints';
export { CURRENT_HASH_VERSION } from './canonical';
export { DECLARE_NO_LOG_WRITES } from './settled-horizon';
