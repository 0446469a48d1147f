import { Module, type DynamicModule } from '@nestjs/common';
import { AnchorScheduler, loadAuditSigningKey, PostgresEventStore, type AuditSigningKey } from '@mandate/event-store';
import type { Clock } from '@mandate/kernel';
import {
  CitiesService,
  citiesMigration,
  DeadlineScheduler,
  DirectoryService,
  PLANS_UPCASTERS,
  PlansService,
  plansReadModelMigrations,
  plansTopicSource,
} from '@mandate/plans-app';
import { cities, loadConfig, openServiceDatabase, readAgencyDirectory, readSeedCities, type Logger } from '@mandate/runtime';
import { PostgresLeaderLock, Relay, type TopicSource } from '@mandate/messaging';
import type { DataSource } from 'typeorm';
import { AUDIT_LOG, AuditHttpController, type AuditLog } from './audit.http.controller';
import { ContractDocsController } from './contract-docs.http.controller';
import { EventsHttpController } from './events.http.controller';
import { ImportsHttpController } from './imports.http.controller';
import { ImportJobs, importJobsMigration, importJobsReviewMigration } from './import-jobs';
import { ParsePool } from './parse-pool';
import { PlansHttpController } from './plans.http.controller';
import { DEFAULT_DUE_SOON_DAYS } from '@mandate/plans-domain';
import { dueSoonDaysOf, seedPlans, seedRunsMigration } from './seed';
import { CitiesHttpController } from './cities.http.controller';
import { DirectoryHttpController } from './directory.http.controller';
import { CITIES_SERVICE, CLOCK, DIRECTORY_SERVICE, IMPORT_JOBS, PARSE_POOL, PLANS_SERVICE } from './tokens';

/** An agency as seeds/agencies/<city>.json lists it. */
type SeedAgency = { id: string; name: string; kind?: string; aliases?: string[] };

export const PLANS_SCHEMA = 'plans';
const ANCHOR_SCAN_MS = 10 * 60_000;
/** How often each instance sweeps the import jobs (ImportJobs.sweep: every statement conditional, so instances may overlap). */
const IMPORT_SWEEP_MS = 60_000;

/**
 * The audit key from this process's settings (`MANDATE_AUDIT_SIGNING_KEY`, or the data directory's
 * key), loaded once, when first needed: exports, checkpoints (every anchoring pass), verify.
 */
const signingKeyOfEnvironment = (): (() => AuditSigningKey) => {
  let key: AuditSigningKey | null = null;
  return () => {
    if (key === null) {
      const config = loadConfig();
      key = loadAuditSigningKey({ setting: config.MANDATE_AUDIT_SIGNING_KEY, dataDir: config.dataDir });
    }
    return key;
  };
};

@Module({})
export class PlansModule {
  static with(
    service: PlansService,
    cities: CitiesService,
    directory: DirectoryService,
    clock: Clock,
    audit: AuditLog,
    parsePool: ParsePool,
    importJobs: ImportJobs,
  ): DynamicModule {
    return {
      module: PlansModule,
      // Named routes before PlansHttpController's catch-all `tasks/:taskId/:move`.
      controllers: [
        EventsHttpController,
        ContractDocsController,
        AuditHttpController,
        CitiesHttpController,
        DirectoryHttpController,
        PlansHttpController,
        ImportsHttpController,
      ],
      providers: [
        { provide: PLANS_SERVICE, useValue: service },
        { provide: CITIES_SERVICE, useValue: cities },
        { provide: DIRECTORY_SERVICE, useValue: directory },
        { provide: CLOCK, useValue: clock },
        { provide: AUDIT_LOG, useValue: audit },
        { provide: PARSE_POOL, useValue: parsePool },
        { provide: IMPORT_JOBS, useValue: importJobs },
      ],
    };
  }
}

export type PlansHost = {
  readonly module: DynamicModule;
  readonly service: PlansService;
  readonly cities: CitiesService;
  readonly directory: DirectoryService;
  readonly store: PostgresEventStore;
  readonly source: TopicSource;
  readonly db: DataSource;
  seed(): Promise<{ imported: number; skipped: number }>;
  ping(): Promise<void>;
  stop(): Promise<void>;
};

/** The plans service: owns plans and tasks (their streams), publishes their contracts. */
export const startPlans = async (options: {
  databaseUrl: string;
  logger: Logger;
  clock: Clock;
  onAppended?: () => void;
  /**
   * How often the deadline scheduler scans; 0 or absent: it does not run in this process. Where it
   * runs, the process does the time-driven work, so the daily anchoring runs there too (every 10 minutes).
   */
  deadlineScanMs?: number;
  /** How long one uploaded document may be read (MANDATE_IMPORT_PARSE_TIMEOUT_MS); absent: the default. */
  parseTimeoutMs?: number;
  /** How often the import jobs are swept (stuck ones failed, day-old ones deleted); absent: every minute. */
  importSweepMs?: number;
}): Promise<PlansHost> => {
  const db: DataSource = await openServiceDatabase({
    url: options.databaseUrl,
    schema: PLANS_SCHEMA,
    migrations: [
      ...PostgresEventStore.migrations(PLANS_SCHEMA),
      ...plansReadModelMigrations(PLANS_SCHEMA),
      seedRunsMigration(PLANS_SCHEMA),
      Relay.migration(PLANS_SCHEMA),
      importJobsMigration(PLANS_SCHEMA),
      importJobsReviewMigration(PLANS_SCHEMA),
      citiesMigration(PLANS_SCHEMA),
    ],
  });
  const signingKey = signingKeyOfEnvironment();
  const store = new PostgresEventStore(db, { schema: PLANS_SCHEMA, upcasters: [...PLANS_UPCASTERS], auditKey: signingKey });
  const service = new PlansService(store, db, PLANS_SCHEMA, options.clock, options.onAppended);
  const logger = options.logger.child({ service: 'plans' });
  // The operator log's cities, as this service last projected them (the source of every other process's registry).
  const cityService = new CitiesService(store, db, PLANS_SCHEMA, options.clock, cities, options.onAppended);
  await cityService.load();
  const directory = new DirectoryService(store, db, PLANS_SCHEMA, options.clock, options.onAppended);
  const deadlines = options.deadlineScanMs
    ? new DeadlineScheduler(service, new PostgresLeaderLock(options.databaseUrl, 'plans-deadlines', logger), {
        intervalMs: options.deadlineScanMs,
        dueSoonDaysOf,
        // The cities served change while it runs: the window is taken at each scan.
        dueSoonWindowDays: () => Math.max(DEFAULT_DUE_SOON_DAYS, ...cities.all().map((city) => city.dueSoonDays)),
        logger: logger.child({ component: 'deadlines' }),
      })
    : null;
  deadlines?.start();
  const anchoring = options.deadlineScanMs
    ? new AnchorScheduler(store, new PostgresLeaderLock(options.databaseUrl, 'plans-audit-anchors', logger), {
        intervalMs: ANCHOR_SCAN_MS,
        now: () => options.clock.now(),
        logger: logger.child({ component: 'audit-anchors' }),
        checkpoints: true,
      })
    : null;
  anchoring?.start();
  const parsePool = new ParsePool({ timeoutMs: options.parseTimeoutMs });
  const importJobs = new ImportJobs(db, PLANS_SCHEMA, logger.child({ component: 'imports' }));
  const sweepJobs = () =>
    void importJobs.sweep().then(
      (swept) => {
        if (swept.interrupted + swept.released + swept.deleted > 0) logger.info({ component: 'imports', ...swept }, 'import jobs swept');
      },
      (error: unknown) => logger.warn({ component: 'imports', err: error }, 'import jobs sweep failed'),
    );
  const sweeper = setInterval(sweepJobs, options.importSweepMs ?? IMPORT_SWEEP_MS);
  sweeper.unref();
  return {
    module: PlansModule.with(service, cityService, directory, options.clock, { store, signingKey }, parsePool, importJobs),
    service,
    cities: cityService,
    directory,
    store,
    db,
    source: plansTopicSource(store),
    seed: async () => {
      const seeded = readSeedCities();
      await cityService.seed(seeded, logger);
      for (const city of seeded) await directory.seed(city.id, readAgencyDirectory<SeedAgency>(city.id), logger);
      return seedPlans(service, directory, db, PLANS_SCHEMA, logger);
    },
    ping: async () => void (await db.query('SELECT 1')),
    stop: async () => {
      clearInterval(sweeper);
      await parsePool.close();
      await anchoring?.stop();
      await deadlines?.stop();
      await db.destroy();
    },
  };
};
