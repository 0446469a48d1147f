// Event store vs raw `pg` INSERTs of the same rows into the same table shape, same durability.
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { Pool } from 'pg';
import { PostgresEventStore, type NewEvent } from '@mandate/event-store';
import { createTestDatabase } from '@mandate/testing';
import { rawWriter, runFor } from './raw-commit';

const SLICE_MS = 2_500; // each side runs twice, interleaved, so drift hits both equally
const READ_MS = 4_000;
const CITY = 'da-nang';
const POOL = 9;

type Side = 'raw' | 'store';
type Row = { scenario: string; raw: number; store: number };

const storeWriter = (store: PostgresEventStore) => {
  const streamId = `task-${randomUUID()}`;
  let version = 0n;
  return async (events: NewEvent[]) => {
    const result = await store.append(streamId, events, { expectedVersion: version === 0n ? 'no_stream' : version, cityId: CITY });
    version = result.streamVersion;
  };
};

const main = async () => {
  const db = await createTestDatabase('bench');
  const dataSource = db.dataSource({
    poolSize: POOL,
    migrations: [...PostgresEventStore.migrations('es'), ...PostgresEventStore.migrations('raw')],
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  const store = new PostgresEventStore(dataSource, { schema: 'es' });
  const pool = new Pool({ connectionString: db.url, max: POOL });

  const scenarios = [
    { name: 'single event, 1 writer', writers: 1, batch: 1 },
    { name: 'single event, 8 writers', writers: 8, batch: 1 },
    { name: '100-event batch, 1 writer', writers: 1, batch: 100 },
    { name: '100-event batch, 8 writers', writers: 8, batch: 100 },
  ];
  const totalMs = scenarios.length * 4 * SLICE_MS + 2 * READ_MS;
  const bars = new MultiBar({ format: ' {bar} {percentage}% | {phase}', hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
  const bar: SingleBar = bars.create(totalMs, 0, { phase: 'starting' });
  const startedAt = Date.now();
  const ticker = setInterval(() => bar.update(Math.min(Date.now() - startedAt, totalMs)), 200);

  const rows: Row[] = [];
  try {
    for (const scenario of scenarios) {
      const totals: Record<Side, { events: number; seconds: number }> = { raw: { events: 0, seconds: 0 }, store: { events: 0, seconds: 0 } };
      for (const side of ['raw', 'store', 'raw', 'store'] as Side[]) {
        bar.update({ phase: `${scenario.name}: ${side}` });
        const make = side === 'raw' ? () => rawWriter(pool) : () => storeWriter(store);
        const { events, seconds } = await runFor(SLICE_MS, scenario.writers, scenario.batch, make);
        totals[side].events += events;
        totals[side].seconds += seconds;
      }
      rows.push({
        scenario: scenario.name,
        raw: totals.raw.events / totals.raw.seconds,
        store: totals.store.events / totals.store.seconds,
      });
    }

    // Autovacuum may not have analyzed tables filled within the last minute; reads should see real stats.
    await pool.query('ANALYZE raw.events; ANALYZE es.events');
    const count = async (table: string) => Number((await pool.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
    bar.update({ phase: 'readAll: raw keyset SELECT' });
    const rawRead = await timedRead(READ_MS, await count('raw.events'), async (after) => {
      const { rows: page } = await pool.query(
        `SELECT global_position, stream_id, stream_version, event_id, type, schema_version, data, metadata, city_id,
                transaction_id::text, recorded_at, hash
           FROM raw.events WHERE global_position > $1 ORDER BY global_position LIMIT 1000`,
        [after ?? '0'],
      );
      return { count: page.length, next: page.length ? String(page[page.length - 1].global_position) : null };
    });
    bar.update({ phase: 'readAll: store' });
    const storeRead = await timedRead(READ_MS, await count('es.events'), async (after) => {
      const page = await store.readAll({ after, limit: 1000 });
      return { count: page.events.length, next: page.events.length ? page.checkpoint : null };
    });
    rows.push({ scenario: 'read, pages of 1000', raw: rawRead, store: storeRead });
  } finally {
    clearInterval(ticker);
    bar.update(totalMs);
    bars.stop();
    await pool.end();
    await db.drop();
  }

  printTable(rows);
};

/**
 * Reads the whole log from the start in pages of 1000 (or until time is up); returns events/s.
 * An empty page does not end the run: the store's reader waits while any transaction on the server
 * (xmin is cluster-wide) is still open below the rows it would return.
 */
const timedRead = async (ms: number, total: number, readPage: (after: string | null) => Promise<{ count: number; next: string | null }>) => {
  let after: string | null = null;
  let events = 0;
  const started = process.hrtime.bigint();
  const until = Date.now() + ms;
  while (events < total && Date.now() < until) {
    const { count, next } = await readPage(after);
    if (count === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      continue;
    }
    events += count;
    after = next;
  }
  return events / (Number(process.hrtime.bigint() - started) / 1e9);
};

const printTable = (rows: Row[]) => {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const table = [
    ['scenario', 'raw pg (events/s)', 'event store (events/s)', 'store / raw'],
    ...rows.map((r) => [r.scenario, fmt(r.raw), fmt(r.store), (r.store / r.raw).toFixed(2)]),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
  console.log(`\nEvent store benchmark (${cpus().length} CPUs, Node ${process.version}, synchronous_commit default)\n`);
  console.log(line(table[0]));
  console.log(`|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  rows.forEach((_, i) => console.log(line(table[i + 1])));
};

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
