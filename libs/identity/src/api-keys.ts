import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { API_KEY, HttpProblem, type RequestActor } from '@mandate/http';
import { NotFoundError, ValidationError, type Role } from '@mandate/kernel';
import { ident, returnedRows, sqlMigration, type SharedState } from '@mandate/runtime';
import type { DataSource } from 'typeorm';

export const apiKeysMigration = sqlMigration(
  'ApiKeys',
  1767225609000,
  (s) => [
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.api_keys (
       id text PRIMARY KEY, city_id text NOT NULL, name text NOT NULL, role text NOT NULL, agency_id text,
       secret_hash text NOT NULL, previous_hash text, previous_valid_until timestamptz,
       created_by text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), rotated_at timestamptz, revoked_at timestamptz, last_used_at timestamptz)`,
    `CREATE INDEX IF NOT EXISTS api_keys_city ON ${ident(s)}.api_keys (city_id, created_at)`,
  ],
  (s) => [`DROP TABLE IF EXISTS ${ident(s)}.api_keys`],
);

/** Roles an API key may stand for: systems of a city, never a person's role. */
export const API_KEY_ROLES = ['integrator'] as const satisfies readonly Role[];

export type ApiKeyView = {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  rotatedAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
};

export type ApiKeyOptions = {
  /** Keys are stored as HMAC-SHA256 under this secret: a copy of the table alone opens nothing. */
  pepper: string;
  /** Where failed attempts are counted, shared by every instance (Redis in the distributed deployment). */
  state: SharedState;
  /** Wrong secrets on one key id (or unknown key ids from one client) before it is locked out for `lockoutMinutes`. */
  maxFailures?: number;
  lockoutMinutes?: number;
  /** How long a rotated key's old secret still works, so an integrator can switch without downtime. */
  rotationGraceMinutes?: number;
};

const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);
const view = (r: Record<string, unknown>): ApiKeyView => ({
  id: String(r.id),
  name: String(r.name),
  role: String(r.role),
  createdAt: iso(r.created_at)!,
  rotatedAt: iso(r.rotated_at),
  revokedAt: iso(r.revoked_at),
  lastUsedAt: iso(r.last_used_at),
});

/**
 * API keys of a city for its integrators' systems: `mk_<id>_<secret>`, shown once, kept only as a
 * keyed hash, rotatable (the old secret works for a grace period) and revocable. Repeated wrong
 * secrets lock the key id out for a while; repeated unknown keys, the client (for unknown keys only).
 */
export class ApiKeys {
  private readonly maxFailures: number;
  private readonly lockoutMs: number;
  private readonly graceMinutes: number;

  constructor(
    private readonly db: DataSource,
    private readonly schema: string,
    private readonly options: ApiKeyOptions,
  ) {
    this.maxFailures = options.maxFailures ?? 10;
    this.lockoutMs = (options.lockoutMinutes ?? 15) * 60_000;
    this.graceMinutes = options.rotationGraceMinutes ?? 60;
  }

  private get table() {
    return `${ident(this.schema)}.api_keys`;
  }

  private hash(secret: string): string {
    return createHmac('sha256', this.options.pepper).update(secret).digest('hex');
  }

  async create(actor: RequestActor, input: { name: string; role?: (typeof API_KEY_ROLES)[number] }): Promise<ApiKeyView & { key: string }> {
    const name = input.name.trim();
    if (!name || name.length > 200) throw new ValidationError('An API key needs a name of 1 to 200 characters', 'api-key-name');
    const id = randomBytes(16).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const rows = returnedRows<Record<string, unknown>>(
      await this.db.query(`INSERT INTO ${this.table} (id, city_id, name, role, secret_hash, created_by) VALUES ($1,$2,$3,$4,$5,$6) RETURNING *`, [
        id,
        actor.cityId,
        name,
        input.role ?? 'integrator',
        this.hash(secret),
        actor.userId,
      ]),
    );
    return { ...view(rows[0]), key: `mk_${id}_${secret}` };
  }

  async list(actor: RequestActor): Promise<ApiKeyView[]> {
    const rows: Record<string, unknown>[] = await this.db.query(`SELECT * FROM ${this.table} WHERE city_id = $1 ORDER BY created_at, id`, [actor.cityId]);
    return rows.map(view);
  }

  /** A new secret; the old one keeps working for the grace period. */
  async rotate(actor: RequestActor, id: string): Promise<ApiKeyView & { key: string }> {
    const secret = randomBytes(32).toString('base64url');
    const rows = returnedRows<Record<string, unknown>>(
      await this.db.query(
        `UPDATE ${this.table} SET previous_hash = secret_hash, previous_valid_until = now() + make_interval(mins => $4), secret_hash = $3, rotated_at = now()
          WHERE id = $1 AND city_id = $2 AND revoked_at IS NULL RETURNING *`,
        [id, actor.cityId, this.hash(secret), this.graceMinutes],
      ),
    );
    if (rows.length === 0) throw new NotFoundError(`No live API key ${id} in ${actor.cityId}`, 'api-key-not-found');
    return { ...view(rows[0]), key: `mk_${id}_${secret}` };
  }

  async revoke(actor: RequestActor, id: string): Promise<void> {
    const rows = returnedRows(
      await this.db.query(`UPDATE ${this.table} SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND city_id = $2 RETURNING id`, [id, actor.cityId]),
    );
    if (rows.length === 0) throw new NotFoundError(`No API key ${id} in ${actor.cityId}`, 'api-key-not-found');
  }

  /**
   * The actor a presented key stands for; null for a wrong, revoked or expired one. A wrong secret
   * counts against its key id (which then locks for every caller, so guessing its secret stops); a
   * key id that does not exist counts against the client address, which then gets 429 for unknown
   * keys only: one client's noise never locks out another's key, nor its own good one (behind a
   * proxy every client may share an address).
   */
  readonly resolve = async (key: string, client: string): Promise<RequestActor | null> => {
    // mk_<32 hex id>_<secret>
    const [id, secret] = API_KEY.test(key) ? [key.slice(3, 35), key.slice(36)] : [];
    const window = Math.floor(Date.now() / this.lockoutMs);
    const lockedOut = () => new HttpProblem(429, 'api-key-locked-out', 'Too many bad API keys: try again later');
    const keyCounter = id ? `apikey-fail:key:${id}:${window}` : null;
    if (keyCounter && Number((await this.options.state.get(keyCounter)) ?? 0) >= this.maxFailures) throw lockedOut();
    const rows: Record<string, unknown>[] = id
      ? await this.db.query(
          `SELECT id, city_id, role, agency_id, secret_hash, previous_hash, previous_valid_until > now() AS previous_valid FROM ${this.table} WHERE id = $1 AND revoked_at IS NULL`,
          [id],
        )
      : [];
    const row = rows[0];
    if (!row || !keyCounter) {
      // Counted first, in one round trip: the attempt past the limit is the first refused.
      if ((await this.options.state.increment(`apikey-fail:unknown:${client}:${window}`, this.lockoutMs)) > this.maxFailures) throw lockedOut();
      return null;
    }
    const presented = Buffer.from(this.hash(secret!), 'hex');
    const matches = (stored: unknown) => typeof stored === 'string' && timingSafeEqual(Buffer.from(stored, 'hex'), presented);
    if (!(matches(row.secret_hash) || (row.previous_valid === true && matches(row.previous_hash)))) {
      await this.options.state.increment(keyCounter, this.lockoutMs);
      return null;
    }
    await this.db.query(
      `UPDATE ${this.table} SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [row.id],
    );
    return { userId: `apikey:${String(row.id)}`, role: row.role as Role, cityId: String(row.city_id), agencyId: (row.agency_id as string | null) ?? null };
  };
}
