import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Agency } from '@mandate/plans-domain';

/** The repository's own seeds (never /work/shared): tests read them relative to this file. */
export const SEEDS_DIR = join(__dirname, '..', '..', '..', 'seeds');

export type ManifestEntry = { readonly file: string; readonly cityId: string };

export const manifest = (): ManifestEntry[] => JSON.parse(readFileSync(join(SEEDS_DIR, 'manifest.json'), 'utf8'));

export const directoryOf = (cityId: string): Agency[] => JSON.parse(readFileSync(join(SEEDS_DIR, 'agencies', `${cityId}.json`), 'utf8'));

export const seedText = (file: string): string => readFileSync(join(SEEDS_DIR, 'documents', file), 'utf8');
