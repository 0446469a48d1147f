import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { directoryOf, manifest, SEEDS_DIR } from './test-seeds';

describe('seeds', () => {
  it('lists five documents that exist, each with its city', () => {
    const entries = manifest();
    expect(entries).toHaveLength(5);
    for (const entry of entries) {
      expect(existsSync(join(SEEDS_DIR, 'documents', entry.file))).toBe(true);
      expect(['ha-noi', 'hai-phong']).toContain(entry.cityId);
    }
  });

  it.each(['ha-noi', 'hai-phong'])('%s: ids are unique kebab-case slugs and the office and planning department exist', (cityId) => {
    const directory = directoryOf(cityId);
    const ids = directory.map((agency) => agency.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const agency of directory) {
      expect(agency.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(agency.cityId).toBe(cityId);
    }
    expect(ids).toEqual(expect.arrayContaining(['van-phong-ubnd', 'so-ke-hoach-dau-tu']));
  });
});
