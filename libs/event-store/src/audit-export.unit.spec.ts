import { generateKeyPairSync } from 'node:crypto';
import { auditSigningKeyOf } from './audit-key';
import { serializeAuditExport, signAuditExport, verifyAuditExport, type AuditExportContent, type ExportedEvent } from './audit-export';
import { eventHash } from './canonical';
import { isAuditDay } from './anchors';
import { merkleRoot } from './merkle';

const CITY = 'hue';
const newKey = () => auditSigningKeyOf(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
const KEY = newKey();

type Spec = { streamId: string; version: number; at: string; note: string };

/** Events of the city with their hashes chained per stream, from the given starting hashes. */
const chained = (specs: Spec[], startHashes: Record<string, string> = {}): ExportedEvent[] => {
  const previous = new Map(Object.entries(startHashes));
  return specs.map((spec, i) => {
    const base = {
      position: 100 + i,
      streamId: spec.streamId,
      version: spec.version,
      eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      type: 'TaskNoted',
      schemaVersion: 1,
      data: { note: spec.note, n: i },
      metadata: { cityId: CITY, actorId: `user-${i}`, role: 'office', agencyId: null, correlationId: `c-${i}`, causationId: null, occurredAt: spec.at },
      cityId: CITY,
      recordedAt: new Date(spec.at).toISOString(),
    };
    const hash = eventHash(previous.get(spec.streamId) ?? '', {
      ...base,
      streamVersion: BigInt(base.version),
      hashVersion: 2,
      globalPosition: BigInt(base.position),
      recordedAt: new Date(base.recordedAt),
    });
    previous.set(spec.streamId, hash);
    return { ...base, hash, hashVersion: 2 };
  });
};

/** The anchor of a day as the store would have recorded it from these events. */
const anchorOf = (day: string, events: ExportedEvent[], previousAnchorRoot: string | null) => {
  const ofDay = events.filter((e) => new Date(Date.parse(e.recordedAt) + 7 * 3600_000).toISOString().startsWith(day));
  return {
    day,
    root: merkleRoot(ofDay.map((e) => e.hash)),
    events: ofDay.length,
    firstPosition: ofDay[0].position,
    lastPosition: ofDay[ofDay.length - 1].position,
    previousAnchorRoot,
    createdAt: '2026-03-04T00:05:00.000Z',
  };
};

// Stream "task-b" is exported from version 3: its chain starts from the stored hash of version 2.
const B_VERSION_2_HASH = 'b'.repeat(64);
const EVENTS = chained(
  [
    { streamId: 'task-a', version: 1, at: '2026-03-01T08:00:00+07:00', note: 'Khảo sát hiện trạng' },
    { streamId: 'task-b', version: 3, at: '2026-03-01T09:00:00+07:00', note: 'Báo cáo tiến độ' },
    { streamId: 'task-a', version: 2, at: '2026-03-01T23:59:59.999+07:00', note: 'Hoàn thành' },
    { streamId: 'task-c', version: 1, at: '2026-03-02T00:00:00+07:00', note: 'Giao nhiệm vụ' },
    { streamId: 'task-b', version: 4, at: '2026-03-02T10:00:00+07:00', note: 'Đã xác nhận' },
    { streamId: 'task-c', version: 2, at: '2026-03-03T10:00:00+07:00', note: 'Chưa được neo' },
  ],
  { 'task-b': B_VERSION_2_HASH },
);

const contentOf = (events: ExportedEvent[], overrides: Partial<AuditExportContent> = {}): AuditExportContent => {
  const first = anchorOf('2026-03-01', events, 'f'.repeat(64));
  return {
    city: CITY,
    from: '2026-03-01',
    to: '2026-03-03',
    generatedAt: '2026-03-03T12:00:00.000Z',
    events,
    chains: [
      { streamId: 'task-a', fromVersion: 1, toVersion: 2, previousHash: '' },
      { streamId: 'task-b', fromVersion: 3, toVersion: 4, previousHash: B_VERSION_2_HASH },
      { streamId: 'task-c', fromVersion: 1, toVersion: 2, previousHash: '' },
    ],
    anchors: [first, anchorOf('2026-03-02', events, first.root)],
    ...overrides,
  };
};

const fileOf = (content: AuditExportContent, key = KEY) => serializeAuditExport(signAuditExport(content, key));
const HONEST = fileOf(contentOf(EVENTS));

describe('verifyAuditExport', () => {
  it('passes an honest export: signature, chains from their recorded start, anchors; a day after the last anchor is not yet anchored', () => {
    const result = verifyAuditExport(HONEST);

    expect(result).toMatchObject({
      ok: true,
      format: 'mandate-audit-export/1',
      city: CITY,
      streams: 3,
      events: 6,
      signature: { ok: true, pinned: false, publicKeyFingerprint: KEY.fingerprint, reason: null },
      chains: { ok: true, firstBroken: null },
      anchors: { checked: 2, firstBroken: null, notYetAnchored: ['2026-03-03'] },
      problems: [],
    });
    expect(HONEST.endsWith('}\n')).toBe(true);
    expect(HONEST.split('\n')).toHaveLength(2);
  });

  it('pins the deployment key when given, and refuses an export signed by another key', () => {
    expect(verifyAuditExport(HONEST, { publicKeyPem: KEY.publicKeyPem }).signature).toMatchObject({ ok: true, pinned: true });

    const forged = verifyAuditExport(fileOf(contentOf(EVENTS), newKey()), { publicKeyPem: KEY.publicKeyPem });
    expect(forged.ok).toBe(false);
    expect(forged.signature).toMatchObject({ ok: false, reason: 'the export was signed with another key than the one given' });
  });

  it('fails after one character inside a JSON string changes', () => {
    const changed = HONEST.replace('Hoàn thành', 'Hoàn thànk');
    expect(changed).not.toBe(HONEST);

    const result = verifyAuditExport(changed);
    expect(result.ok).toBe(false);
    expect(result.signature).toMatchObject({ ok: false, reason: 'the signature does not match the content' });
    expect(result.chains.firstBroken).toMatchObject({ streamId: 'task-a', version: 2, position: 102 });
  });

  it('fails after any single byte changes', () => {
    const bytes = Buffer.from(HONEST, 'utf8');
    const step = Math.max(1, Math.floor(bytes.length / 400));
    const passed: number[] = [];
    for (let i = 0; i < bytes.length; i += step) {
      const copy = Buffer.from(bytes);
      copy[i] ^= 0x01;
      if (verifyAuditExport(copy).ok) passed.push(i);
    }
    expect(passed).toEqual([]);
  });

  it('refuses a reformatted file, whose content still carries a good signature', () => {
    const pretty = JSON.stringify(JSON.parse(HONEST), null, 2);
    const result = verifyAuditExport(pretty);

    expect(result.ok).toBe(false);
    expect(result.signature.ok).toBe(true);
    expect(result.problems).toEqual(['the file is not in its signed form (RFC 8785 canonical JSON, as written by the export)']);
  });

  it('names the event whose stored data changed before a signed export was made', () => {
    const tampered = EVENTS.map((e) => (e.position === 104 ? { ...e, data: { ...e.data, note: 'Đã xác nhận (sửa)' } } : e));
    const result = verifyAuditExport(fileOf(contentOf(tampered)));

    expect(result.signature.ok).toBe(true);
    expect(result.ok).toBe(false);
    expect(result.chains.firstBroken).toMatchObject({ streamId: 'task-b', version: 4, position: 104, reason: expect.stringMatching(/^hash mismatch/) });
  });

  it('reports the day of a stream deleted whole, which no chain can show', () => {
    const content = contentOf(EVENTS);
    const withoutC = { ...content, events: EVENTS.filter((e) => e.streamId !== 'task-c'), chains: content.chains.filter((c) => c.streamId !== 'task-c') };
    const result = verifyAuditExport(fileOf(withoutC));

    expect(result.chains.ok).toBe(true);
    expect(result.ok).toBe(false);
    expect(result.anchors.firstBroken).toMatchObject({
      day: '2026-03-02',
      expected: content.anchors[1].root,
      found: merkleRoot([EVENTS[4].hash]),
      anchoredEvents: 2,
      foundEvents: 1,
    });
  });

  it('breaks a chain whose start is wrong or missing', () => {
    const content = contentOf(EVENTS);
    const wrongStart = verifyAuditExport(
      fileOf({ ...content, chains: content.chains.map((c) => (c.streamId === 'task-b' ? { ...c, previousHash: 'a'.repeat(64) } : c)) }),
    );
    const noStart = verifyAuditExport(fileOf({ ...content, chains: content.chains.map((c) => (c.streamId === 'task-b' ? { ...c, previousHash: null } : c)) }));

    expect(wrongStart.chains.firstBroken).toMatchObject({ streamId: 'task-b', version: 3, position: 101, reason: expect.stringMatching(/^hash mismatch/) });
    expect(noStart.chains.firstBroken).toMatchObject({ streamId: 'task-b', version: 3, reason: 'the hash of version 2 is missing: the chain cannot start' });
  });

  it('reports an anchored day whose anchor is missing, and a broken anchor chain', () => {
    const content = contentOf(EVENTS);
    const missingFirst = verifyAuditExport(fileOf({ ...content, anchors: [content.anchors[1]] }));
    const unchained = verifyAuditExport(fileOf({ ...content, anchors: [content.anchors[0], { ...content.anchors[1], previousAnchorRoot: 'e'.repeat(64) }] }));

    expect(missingFirst.anchors.firstBroken).toMatchObject({ day: '2026-03-01', expected: null, foundEvents: 3 });
    expect(unchained.anchors.firstBroken).toMatchObject({ day: '2026-03-02', expected: 'e'.repeat(64), found: content.anchors[0].root });
    expect(unchained.anchors.firstBroken?.reason).toMatch(/^anchor chain broken/);
  });

  it('says why a file is not an export', () => {
    expect(verifyAuditExport('{"format":"mandate-audit-export/1"')).toMatchObject({ ok: false, problems: [expect.stringMatching(/^the file is not JSON/)] });
    expect(verifyAuditExport('{"hello":1}').problems[0]).toMatch(/^format:/);
    expect(verifyAuditExport(Buffer.from([0x7b, 0xff, 0x7d])).problems).toEqual(['the file is not UTF-8 text']);
  });
});

describe('isAuditDay', () => {
  it.each([
    ['2026-03-01', true],
    ['2024-02-29', true],
    ['2026-02-30', false],
    ['2026-13-01', false],
    ['2026-3-1', false],
    ['2026-03-01T00:00:00Z', false],
    // PostgreSQL's dates have no year 0: from=0000-01-01 was a 500 on the export and anchor routes.
    ['0000-01-01', false],
    ['0001-01-01', true],
  ])('%s: %s', (text, expected) => {
    expect(isAuditDay(text)).toBe(expected);
  });
});
