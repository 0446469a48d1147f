import { randomUUID } from 'node:crypto';
import { ident, sqlMigration } from '@mandate/runtime';
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

/** Reads and writes import jobs; every query runs under the caller's city scope (RLS). */
export class ImportJobs {
  private readonly table: string;

  constructor(
    private readonly db: DataSource,
    schema: string,
  ) {
    this.table = `${ident(schema)}.import_jobs`;
  }

  async create(job: { cityId: string; document: string; dryRun: boolean; createdBy: string; state: ImportJobState }): Promise<ImportJob> {
    const rows: Row[] = await this.db.query(
      `INSERT INTO ${this.table} (id, city_id, document, dry_run, state, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [randomUUID(), job.cityId, job.document, job.dryRun, job.state, job.createdBy],
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

  async finish(id: string, state: 'parsed' | 'stored', result: unknown, pages: number | null): Promise<void> {
    await this.db.query(
      `UPDATE ${this.table} SET state = $2, result = $3, pages = COALESCE($4, pages), pages_done = COALESCE($4, pages_done), updated_at = now() WHERE id = $1`,
      [id, state, JSON.stringify(result), pages],
    );
  }

  async fail(id: string, error: unknown): Promise<void> {
    await this.db.query(`UPDATE ${this.table} SET state = 'failed', error = $2, updated_at = now() WHERE id = $1`, [id, JSON.stringify(error)]);
  }

  /** The job, if it is one of the current city's (another city's id looks like an unknown one). */
  async get(id: string, cityId: string): Promise<ImportJob | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    const rows: Row[] = await this.db.query(`SELECT * FROM ${this.table} WHERE id = $1 AND city_id = $2`, [id, cityId]);
    return rows[0] ? toJob(rows[0]) : null;
  }
}
