import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { canonicalEventText, chainHash, eventHash, type HashedFields } from './canonical';

const fields = (overrides: Partial<HashedFields> = {}): HashedFields => ({
  streamId: 'task-0b9f7c52',
  streamVersion: 2n,
  eventId: '6f1c2f0e-2f43-4a8e-9a53-1d2f8c0b7a11',
  type: 'TaskAssigned',
  schemaVersion: 1,
  data: { z: [3, 1.5, null], a: 'Đà Nẵng "quy hoạch"\n\t\u0001', n: { y: true, b: 1e21, c: -0 } },
  metadata: { cityId: 'da-nang', actorId: 'u-17', agencyId: null, occurredAt: '2026-03-02T08:15:00.000Z' },
  cityId: 'da-nang',
  ...overrides,
});

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('Canonical event text', () => {
  it('is the RFC 8785 form of the hashed fields', () => {
    const f = fields();

    expect(canonicalEventText(f)).toBe(canonicalize({ ...f, streamVersion: Number(f.streamVersion) }));
  });

  it('sorts keys and normalises numbers', () => {
    const text = canonicalEventText(fields());

    expect(text).toContain('"data":{"a":"Đà Nẵng \\"quy hoạch\\"\\n\\t\\u0001","n":{"b":1e+21,"c":0,"y":true},"z":[3,1.5,null]}');
    expect(text.startsWith('{"cityId":"da-nang","data":')).toBe(true);
    expect(text.endsWith(',"streamId":"task-0b9f7c52","streamVersion":2,"type":"TaskAssigned"}')).toBe(true);
  });

  it('does not depend on key order in the input', () => {
    const data = { b: 2, a: { d: 1, c: 2 } };
    const reordered = { a: { c: 2, d: 1 }, b: 2 };

    expect(canonicalEventText(fields({ data }))).toBe(canonicalEventText(fields({ data: reordered })));
  });

  it('accepts precomputed canonical data and metadata', () => {
    const f = fields();

    expect(canonicalEventText(f, canonicalize(f.data), canonicalize(f.metadata))).toBe(canonicalEventText(f));
  });
});

describe('Event hash', () => {
  it('is SHA-256 hex over the previous hash followed by the canonical text', () => {
    const f = fields();

    expect(eventHash('', f)).toBe(sha256(canonicalEventText(f)));
    expect(eventHash('ab'.repeat(32), f)).toBe(sha256('ab'.repeat(32) + canonicalEventText(f)));
  });

  it('chains: a different predecessor gives a different hash', () => {
    expect(chainHash('a', 'x')).not.toBe(chainHash('b', 'x'));
  });

  it('pins a known value', () => {
    expect(chainHash('', '{"a":1}')).toBe('015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });

  it('changes when any hashed field changes', () => {
    const base = eventHash('', fields());
    const variants: Partial<HashedFields>[] = [
      { streamId: 'task-other' },
      { streamVersion: 3n },
      { eventId: '6f1c2f0e-2f43-4a8e-9a53-1d2f8c0b7a12' },
      { type: 'TaskReassigned' },
      { schemaVersion: 2 },
      { data: { a: 1 } },
      { metadata: { cityId: 'da-nang' } },
      { cityId: 'hue' },
    ];

    for (const variant of variants) expect(eventHash('', fields(variant))).not.toBe(base);
  });
});
