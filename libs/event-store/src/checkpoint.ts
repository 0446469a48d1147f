import { ValidationError } from '@mandate/kernel';
import type { Checkpoint } from './types';

const CHECKPOINT = /^(\d{20}):(\d{19})$/;

export const encodeCheckpoint = (transactionId: string | bigint, globalPosition: bigint): Checkpoint =>
  `${transactionId.toString().padStart(20, '0')}:${globalPosition.toString().padStart(19, '0')}`;

export const decodeCheckpoint = (checkpoint: Checkpoint): { transactionId: string; globalPosition: bigint } => {
  const match = CHECKPOINT.exec(checkpoint);
  if (!match) throw new ValidationError(`Invalid checkpoint "${checkpoint}"`, 'invalid-checkpoint');
  return { transactionId: BigInt(match[1]).toString(), globalPosition: BigInt(match[2]) };
};
