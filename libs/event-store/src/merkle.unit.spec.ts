import { createHash } from 'node:crypto';
import { EMPTY_MERKLE_ROOT, MerkleBuilder, merkleRoot } from './merkle';

const sha = (...parts: Uint8Array[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const hashOf = (i: number) => createHash('sha256').update(`event ${i}`).digest('hex');
const leaf = (h: string) => sha(Buffer.from([0]), Buffer.from(h, 'ascii'));
const node = (l: Buffer, r: Buffer) => sha(Buffer.from([1]), l, r);

/** The documented tree, written the slow way: pair level by level, the odd last node goes up unchanged. */
const levelByLevel = (hashes: string[]): string => {
  let level: Buffer[] = hashes.map(leaf);
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? node(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0].toString('hex');
};

describe('merkleRoot', () => {
  it('of no events is SHA-256 of the empty string', () => {
    expect(merkleRoot([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(EMPTY_MERKLE_ROOT).toBe(merkleRoot([]));
  });

  it('of one event is its leaf: SHA-256 of 0x00 and the stored hash as ASCII hex', () => {
    expect(merkleRoot([hashOf(1)])).toBe(leaf(hashOf(1)).toString('hex'));
  });

  it('joins two leaves under 0x01, left then right', () => {
    expect(merkleRoot([hashOf(1), hashOf(2)])).toBe(node(leaf(hashOf(1)), leaf(hashOf(2))).toString('hex'));
    expect(merkleRoot([hashOf(2), hashOf(1)])).not.toBe(merkleRoot([hashOf(1), hashOf(2)]));
  });

  it('promotes an odd node instead of duplicating it', () => {
    const [a, b, c] = [hashOf(1), hashOf(2), hashOf(3)];
    expect(merkleRoot([a, b, c])).toBe(node(node(leaf(a), leaf(b)), leaf(c)).toString('hex'));
    expect(merkleRoot([a, b, c])).not.toBe(merkleRoot([a, b, c, c]));
  });

  it.each(Array.from({ length: 70 }, (_, i) => i + 1))('is the level-by-level tree for %i events', (n) => {
    const hashes = Array.from({ length: n }, (_, i) => hashOf(i));
    expect(merkleRoot(hashes)).toBe(levelByLevel(hashes));
  });

  it('changes when any event is left out, changed or moved', () => {
    const hashes = Array.from({ length: 13 }, (_, i) => hashOf(i));
    const root = merkleRoot(hashes);
    for (let i = 0; i < hashes.length; i++) {
      expect(merkleRoot(hashes.filter((_, j) => j !== i))).not.toBe(root);
      expect(merkleRoot(hashes.map((h, j) => (j === i ? hashOf(100 + i) : h)))).not.toBe(root);
    }
    expect(merkleRoot([...hashes.slice(1), hashes[0]])).not.toBe(root);
  });

  it('is built one leaf at a time with the same result', () => {
    const builder = new MerkleBuilder();
    const hashes: string[] = [];
    for (let i = 0; i < 33; i++) {
      builder.add(hashOf(i));
      hashes.push(hashOf(i));
      expect(builder.root()).toBe(merkleRoot(hashes));
    }
    expect(builder.size).toBe(33);
  });
});
