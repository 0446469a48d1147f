import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReportingCalendarSettings } from '@mandate/kernel';
import { projectRoot } from './project-root';

/** The deployment's seed data: cities, their agency directories and leaders, the demo documents. */
export const SEEDS_DIR = path.join(projectRoot(), 'seeds');

/** A city the deployment serves, as the operator last set it (the operator log, plans service). */
export type City = {
  id: string;
  name: string;
  level: 'province' | 'city';
  /** IANA time zone its days are counted in. */
  timeZone: string;
  /** How many days before a due date a task shows as due soon (sắp đến hạn). */
  dueSoonDays: number;
  /** The city's departures from the reporting calendar of NĐ 09/2019 (cut-off and sending days). */
  reporting: ReportingCalendarSettings;
  /** A suspended city's users and keys are refused; nothing of it is lost. A merged one's too: its plans and tasks went on in `mergedInto`. */
  status: 'active' | 'suspended' | 'merged';
  /** The city it merged into (status merged). */
  mergedInto?: string;
  /** Its own identity provider (its tokens speak for this city only), or null: the deployment's. */
  identityProvider: { issuer: string; audience: string; jwksUrl: string | null; claims: { city: string; role: string; agency: string } } | null;
  /** The city's notification rules (read by the notifications service, which checks them). */
  notifications?: unknown;
};

/** A city as `seeds/cities.json` lists it, every setting stated: what the first operator commands of a fresh deployment create. */
export type SeedCity = Omit<City, 'status' | 'identityProvider' | 'notifications'>;

/** The cities a fresh deployment starts with (seeds/cities.json): read by the seeding only, never to serve a request. */
export const readSeedCities = (seedsDir = SEEDS_DIR): SeedCity[] => JSON.parse(fs.readFileSync(path.join(seedsDir, 'cities.json'), 'utf8')) as SeedCity[];

/** Seed files as parsed, read once per process: they do not change while it runs, and requests read them often. */
const seedFiles = new Map<string, unknown>();
const seedFile = <T>(file: string, absent: T): T => {
  if (!seedFiles.has(file)) seedFiles.set(file, fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : absent);
  return seedFiles.get(file) as T;
};

/** The city's agency directory (seeds/agencies/<city>.json); each entry has at least an id and a name. */
export const readAgencyDirectory = <Entry extends { id: string; name: string } = { id: string; name: string }>(
  cityId: string,
  seedsDir = SEEDS_DIR,
): readonly Entry[] => seedFile<Entry[]>(path.join(seedsDir, 'agencies', `${cityId}.json`), []);

/** A leader as seeds/leaders/<city>.json lists them. */
export type SeedLeader = { name: string; title: string; fields?: string[] };

/**
 * The city's first leaders (Chủ tịch, Phó Chủ tịch), from seeds/leaders/<city>.json when the city lists
 * them: read only to seed a fresh city's directory, where a running deployment's leaders are kept.
 */
export const readSeedLeaders = (cityId: string, seedsDir = SEEDS_DIR): readonly SeedLeader[] =>
  seedFile<SeedLeader[]>(path.join(seedsDir, 'leaders', `${cityId}.json`), []);

/**
 * The seeds' leaders by name. Seeds only: for what works without a deployment (the CLI's offline
 * `parse`) or beside one without a directory (the dev sign-in page, the gateway's too); whatever a
 * deployment serves reads the city's directory (DirectoryService.leaderNames).
 */
export const readLeaders = (cityId: string, seedsDir = SEEDS_DIR): string[] => readSeedLeaders(cityId, seedsDir).map((leader) => leader.name);

/**
 * The cities this process knows, each at the version of its stream in the operator log. Fed, never
 * read from files: by the plans service as it commits operator commands (and from its read model at
 * start), and in every process of the distributed deployment by the compacted `mandate.cities.v1`
 * topic read from its beginning. A version not newer than the one held is ignored, so the two feeds
 * and redeliveries agree.
 */
export class CityRegistry {
  private readonly cities = new Map<string, { city: City; version: bigint }>();

  /** Learns a city's state at `version`; false when it held that version or a newer one already. */
  apply(city: City, version: bigint): boolean {
    const held = this.cities.get(city.id);
    if (held && held.version >= version) return false;
    this.cities.set(city.id, { city, version });
    return true;
  }

  get(cityId: string): City | undefined {
    return this.cities.get(cityId)?.city;
  }

  /** Every city known, suspended ones too, by id. */
  all(): City[] {
    return [...this.cities.values()].map((held) => held.city).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The cities merged into `cityId`, directly or through another merged one. */
  mergedInto(cityId: string): string[] {
    const direct = this.all()
      .filter((city) => city.status === 'merged' && city.mergedInto === cityId)
      .map((city) => city.id);
    return direct.flatMap((id) => [id, ...this.mergedInto(id)]);
  }

  /** Forgets every city (tests that start several deployments in one process). */
  clear(): void {
    this.cities.clear();
  }
}

/**
 * This process's cities. One per process: the embedded deployment's services share it (one
 * deployment, one operator log); each process of the distributed deployment feeds its own.
 */
export const cities = new CityRegistry();

/** A city's settings, or undefined for a city this deployment does not serve (or does not know yet). */
export const cityOf = (cityId: string): City | undefined => cities.get(cityId);
