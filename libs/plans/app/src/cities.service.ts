import {
  cityDecider,
  type ChangeCitySettings,
  type CityCommand,
  type CityEvent,
  type CityLevel,
  type CitySettings,
  type IdentityProviderInput,
} from '@mandate/cities-domain';
import type { PostgresEventStore, StoredEvent } from '@mandate/event-store';
import { IllegalStateError, NotFoundError, PLATFORM_CITY, type Clock, type ReportingCalendarSettings } from '@mandate/kernel';
import { ident, sqlMigration, type City, type CityRegistry, type Logger, type SeedCity, type SqlWrites } from '@mandate/runtime';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from './actor';
import { handleCommand, toDomainEvent } from './command-handler';

/** A city's stream in the operator log: under the operator's pseudo-city, hash-chained and verified like any city's. */
export const cityStream = (cityId: string) => `city-${cityId}`;

/**
 * The cities as the operator log leaves them, one row per city with the version of its stream:
 * what the plans service loads at start. Every event of a city carries its whole settings, so one
 * upsert per event keeps it, and an older version never overwrites a newer one.
 */
export const citiesMigration = sqlMigration(
  'Cities',
  1796700000000,
  (s) => [
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.cities (
       city_id text PRIMARY KEY,
       settings jsonb NOT NULL,
       status text NOT NULL,
       version bigint NOT NULL,
       changed_at timestamptz NOT NULL)`,
  ],
  (s) => [`DROP TABLE IF EXISTS ${ident(s)}.cities`],
);

/** The city an event of its stream leaves, with the instant of the change. */
export const cityAfter = (event: CityEvent): { city: City; at: string } => {
  const d = event.data;
  const of = (settings: CitySettings, status: City['status']): City => ({ id: d.cityId, ...settings, status });
  switch (event.type) {
    case 'CityCreated':
      return { city: of(event.data.settings, 'active'), at: event.data.createdAt };
    case 'CitySettingsChanged':
      return { city: of(event.data.settings, event.data.status), at: event.data.changedAt };
    case 'CitySuspended':
      return { city: of(event.data.settings, 'suspended'), at: event.data.suspendedAt };
    case 'CityResumed':
      return { city: of(event.data.settings, 'active'), at: event.data.resumedAt };
    case 'CityMerged':
      return { city: { ...of(event.data.settings, 'merged'), mergedInto: event.data.into }, at: event.data.mergedAt };
  }
};

const isCityEvent = (record: StoredEvent) => record.streamId.startsWith('city-');

/** What a city row holds: the settings part of the city. */
const settingsOf = ({ id: _id, status: _status, ...settings }: City) => settings;

/** Inline projection of the operator log's city streams (other events pass by). */
export const projectCities =
  (schema: string) =>
  async (manager: EntityManager, stored: readonly StoredEvent[], writes: SqlWrites = manager): Promise<void> => {
    for (const record of stored.filter(isCityEvent)) {
      const { city, at } = cityAfter(toDomainEvent<CityEvent>(record));
      await writes.query(
        `INSERT INTO ${ident(schema)}.cities (city_id, settings, status, version, changed_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (city_id) DO UPDATE SET settings = EXCLUDED.settings, status = EXCLUDED.status, version = EXCLUDED.version, changed_at = EXCLUDED.changed_at
         WHERE ${ident(schema)}.cities.version < EXCLUDED.version`,
        [city.id, JSON.stringify(settingsOf(city)), city.status, record.streamVersion.toString(), at],
      );
    }
  };

export type CityView = City & { version: string; changedAt: string };

export type NewCity = {
  cityId: string;
  name: string;
  level: CityLevel;
  timeZone?: string;
  dueSoonDays?: number;
  reporting?: ReportingCalendarSettings;
  identityProvider?: IdentityProviderInput | null;
  reason: string;
};

/**
 * The platform operator's use cases on cities: the operator log (streams `city-<id>` of the plans
 * log, under the pseudo-city `platform`), its read model, and this process's registry, which learns
 * each change as it commits (the other processes learn it from mandate.cities.v1).
 */
export class CitiesService {
  private readonly project: ReturnType<typeof projectCities>;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly db: DataSource,
    private readonly schema: string,
    private readonly clock: Clock,
    private readonly registry: CityRegistry,
    private readonly onAppended: () => void = () => undefined,
  ) {
    this.project = projectCities(schema);
  }

  /** The read model's cities (one of them with `cityId`), ordered by id. */
  private async read(cityId?: string): Promise<CityView[]> {
    const rows = (await this.db.query(
      `SELECT city_id, settings, status, version, changed_at FROM ${ident(this.schema)}.cities ${cityId === undefined ? '' : 'WHERE city_id = $1'} ORDER BY city_id`,
      cityId === undefined ? [] : [cityId],
    )) as { city_id: string; settings: Omit<City, 'id' | 'status'>; status: City['status']; version: string; changed_at: Date }[];
    return rows.map((row) => ({ id: row.city_id, ...row.settings, status: row.status, version: row.version, changedAt: row.changed_at.toISOString() }));
  }

  /** Loads the registry from the read model (at start). */
  async load(): Promise<number> {
    const all = await this.read();
    for (const { version, changedAt: _at, ...city } of all) this.registry.apply(city, BigInt(version));
    return all.length;
  }

  list(): Promise<CityView[]> {
    return this.read();
  }

  async get(cityId: string): Promise<CityView> {
    const [city] = await this.read(cityId);
    if (!city) throw new NotFoundError(`No city "${cityId}"`, 'city-not-found');
    return city;
  }

  /** The city's operator log, oldest first: who changed what, when and why. */
  async history(cityId: string): Promise<StoredEvent[]> {
    const { events } = await this.store.readStream(cityStream(cityId), { cityId: PLATFORM_CITY });
    if (events.length === 0) throw new NotFoundError(`No city "${cityId}"`, 'city-not-found');
    return events;
  }

  create(input: NewCity, actor: Actor, correlationId: string, commandId?: string) {
    return this.execute({ type: 'CreateCity', data: input }, actor, correlationId, commandId);
  }

  change(cityId: string, changes: ChangeCitySettings['data']['changes'], reason: string, actor: Actor, correlationId: string, commandId?: string) {
    return this.execute({ type: 'ChangeCitySettings', data: { cityId, changes, reason } }, actor, correlationId, commandId);
  }

  suspend(cityId: string, reason: string, actor: Actor, correlationId: string, commandId?: string) {
    return this.execute({ type: 'SuspendCity', data: { cityId, reason } }, actor, correlationId, commandId);
  }

  resume(cityId: string, reason: string, actor: Actor, correlationId: string, commandId?: string) {
    return this.execute({ type: 'ResumeCity', data: { cityId, reason } }, actor, correlationId, commandId);
  }

  /**
   * Records that `cityId` merged into `into` (an active city other than itself). Moving its plans and
   * tasks is the plans' part (PlansService.moveCity), run after this.
   */
  merge(cityId: string, into: string, reason: string, actor: Actor, correlationId: string, commandId?: string) {
    const successor = this.registry.get(into);
    if (!successor || successor.status !== 'active') {
      throw new IllegalStateError(`"${into}" is not a city this deployment serves now: a city merges into an active one`, 'successor-not-active');
    }
    return this.execute({ type: 'MergeCity', data: { cityId, into, reason } }, actor, correlationId, commandId);
  }

  /**
   * The seeds' cities that the log does not have yet, created as the operator `system` would: a
   * fresh deployment's first events. A city created already (by the seed or the operator) is left
   * as it is; the seed file is never read again to serve anything.
   */
  async seed(seeds: readonly SeedCity[], logger: Logger): Promise<number> {
    let created = 0;
    const system: Actor = { userId: 'system', role: 'operator', agencyId: null, cityId: PLATFORM_CITY };
    for (const seed of seeds) {
      const { events } = await this.store.readStream(cityStream(seed.id), { cityId: PLATFORM_CITY });
      if (events.length > 0) continue;
      await this.create(
        {
          cityId: seed.id,
          name: seed.name,
          level: seed.level,
          timeZone: seed.timeZone,
          dueSoonDays: seed.dueSoonDays,
          reporting: seed.reporting,
          reason: 'Dữ liệu khởi tạo của hệ thống (seeds/cities.json)',
        },
        system,
        'seed-cities',
        `seed:${seed.id}`,
      );
      created++;
    }
    if (created) logger.info({ created }, 'seed cities created in the operator log');
    return created;
  }

  private async execute(command: Omit<CityCommand, 'metadata'>, actor: Actor, correlationId: string, commandId?: string): Promise<CityView> {
    const metadata = { actorId: actor.userId, role: actor.role, agencyId: actor.agencyId, cityId: PLATFORM_CITY, now: this.clock.now() };
    // Operators only (the decider refuses anyone else); the log is the platform's, whatever the actor's city.
    const full = { ...command, metadata } as CityCommand;
    const result = await handleCommand(this.store, cityDecider, cityStream(full.data.cityId), full, { correlationId, commandId, project: this.project });
    if (result.stored.length) {
      this.onAppended();
      const last = result.stored[result.stored.length - 1];
      this.registry.apply(cityAfter(toDomainEvent<CityEvent>(last)).city, last.streamVersion);
    }
    return this.get(full.data.cityId);
  }
}
