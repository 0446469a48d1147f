import { randomBytes } from 'node:crypto';
import { MemorySharedState, openServiceDatabase } from '@mandate/runtime';
import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { ApiKeys, apiKeysMigration } from './api-keys';

const SCHEMA = 'identity';
const office = { userId: 'office-1', role: 'office' as const, cityId: 'ha-noi', agencyId: null };

describe('API keys of a city', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const keysWith = (options: { rotationGraceMinutes?: number; maxFailures?: number } = {}) =>
    new ApiKeys(ds, SCHEMA, { pepper: 'pepper-pepper-pepper-pepper-pepper-pepper', state: new MemorySharedState(), ...options });

  beforeAll(async () => {
    db = await createTestDatabase('api_keys');
    ds = await openServiceDatabase({ url: db.url, schema: SCHEMA, migrations: [apiKeysMigration(SCHEMA)] });
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it("stands for an integrator of the office's city; the key is shown once and kept only as a keyed hash", async () => {
    const keys = keysWith();
    const created = await keys.create(office, { name: 'Cổng dữ liệu mở Hà Nội' });
    expect(created.key).toMatch(/^mk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    expect(await keys.resolve(created.key, '10.0.0.1')).toEqual({ userId: `apikey:${created.id}`, role: 'integrator', cityId: 'ha-noi', agencyId: null });
    const stored = JSON.stringify(await ds.query(`SELECT * FROM identity.api_keys`));
    expect(stored).not.toContain(created.key.slice(36));
    expect(await keys.list(office)).toEqual([
      expect.objectContaining({ id: created.id, name: 'Cổng dữ liệu mở Hà Nội', revokedAt: null, lastUsedAt: expect.any(String) }),
    ]);
    expect(await keys.list({ ...office, cityId: 'hai-phong' })).toEqual([]);
  });

  it('rotates: the new key works, the old one for the grace period only', async () => {
    const withGrace = keysWith({ rotationGraceMinutes: 60 });
    const first = await withGrace.create(office, { name: 'rotate me' });
    const second = await withGrace.rotate(office, first.id);
    expect(second.id).toBe(first.id);
    expect(await withGrace.resolve(second.key, 'c')).toMatchObject({ userId: `apikey:${first.id}` });
    expect(await withGrace.resolve(first.key, 'c')).toMatchObject({ userId: `apikey:${first.id}` });
    const noGrace = keysWith({ rotationGraceMinutes: 0 });
    const third = await noGrace.rotate(office, first.id);
    expect(await noGrace.resolve(second.key, 'c')).toBeNull();
    expect(await noGrace.resolve(third.key, 'c')).not.toBeNull();
    await expect(noGrace.rotate({ ...office, cityId: 'hai-phong' }, first.id)).rejects.toMatchObject({ code: 'api-key-not-found' });
  });

  it('revoked keys stop working at once; another city cannot revoke them', async () => {
    const keys = keysWith();
    const created = await keys.create(office, { name: 'revoke me' });
    await expect(keys.revoke({ ...office, cityId: 'hai-phong' }, created.id)).rejects.toMatchObject({ code: 'api-key-not-found' });
    expect(await keys.resolve(created.key, 'c')).not.toBeNull();
    await keys.revoke(office, created.id);
    expect(await keys.resolve(created.key, 'c')).toBeNull();
  });

  const unknownKey = () => `mk_${randomBytes(16).toString('hex')}_${'x'.repeat(43)}`;
  const wrongSecret = (key: string) => `${key.slice(0, 36)}${'x'.repeat(43)}`;

  it('bad keys from one address lock out no good key, of this city or another (behind a proxy everyone shares it)', async () => {
    const keys = keysWith({ maxFailures: 3 });
    const haNoi = await keys.create(office, { name: 'good' });
    const haiPhong = await keys.create({ ...office, cityId: 'hai-phong' }, { name: 'good' });
    const tried = await keys.create(office, { name: 'tried' });
    for (let i = 0; i < 10; i++) {
      await keys.resolve(unknownKey(), '203.0.113.9').catch(() => null);
      await keys.resolve(wrongSecret(tried.key), '203.0.113.9').catch(() => null);
    }
    expect(await keys.resolve(haNoi.key, '203.0.113.9')).toMatchObject({ cityId: 'ha-noi' });
    expect(await keys.resolve(haiPhong.key, '203.0.113.9')).toMatchObject({ cityId: 'hai-phong' });
  });

  it('locks a key id out after repeated wrong secrets, for every address and even with its good secret; other keys go on', async () => {
    const keys = keysWith({ maxFailures: 3 });
    const good = await keys.create(office, { name: 'good' });
    const other = await keys.create(office, { name: 'other' });
    for (let i = 0; i < 3; i++) expect(await keys.resolve(wrongSecret(good.key), '203.0.113.9')).toBeNull();
    await expect(keys.resolve(good.key, '203.0.113.9')).rejects.toMatchObject({ status: 429, code: 'api-key-locked-out' });
    // The attacker moving to another address finds the key id locked as well.
    await expect(keys.resolve(good.key, '198.51.100.7')).rejects.toMatchObject({ status: 429 });
    expect(await keys.resolve(other.key, '203.0.113.9')).not.toBeNull();
  });

  it('limits unknown keys per address apart from the keys that exist', async () => {
    const keys = keysWith({ maxFailures: 3 });
    const good = await keys.create(office, { name: 'good' });
    for (let i = 0; i < 3; i++) expect(await keys.resolve(unknownKey(), '203.0.113.9')).toBeNull();
    await expect(keys.resolve(unknownKey(), '203.0.113.9')).rejects.toMatchObject({ status: 429, code: 'api-key-locked-out' });
    expect(await keys.resolve(unknownKey(), '198.51.100.7')).toBeNull();
    expect(await keys.resolve(good.key, '203.0.113.9')).not.toBeNull();
  });
});
