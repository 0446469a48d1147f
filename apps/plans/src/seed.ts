import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importPlan } from '@mandate/plan-import';
import type { Agency } from '@mandate/plans-domain';
import type { DirectoryService, PlansService } from '@mandate/plans-app';
import { cityOf, ident, readAgencyDirectory, SEEDS_DIR, sqlMigration, type Logger } from '@mandate/runtime';

// readLeaders: the seeds' leaders, for the CLI's offline parse (a deployment's are its directory's).
export { readSeedCities, readLeaders, SEEDS_DIR, type City } from '@mandate/runtime';
import type { DataSource } from 'typeorm';

export const seedRunsMigration = sqlMigration(
  'SeedRuns',
  1763900000110,
  (s) => [
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.seed_runs (
       document text PRIMARY KEY, sha256 text NOT NULL, plan_id uuid NOT NULL, imported_at timestamptz NOT NULL DEFAULT now())`,
  ],
  (s) => [`DROP TABLE IF EXISTS ${ident(s)}.seed_runs`],
);

type ManifestEntry = { file: string; cityId: string };

/** The city's due-soon window. */
export const dueSoonDaysOf = (cityId: string): number | undefined => cityOf(cityId)?.dueSoonDays;

/** The seeds' directory of a city: for the CLI's offline work only (a running deployment's is its log's). */
export const readDirectory = (cityId: string, seedsDir = SEEDS_DIR): readonly Agency[] => readAgencyDirectory<Agency>(cityId, seedsDir);

/**
 * Loads the demo documents through the same use case as HTTP. A document already imported with
 * the same content is skipped, so restarts neither duplicate nor slow down.
 */
export const seedPlans = async (
  plans: PlansService,
  directory: DirectoryService,
  db: DataSource,
  schema: string,
  logger: Logger,
  seedsDir = SEEDS_DIR,
): Promise<{ imported: number; skipped: number }> => {
  const manifest = JSON.parse(fs.readFileSync(path.join(seedsDir, 'manifest.json'), 'utf8')) as ManifestEntry[];
  let imported = 0;
  let skipped = 0;
  for (const entry of manifest) {
    const text = fs.readFileSync(path.join(seedsDir, 'documents', entry.file), 'utf8');
    const sha256 = createHash('sha256').update(text).digest('hex');
    const done: unknown[] = await db.query(`SELECT 1 FROM ${ident(schema)}.seed_runs WHERE document = $1 AND sha256 = $2`, [entry.file, sha256]);
    if (done.length) {
      skipped++;
      continue;
    }
    const draft = importPlan(text, {
      document: entry.file,
      cityId: entry.cityId,
      directory: await directory.agencies(entry.cityId),
      leaders: await directory.leaderNames(entry.cityId),
    });
    const actor = { userId: 'system:seed', role: 'office' as const, agencyId: null, cityId: entry.cityId };
    // A seed edited since the last start is an amendment of its plan, recorded as events.
    const { planId, outcome } = await plans.importDocument(draft, actor, `seed:${entry.file}`);
    await db.query(
      `INSERT INTO ${ident(schema)}.seed_runs (document, sha256, plan_id) VALUES ($1,$2,$3)
       ON CONFLICT (document) DO UPDATE SET sha256 = EXCLUDED.sha256, plan_id = EXCLUDED.plan_id, imported_at = now()`,
      [entry.file, sha256, planId],
    );
    logger.info({ document: entry.file, city: entry.cityId, number: draft.number, tasks: draft.tasks.length, outcome }, 'seed plan imported');
    imported++;
  }
  return { imported, skipped };
};
