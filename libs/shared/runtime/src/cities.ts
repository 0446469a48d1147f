import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReportingCalendarSettings } from '@mandate/kernel';

/** The deployment's seed data: cities, their agency directories and leaders, the demo documents. */
export const SEEDS_DIR = path.resolve(__dirname, '../../../../seeds');

export type City = {
  id: string;
  name: string;
  /** How many days before a due date a task shows as due soon (sắp đến hạn); 3 when unset. */
  dueSoonDays?: number;
  /** The city's departures from the reporting calendar of NĐ 09/2019 (cut-off and sending days). */
  reporting?: ReportingCalendarSettings;
  /** The city's notification rules (read by the notifications service, which checks them). */
  notifications?: unknown;
};

/** The tenants this deployment serves (seeds/cities.json). */
export const readCities = (seedsDir = SEEDS_DIR): City[] => JSON.parse(fs.readFileSync(path.join(seedsDir, 'cities.json'), 'utf8')) as City[];

/** Seed files as parsed, read once per process: they do not change while it runs, and requests read them often. */
const seedFiles = new Map<string, unknown>();
const seedFile = <T>(file: string, absent: T): T => {
  if (!seedFiles.has(file)) seedFiles.set(file, fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : absent);
  return seedFiles.get(file) as T;
};

/** The city's agency directory (seeds/agencies/<city>.json); each entry has at least an id and a name. */
export const readAgencyDirectory = <Entry extends { id: string; name: string } = { id: string; name: string }>(cityId: string, seedsDir = SEEDS_DIR): readonly Entry[] =>
  seedFile<Entry[]>(path.join(seedsDir, 'agencies', `${cityId}.json`), []);

/** The city's leaders (Chủ tịch, Phó Chủ tịch) by name, from seeds/leaders/<city>.json when the city lists them. */
export const readLeaders = (cityId: string, seedsDir = SEEDS_DIR): string[] =>
  seedFile<{ name: string }[]>(path.join(seedsDir, 'leaders', `${cityId}.json`), []).map((leader) => leader.name);

let cached: Map<string, City> | null = null;

/** A city's settings, read once per process; undefined for a city the deployment does not serve. */
export const cityOf = (cityId: string): City | undefined => {
  cached ??= new Map(readCities().map((city) => [city.id, city]));
  return cached.get(cityId);
};
