import * as fs from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import {
  anchorView,
  auditDayOf,
  isAuditDay,
  PostgresEventStore,
  serializeAuditExport,
  signAuditExport,
  verifyAuditExport,
  verifyReport,
  type AuditSigningKey,
} from '@mandate/event-store';
import { PLANS_UPCASTERS } from '@mandate/plans-app';
import { openServiceDatabase, type Config, type Logger } from '@mandate/runtime';
import { Client } from 'pg';
import { PLANS_SCHEMA } from '../../plans/src/plans.service-host';
import { InputError } from './parse';
import { databaseOf } from './projections';
import { auditSigningKey } from './secret';

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

/**
 * The plans log of the configured database (DATABASE_URL), or of the embedded platform (running, or
 * started from the data directory), as `projections rebuild` finds it. The event store's own
 * migrations are applied, as the plans service applies them at start, so the anchors table exists.
 */
const withPlansLog = async <T>(config: Config, logger: Logger, work: (store: PostgresEventStore) => Promise<T>): Promise<T> => {
  const { url, stop: stopEmbedded } = await databaseOf(config, logger);
  try {
    const probe = new Client({ connectionString: url });
    await probe.connect();
    const [row] = (await probe.query(`SELECT to_regclass('${PLANS_SCHEMA}.events')::text AS log`).finally(() => probe.end())).rows as { log: string | null }[];
    if (!row.log) throw new InputError(`there is no plans event log (${PLANS_SCHEMA}.events) in this database`);
    const db = await openServiceDatabase({ url, schema: PLANS_SCHEMA, migrations: PostgresEventStore.migrations(PLANS_SCHEMA) });
    try {
      // The audit key signs checkpoints and checks them; read only when one is signed or checked.
      let key: AuditSigningKey | null = null;
      const auditKey = () => (key ??= auditSigningKey(config));
      return await work(new PostgresEventStore(db, { schema: PLANS_SCHEMA, upcasters: [...PLANS_UPCASTERS], auditKey }));
    } finally {
      await db.destroy();
    }
  } finally {
    await stopEmbedded?.();
  }
};

const requireCity = async (store: PostgresEventStore, city: string): Promise<void> => {
  const cities = await store.cities();
  if (!cities.includes(city)) throw new InputError(`the log holds no events of city "${city}"; it holds ${cities.join(', ') || 'none'}`);
};

/**
 * `mandate audit anchor [--city c]`: anchors the closed days not anchored yet, of one city or of all,
 * then signs a checkpoint of each city's log (what it gained since the last one).
 */
export const anchorDays = async (options: { city?: string }, config: Config, logger: Logger): Promise<void> => {
  await withPlansLog(config, logger, async (store) => {
    if (options.city !== undefined) await requireCity(store, options.city);
    const cities = options.city !== undefined ? [options.city] : await store.cities();
    const anchored: (ReturnType<typeof anchorView> & { city: string })[] = [];
    const waiting: { city: string; waitingFor: string }[] = [];
    const checkpoints: { city: string; seq: number; events: number; lastPosition: number | null; createdAt: string }[] = [];
    for (const city of cities) {
      const run = await store.anchorClosedDays(city, new Date());
      anchored.push(...run.anchored.map((a) => ({ city, ...anchorView(a) })));
      if (run.waitingFor) waiting.push({ city, waitingFor: run.waitingFor });
      const checkpoint = await store.checkpoint(city, new Date());
      if (checkpoint)
        checkpoints.push({ city, seq: checkpoint.seq, events: checkpoint.events, lastPosition: checkpoint.lastPosition, createdAt: checkpoint.createdAt });
    }
    print({ anchored, waiting, checkpoints });
  });
};

/**
 * `mandate audit verify --city c`: the city's hash chains, daily anchors and signed checkpoints
 * recomputed, as `GET /api/v1/audit/verify` answers; exit status 1 when something is broken. What no
 * signed checkpoint covers is named (JSON and a line on stderr); with `requireCheckpoint`, exit status 3
 * when nothing is broken but no checkpoint covers any of the city's events (nothing could be checked
 * against the key): opt-in, as scripts rely on 0 meaning nothing is broken. Progress on stderr.
 */
export const verifyCity = async (options: { city: string; requireCheckpoint?: boolean }, config: Config, logger: Logger): Promise<void> => {
  await withPlansLog(config, logger, async (store) => {
    await requireCity(store, options.city);
    const bar = new SingleBar(
      {
        format: 'verify [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | ETA {eta}s',
        stream: process.stderr,
        noTTYOutput: true,
        notTTYSchedule: 1000,
      },
      Presets.shades_classic,
    );
    const started = Date.now();
    bar.start(0, 0, { rate: 0 });
    const result = await store.verify(
      { cityId: options.city },
      {
        onProgress: ({ checked, total }) => {
          bar.setTotal(total);
          bar.update(checked, { rate: Math.round(checked / Math.max((Date.now() - started) / 1000, 0.001)) });
        },
      },
    );
    bar.stop();
    print({ city: options.city, ...verifyReport(result) });
    if (result.unverified) process.stderr.write(`not covered by a signed checkpoint: ${result.unverified.events} event(s) (${result.unverified.reason})\n`);
    if (!result.ok) process.exitCode = 1;
    else if (options.requireCheckpoint && result.unverified && result.checkpoints?.last == null) process.exitCode = 3;
  });
};

/** `mandate audit export --city c [--from d] [--to d] --out file`: the signed export (`mandate-audit-export/1`). */
export const exportCity = async (
  options: { city: string; from?: string; to?: string; out: string },
  config: Config,
  logger: Logger,
  signingKey: () => AuditSigningKey,
): Promise<void> => {
  for (const [name, value] of [
    ['--from', options.from],
    ['--to', options.to],
  ] as const) {
    if (value !== undefined && !isAuditDay(value)) throw new InputError(`${name} is a date, YYYY-MM-DD`);
  }
  const key = signingKey();
  await withPlansLog(config, logger, async (store) => {
    await requireCity(store, options.city);
    const today = auditDayOf(new Date());
    const from = options.from ?? (await firstDayOf(store, options.city)) ?? today;
    const to = options.to ?? today;
    if (from > to) throw new InputError(`--from ${from} is after --to ${to}`);
    const content = await store.readAuditExport({ cityId: options.city, from, to, generatedAt: new Date() });
    fs.writeFileSync(options.out, serializeAuditExport(signAuditExport(content, key)));
    print({
      file: options.out,
      city: options.city,
      from,
      to,
      events: content.events.length,
      streams: content.chains.length,
      anchors: content.anchors.length,
      publicKeyFingerprint: key.fingerprint,
    });
  });
};

/** The day of the city's earliest event: where an export without --from starts. */
const firstDayOf = async (store: PostgresEventStore, city: string): Promise<string | null> => {
  const first = await store.firstRecordedAt(city);
  return first && auditDayOf(first);
};

/**
 * `mandate audit verify-export <file> [--public-key pem]`: the offline check, no database. Prints what
 * it found; exit status 1 when the export does not verify.
 */
export const verifyExportFile = (file: string, options: { publicKey?: string }): void => {
  const read = (path: string, what: string) => {
    try {
      return fs.readFileSync(path);
    } catch (error) {
      throw new InputError(`cannot read ${what} "${path}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  };
  const bytes = read(file, 'the export');
  const publicKeyPem = options.publicKey === undefined ? undefined : read(options.publicKey, 'the public key').toString('utf8');
  const result = verifyAuditExport(bytes, { publicKeyPem });
  print(result);
  if (!result.ok) process.exitCode = 1;
};

/** `mandate audit public-key`: the deployment's export verification key (SPKI PEM), to hand to auditors. */
export const printPublicKey = (signingKey: () => AuditSigningKey): void => {
  const key = signingKey();
  process.stdout.write(key.publicKeyPem);
  process.stderr.write(`SHA-256 fingerprint (SPKI DER): ${key.fingerprint}\n`);
};
