import { randomUUID } from 'node:crypto';
import { HttpProblem, problemOf } from '@mandate/http';
import { ident, returnedRows, sqlMigration, type Logger } from '@mandate/runtime';
import type { DataSource } from 'typeorm';

/**
 * Import jobs: a document that needs OCR (a scan, a PDF without a usable text layer) takes seconds a
 * page, so POST /api/v1/imports answers 202 with a job and GET /api/v1/imports/{id} follows it. The
 * state lives in the plans service's database, so any instance answers the GET; the reading itself
 * runs in the process that received the upload (its worker pool), which writes progress and outcome
 * here. A process that stops mid-read leaves its job in `reading`: `updated_at` tells how stale it is.
 * `city_id` puts the table under the schema's row-level security: a city sees only its own jobs.
 */
export const importJobsMigration = sqlMigration(
  'ImportJobs',
  1767225620000,
  (s) => [
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.import_jobs (
       id uuid PRIMARY KEY,
       city_id text NOT NULL,
       document text NOT NULL,
       dry_run boolean NOT NULL,
       state text NOT NULL CHECK (state IN ('queued', 'reading', 'parsed', 'stored', 'failed')),
       pages_done integer NOT NULL DEFAULT 0,
       pages integer,
       result jsonb,
       error jsonb,
       created_by text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now())`,
  ],
  (s) => [`DROP TABLE IF EXISTS ${ident(s)}.import_jobs`],
);

/**
 * The import under review (issue 18 item 5): every dry run is a job (a synchronous read is `parsed` at
 * once) that keeps the uploaded bytes, for the review's page images, and what the dry run's corrections
 * changed, for the event its confirmation records. `confirming_since` claims a job for one confirmation
 * at a time (null again if that import fails). Jobs are deleted a day after they were made (sweep).
 */
export const importJobsReviewMigration = sqlMigration(
  'ImportJobsReview',
  1767225621000,
  (s) => [
    `ALTER TABLE ${ident(s)}.import_jobs
       ADD COLUMN IF NOT EXISTS bytes bytea,
       ADD COLUMN IF NOT EXISTS changes jsonb,
       ADD COLUMN IF NOT EXISTS confirming_since timestamptz,
       ADD COLUMN IF NOT EXISTS confirmed_by text`,
    `CREATE INDEX IF NOT EXISTS import_jobs_created_at ON ${ident(s)}.import_jobs (created_at)`,
  ],
  (s) => [
    `DROP INDEX IF EXISTS ${ident(s)}.import_jobs_created_at`,
    `ALTER TABLE ${ident(s)}.import_jobs DROP COLUMN IF EXISTS bytes, DROP COLUMN IF EXISTS changes, DROP COLUMN IF EXISTS confirming_since, DROP COLUMN IF EXISTS confirmed_by`,
  ],
);

/** A job still reading after this long lost the process reading it (a read is cut at 10 minutes: DEFAULT_READ_TIMEOUT_MS). */
export const STUCK_AFTER_MS = 10 * 60_000;
/** How long a job, its uploaded bytes and its result are kept. */
export const KEPT_FOR_MS = 24 * 60 * 60_000;

/** The problem a job gets when the process reading it stopped (a restart, a crash). */
const INTERRUPTED_PROBLEM = problemOf(
  new HttpProblem(503, 'import-interrupted', 'The process reading this document stopped before it finished: upload the document again'),
);

export type ImportJobState = 'queued' | 'reading' | 'parsed' | 'stored' | 'failed';

/** The job as GET /api/v1/imports/{id} answers it. */
export type ImportJob = {
  id: string;
  state: ImportJobState;
  document: string;
  dryRun: boolean;
  pagesDone: number;
  pages: number | null;
  result?: unknown;
  error?: unknown;
  createdAt: string;
  updatedAt: string;
};

type Row = {
  id: string;
  state: ImportJobState;
  document: string;
  dry_run: boolean;
  pages_done: number;
  pages: number | null;
  result: unknown;
  error: unknown;
  created_at: Date;
  updated_at: Date;
};

// Every column but the bytes: a job is read often (polled), its document only for a page image.
const COLUMNS = 'id, state, document, dry_run, pages_done, pages, result, error, created_at, updated_at';

const toJob = (row: Row): ImportJob => ({
  id: row.id,
  state: row.state,
  document: row.document,
  dryRun: row.dry_run,
  pagesDone: row.pages_done,
  pages: row.pages,
  ...(row.result !== null ? { result: row.result } : {}),
  ...(row.error !== null ? { error: row.error } : {}),
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads and writes import jobs; every query runs under the caller's city scope (RLS). */
export class ImportJobs {
  private readonly table: string;

  constructor(
    private readonly db: DataSource,
    schema: string,
    private readonly logger?: Logger,
  ) {
    this.table = `${ident(schema)}.import_jobs`;
  }

  /** A job with the uploaded bytes; a synchronous dry run's is `parsed` at once, with its result and what its corrections changed. */
  async create(job: {
    cityId: string;
    document: string;
    dryRun: boolean;
    createdBy: string;
    state: ImportJobState;
    bytes?: Uint8Array;
    result?: unknown;
    changes?: unknown;
    pages?: number | null;
  }): Promise<ImportJob> {
    const rows: Row[] = await this.db.query(
      `INSERT INTO ${this.table} (id, city_id, document, dry_run, state, created_by, bytes, result, changes, pages, pages_done)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, COALESCE($10, 0)) RETURNING ${COLUMNS}`,
      [
        randomUUID(),
        job.cityId,
        job.document,
        job.dryRun,
        job.state,
        job.createdBy,
        job.bytes ? Buffer.from(job.bytes) : null,
        job.result === undefined ? null : JSON.stringify(job.result),
        job.changes === undefined ? null : JSON.stringify(job.changes),
        job.pages ?? null,
      ],
    );
    return toJob(rows[0]);
  }

  /** Pages read so far; a finished job is left as it is. */
  async progress(id: string, pagesDone: number, pages: number): Promise<void> {
    await this.db.query(
      `UPDATE ${this.table} SET state = 'reading', pages_done = $2, pages = $3, updated_at = now() WHERE id = $1 AND state IN ('queued', 'reading')`,
      [id, pagesDone, pages],
    );
  }

  async finish(id: string, state: 'parsed' | 'stored', result: unknown, pages: number | null, changes?: unknown): Promise<void> {
    await this.db.query(
      `UPDATE ${this.table} SET state = $2, result = $3, pages = COALESCE($4, pages), pages_done = COALESCE($4, pages_done), changes = COALESCE($5, changes), updated_at = now() WHERE id = $1`,
      [id, state, JSON.stringify(result), pages, changes === undefined ? null : JSON.stringify(changes)],
    );
  }

  /** The job failed with `problem` (what GET answers); logged, with the error behind it when the fault is ours (5xx). */
  async fail(id: string, problem: { status: number; type: string; detail: string }, cause?: unknown): Promise<void> {
    if (problem.status >= 500) this.logger?.error({ err: cause, importJob: id, problem: problem.type }, 'import job failed');
    else this.logger?.warn({ importJob: id, problem: problem.type, status: problem.status, detail: problem.detail }, 'import job refused the document');
    await this.db.query(`UPDATE ${this.table} SET state = 'failed', error = $2, updated_at = now() WHERE id = $1`, [id, JSON.stringify(problem)]);
  }

  /** The uploaded document of one of the city's jobs: null for no such job, `bytes` null when it was not kept. */
  async document(id: string, cityId: string): Promise<{ bytes: Buffer | null } | null> {
    if (!UUID.test(id)) return null;
    const rows: { bytes: Buffer | null }[] = await this.db.query(`SELECT bytes FROM ${this.table} WHERE id = $1 AND city_id = $2`, [id, cityId]);
    return rows[0] ?? null;
  }

  /**
   * Claims a dry run that was read (`parsed`) for one confirmation: one caller gets its ParsedPlan and
   * the dry run's changes, any other (a second confirm, one at the same time) null.
   */
  async claim(id: string, cityId: string, userId: string): Promise<{ document: string; result: unknown; changes: unknown } | null> {
    if (!UUID.test(id)) return null;
    const rows = returnedRows<{ document: string; result: unknown; changes: unknown }>(
      await this.db.query(
        `UPDATE ${this.table} SET confirming_since = now(), confirmed_by = $3, updated_at = now()
        WHERE id = $1 AND city_id = $2 AND dry_run AND state = 'parsed' AND confirming_since IS NULL
        RETURNING document, result, changes`,
        [id, cityId, userId],
      ),
    );
    return rows[0] ?? null;
  }

  /** A claimed job whose import failed: confirmable again (corrected corrections, a retry). */
  async release(id: string): Promise<void> {
    await this.db.query(`UPDATE ${this.table} SET confirming_since = NULL, confirmed_by = NULL, updated_at = now() WHERE id = $1 AND state = 'parsed'`, [id]);
  }

  /** Confirmed: the job is `stored`, with the import's answer as its result. */
  async confirmed(id: string, result: unknown): Promise<void> {
    await this.db.query(`UPDATE ${this.table} SET state = 'stored', result = $2, updated_at = now() WHERE id = $1`, [id, JSON.stringify(result)]);
  }

  /**
   * Every city's jobs (run outside any city scope): a job still reading after STUCK_AFTER_MS lost its
   * process (failed, import-interrupted), a confirmation claimed that long ago and never finished is
   * released, and jobs older than KEPT_FOR_MS go with their bytes. Each step is one conditional
   * statement, so every instance may run it at any time.
   */
  async sweep(): Promise<{ interrupted: number; released: number; deleted: number }> {
    const interrupted = returnedRows<{ id: string }>(
      await this.db.query(
        `UPDATE ${this.table} SET state = 'failed', error = $2, updated_at = now()
        WHERE state IN ('queued', 'reading') AND updated_at < now() - make_interval(secs => $1) RETURNING id`,
        [STUCK_AFTER_MS / 1000, JSON.stringify(INTERRUPTED_PROBLEM)],
      ),
    );
    for (const { id } of interrupted)
      this.logger?.warn({ importJob: id, problem: INTERRUPTED_PROBLEM.type }, 'import job interrupted: the process reading it stopped');
    const released = returnedRows<{ id: string }>(
      await this.db.query(
        `UPDATE ${this.table} SET confirming_since = NULL, confirmed_by = NULL WHERE state = 'parsed' AND confirming_since < now() - make_interval(secs => $1) RETURNING id`,
        [STUCK_AFTER_MS / 1000],
      ),
    );
    const deleted = returnedRows<{ id: string }>(
      await this.db.query(`DELETE FROM ${this.table} WHERE created_at < now() - make_interval(secs => $1) RETURNING id`, [KEPT_FOR_MS / 1000]),
    );
    return { interrupted: interrupted.length, released: released.length, deleted: deleted.length };
  }

  /** The job, if it is one of the current city's (another city's id looks like an unknown one). */
  async get(id: string, cityId: string): Promise<ImportJob | null> {
    if (!UUID.test(id)) return null;
    const rows: Row[] = await this.db.query(`SELECT ${COLUMNS} FROM ${this.table} WHERE id = $1 AND city_id = $2`, [id, cityId]);
    return rows[0] ? toJob(rows[0]) : null;
  }
}
