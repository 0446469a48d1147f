import { ValidationError } from '@mandate/kernel';
import type { Checkpoint } from './types';

const CHECKPOINT = /^(\d{20}):(\d{19})$/;
/** PostgreSQL's xid8 (unsigned 64-bit) and bigint (signed 64-bit): 20 and 19 digits hold larger numbers. */
const MAX_XID8 = 2n ** 64n - 1n;
const MAX_BIGINT = 2n ** 63n - 1n;

export const encodeCheckpoint = (transactionId: string | bigint, globalPosition: bigint): Checkpoint =>
  `${transactionId.toString().padStart(20, '0')}:${globalPosition.toString().padStart(19, '0')}`;

export const decodeCheckpoint = (checkpoint: Checkpoint): { transactionId: string; globalPosition: bigint } => {
  const match = CHECKPOINT.exec(checkpoint);
  const [transactionId, globalPosition] = match ? [BigInt(match[1]), BigInt(match[2])] : [-1n, -1n];
  if (!match || transactionId > MAX_XID8 || globalPosition > MAX_BIGINT) {
    throw new ValidationError(`Invalid checkpoint "${checkpoint}": not a position this log gave out`, 'invalid-checkpoint');
  }
  return { transactionId: transactionId.toString(), globalPosition };
};
