import { Presets, SingleBar } from 'cli-progress';
import { PostgresEventStore } from '@mandate/event-store';
import { PLANS_UPCASTERS, rebuildPlansReadModel } from '@mandate/plans-app';
import { openEmbeddedDatabase, openServiceDatabase, type Config, type Logger } from '@mandate/runtime';
import { PLANS_SCHEMA, startPlans } from '../../plans/src/plans.service-host';
import { REPORTING_SCHEMA } from '../../reporting/src/reporting.service-host';
import { rebuildReportingReadModels } from '@mandate/reporting-app';
import type { DataSource } from 'typeorm';
import { systemClock } from '@mandate/kernel';
import { generate, type GenerateOptions } from './generate';
import { InputError } from './parse';

type Progress = (progress: { events: number; total: number }) => void;

/** The read models this command rebuilds, by name: each service's, from its own log. */
const PROJECTIONS = {
  plans: {
    schema: PLANS_SCHEMA,
    rebuild: (db: DataSource, progress: Progress) =>
      rebuildPlansReadModel(db, new PostgresEventStore(db, { schema: PLANS_SCHEMA, upcasters: [...PLANS_UPCASTERS] }), PLANS_SCHEMA, progress),
  },
  reporting: {
    schema: REPORTING_SCHEMA,
    rebuild: (db: DataSource, progress: Progress) =>
      rebuildReportingReadModels(db, REPORTING_SCHEMA, new PostgresEventStore(db, { schema: REPORTING_SCHEMA }), progress),
  },
} as const;

/** `mandate generate`: the data set into the plans log of the configured database, then its read model rebuilt. */
export const generateDataSet = async (options: GenerateOptions, config: Config, logger: Logger): Promise<void> => {
  if (options.eventsPerTask < 2) throw new InputError('--events-per-task is at least 2 (a task is issued and assigned)');
  const { url, stop } = await databaseOf(config, logger);
  try {
    const host = await startPlans({ databaseUrl: url, logger, clock: systemClock });
    try {
      const { events, seconds } = await generate(host.store, { ...options, progress: true });
      process.stdout.write(`generated ${events} events in ${seconds.toFixed(1)} s (${Math.round(events / seconds)} events/s)\n`);
    } finally {
      await host.stop();
    }
    await rebuildProjections('plans', { ...config, DATABASE_URL: url }, logger);
  } finally {
    await stop?.();
  }
};

/** The configured database, or the embedded platform's (running, or started from the data directory). */
export const databaseOf = async (config: Config, logger: Logger): Promise<{ url: string; stop: (() => Promise<void>) | null }> => {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, stop: null };
  return openEmbeddedDatabase(config, logger);
};

/** Rebuilds read models from the log with a progress bar (events, rate, time left); see `rebuildPlansReadModel`. */
export const rebuildProjections = async (name: string | undefined, config: Config, logger: Logger): Promise<void> => {
  const names = name === undefined ? (Object.keys(PROJECTIONS) as (keyof typeof PROJECTIONS)[]) : [name];
  for (const n of names) if (!(n in PROJECTIONS)) throw new InputError(`unknown projection "${n}"; one of ${Object.keys(PROJECTIONS).join(', ')}`);

  const { url, stop: stopEmbedded } = await databaseOf(config, logger);
  try {
    for (const n of names as (keyof typeof PROJECTIONS)[]) {
      const spec = PROJECTIONS[n];
      const db = await openServiceDatabase({ url, schema: spec.schema, migrations: [] });
      try {
        const bar = new SingleBar(
          {
            format: `${n} [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | ETA {eta}s`,
            stream: process.stderr,
            noTTYOutput: true,
            notTTYSchedule: 1000,
          },
          Presets.shades_classic,
        );
        const started = Date.now();
        bar.start(0, 0, { rate: 0 });
        const result = await spec.rebuild(db, ({ events, total }) => {
          bar.setTotal(Math.max(total, events));
          bar.update(events, { rate: Math.round(events / Math.max((Date.now() - started) / 1000, 0.001)) });
        });
        bar.stop();
        process.stdout.write(
          `${n}: ${result.events} events replayed in ${result.seconds.toFixed(1)} s (${Math.round(result.events / Math.max(result.seconds, 0.001))} events/s)\n`,
        );
      } finally {
        await db.destroy();
      }
    }
  } finally {
    await stopEmbedded?.();
  }
};
