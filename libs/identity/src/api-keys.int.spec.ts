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
    expect(await keys.list(office)).toEqual([expect.objectContaining({ id: created.id, name: 'Cổng dữ liệu mở Hà Nội', revokedAt: null, lastUsedAt: expect.any(String) })]);
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

  it('locks a client out after repeated bad keys, even when its next key is good', async () => {
    const keys = keysWith({ maxFailures: 3 });
    const good = await keys.create(office, { name: 'good' });
    const forged = `${good.key.slice(0, 36)}${'x'.repeat(43)}`;
    for (let i = 0; i < 3; i++) expect(await keys.resolve(forged, '203.0.113.9')).toBeNull();
    await expect(keys.resolve(good.key, '203.0.113.9')).rejects.toMatchObject({ status: 429, code: 'api-key-locked-out' });
    // The key id was tried too: the attacker moving to another address finds it locked as well.
    await expect(keys.resolve(good.key, '198.51.100.7')).rejects.toMatchObject({ status: 429 });
    const other = await keys.create(office, { name: 'other' });
    expect(await keys.resolve(other.key, '198.51.100.7')).not.toBeNull();
  });
});
