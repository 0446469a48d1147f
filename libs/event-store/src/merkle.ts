import { createHash } from 'node:crypto';

/**
 * The Merkle tree of a day's events (daily anchors), RFC 6962 style:
 *
 * - leaf = SHA-256(0x00 ‖ the event's stored hash, as its 64 ASCII hex characters), leaves ordered by
 *   global position;
 * - node = SHA-256(0x01 ‖ left ‖ right) over the two children's 32 raw bytes;
 * - a level with an odd number of nodes promotes its last node unchanged to the next level (never
 *   duplicated: duplication, as in Bitcoin, gives [a, b, c] and [a, b, c, c] the same root);
 * - the root of no events is SHA-256 of the empty string.
 *
 * The 0x00/0x01 prefixes keep a leaf from passing for an inner node. Hex in, hex out.
 */
export const EMPTY_MERKLE_ROOT = createHash('sha256').update(Buffer.alloc(0)).digest('hex');

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

export const merkleLeaf = (eventHash: string): Buffer => createHash('sha256').update(LEAF).update(eventHash, 'ascii').digest();

export const merkleNode = (left: Buffer, right: Buffer): Buffer => createHash('sha256').update(NODE).update(left).update(right).digest();

/**
 * Builds the root one leaf at a time, so a day of a million events needs no list of them: a stack of
 * complete subtrees (sizes strictly falling powers of two), merged as equal sizes meet, then folded
 * from the right. That is RFC 6962's MTH, which is the level-by-level tree with odd nodes promoted.
 */
export class MerkleBuilder {
  private readonly stack: { node: Buffer; size: number }[] = [];
  private count = 0;

  add(eventHash: string): this {
    let entry = { node: merkleLeaf(eventHash), size: 1 };
    while (this.stack.length > 0 && this.stack[this.stack.length - 1].size === entry.size) {
      const left = this.stack.pop()!;
      entry = { node: merkleNode(left.node, entry.node), size: left.size * 2 };
    }
    this.stack.push(entry);
    this.count += 1;
    return this;
  }

  get size(): number {
    return this.count;
  }

  root(): string {
    if (this.stack.length === 0) return EMPTY_MERKLE_ROOT;
    let node = this.stack[this.stack.length - 1].node;
    for (let i = this.stack.length - 2; i >= 0; i--) node = merkleNode(this.stack[i].node, node);
    return node.toString('hex');
  }
}

/** The root over the events' stored hashes, in the order given (global position). */
export const merkleRoot = (eventHashes: readonly string[]): string => {
  const builder = new MerkleBuilder();
  for (const hash of eventHashes) builder.add(hash);
  return builder.root();
};
