import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { NotFoundError } from '@mandate/kernel';
import type { CloudEvent } from '@mandate/messaging';
import { ident, returnedRows, sqlMigration, type Logger, type SqlWrites } from '@mandate/runtime';
import type { DataSource, EntityManager } from 'typeorm';
import { signatureOf, SIGNATURE_HEADER } from './signature';
import { checkWebhookTarget, pinnedLookup, resolveWebhookTarget, type Resolver, type WebhookTarget } from './target-guard';

export const webhooksMigration = sqlMigration(
  'Webhooks',
  1767225602000,
  (s) => [
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.webhooks (
       id uuid PRIMARY KEY, city_id text NOT NULL, url text NOT NULL, types jsonb, plan_ids jsonb, secret text NOT NULL,
       status text NOT NULL DEFAULT 'active', consecutive_failures int NOT NULL DEFAULT 0, disabled_reason text,
       created_by text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE INDEX IF NOT EXISTS webhooks_city ON ${ident(s)}.webhooks (city_id, status)`,
    // The integration events this service received, in arrival order: what replays send again.
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.webhook_events (
       position bigserial PRIMARY KEY, event_id text NOT NULL UNIQUE, city_id text NOT NULL, type text NOT NULL,
       plan_id text, time timestamptz NOT NULL, event jsonb NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS webhook_events_city ON ${ident(s)}.webhook_events (city_id, position)`,
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.webhook_deliveries (
       id bigserial PRIMARY KEY, webhook_id uuid NOT NULL REFERENCES ${ident(s)}.webhooks (id) ON DELETE CASCADE, city_id text NOT NULL,
       event_position bigint NOT NULL, event_id text NOT NULL, event_type text NOT NULL, status text NOT NULL DEFAULT 'pending',
       attempts int NOT NULL DEFAULT 0, next_attempt_at timestamptz NOT NULL DEFAULT now(), last_status int, last_error text,
       delivered_at timestamptz, created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (webhook_id, event_id))`,
    `CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON ${ident(s)}.webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
  ],
  (s) => [
    `DROP TABLE IF EXISTS ${ident(s)}.webhook_deliveries`,
    `DROP TABLE IF EXISTS ${ident(s)}.webhook_events`,
    `DROP TABLE IF EXISTS ${ident(s)}.webhooks`,
  ],
);

/** A webhook's next delivery is its oldest pending one (`dispatchDue`): found per webhook by this index. */
export const webhookQueueMigration = sqlMigration(
  'WebhookQueue',
  1767225611000,
  (s) => [
    `CREATE INDEX IF NOT EXISTS webhook_deliveries_queue ON ${ident(s)}.webhook_deliveries (webhook_id, event_position, id) WHERE status = 'pending'`,
    `DROP INDEX IF EXISTS ${ident(s)}.webhook_deliveries_due`,
  ],
  (s) => [
    `CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON ${ident(s)}.webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
    `DROP INDEX IF EXISTS ${ident(s)}.webhook_deliveries_queue`,
  ],
);

/** Who manages a city's webhooks: its integrators, and its office. */
/** After this many failed attempts a delivery is given up (dead), after this many failures in a row the webhook is disabled. */
export const MAX_ATTEMPTS = 10;
export const DISABLE_AFTER_FAILURES = 25;
const MAX_BACKOFF_MS = 60 * 60 * 1000;
/** A claimed delivery is not claimed again for this long: one HTTP call's timeout, with room. */
const LEASE_SECONDS = 60;
const TIMEOUT_MS = 10_000;

export type WebhookActor = { userId: string; role: string; cityId: string };
export type WebhookView = {
  id: string;
  url: string;
  types: string[] | null;
  planIds: string[] | null;
  status: string;
  consecutiveFailures: number;
  disabledReason: string | null;
  createdAt: string;
};
export type DeliveryView = {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
};

/** A delivery claimed for sending, with what sending needs. */
type Claimed = { id: string; attempts: number; webhook_id: string; url: string; secret: string; event: CloudEvent };

export type WebhookOptions = {
  allowPrivate: boolean;
  backoffMs: number;
  logger: Logger;
  /** How a target's host name is resolved (the system's resolver; a stub in tests). */
  resolve?: Resolver;
  /** Called when a delivery's attempt is over: the webhook's next delivery may be due (wakes the dispatcher). */
  onAttempted?: () => void;
};

/**
 * Webhooks for integrators: subscriptions per city, a delivery per (webhook, event) queued in the same
 * transaction as the event is received, and a dispatcher that sends each active webhook its deliveries
 * one at a time, in the order the events arrived (several instances share the queue: `FOR UPDATE SKIP
 * LOCKED`), POSTs the CloudEvent signed with the webhook's secret, retries with exponential backoff,
 * gives up after MAX_ATTEMPTS and disables a webhook that keeps failing. Webhooks never wait for each
 * other: a slow or failing receiver holds back only its own queue.
 */
export class Webhooks {
  /** The attempts under way in this instance, by webhook: at most one each. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly db: DataSource,
    private readonly schema: string,
    private readonly options: WebhookOptions,
  ) {}

  private get s() {
    return ident(this.schema);
  }

  async register(actor: WebhookActor, input: { url: string; types?: string[]; planIds?: string[] }): Promise<WebhookView & { secret: string }> {
    await checkWebhookTarget(input.url, this.options.allowPrivate, this.options.resolve);
    const id = randomUUID();
    const secret = `whsec_${randomBytes(32).toString('hex')}`;
    await this.db.query(`INSERT INTO ${this.s}.webhooks (id, city_id, url, types, plan_ids, secret, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7)`, [
      id,
      actor.cityId,
      input.url,
      input.types ? JSON.stringify(input.types) : null,
      input.planIds ? JSON.stringify(input.planIds) : null,
      secret,
      actor.userId,
    ]);
    return { ...(await this.get(actor, id)), secret };
  }

  async list(actor: WebhookActor): Promise<WebhookView[]> {
    const rows = (await this.db.query(`SELECT * FROM ${this.s}.webhooks WHERE city_id = $1 ORDER BY created_at`, [actor.cityId])) as Record<string, unknown>[];
    return rows.map(webhookView);
  }

  async get(actor: WebhookActor, id: string): Promise<WebhookView> {
    const [row] = (await this.db.query(`SELECT * FROM ${this.s}.webhooks WHERE city_id = $1 AND id::text = $2`, [actor.cityId, id])) as Record<
      string,
      unknown
    >[];
    if (!row) throw new NotFoundError(`Webhook ${id} not found`, 'webhook-not-found');
    return webhookView(row);
  }

  async remove(actor: WebhookActor, id: string): Promise<void> {
    await this.get(actor, id);
    await this.db.query(`DELETE FROM ${this.s}.webhooks WHERE city_id = $1 AND id = $2`, [actor.cityId, id]);
  }

  /**
   * Turns a disabled webhook on again: the deliveries still pending when it was disabled go out at once,
   * in order; its dead deliveries can be redelivered, and what happened meanwhile replayed.
   */
  async enable(actor: WebhookActor, id: string): Promise<WebhookView> {
    await this.get(actor, id);
    await this.db.transaction(async (manager) => {
      await manager.query(`UPDATE ${this.s}.webhooks SET status = 'active', consecutive_failures = 0, disabled_reason = NULL WHERE id = $1`, [id]);
      await manager.query(`UPDATE ${this.s}.webhook_deliveries SET next_attempt_at = now() WHERE webhook_id = $1 AND status = 'pending'`, [id]);
    });
    return this.get(actor, id);
  }

  async deliveries(actor: WebhookActor, id: string, status?: string): Promise<DeliveryView[]> {
    await this.get(actor, id);
    const rows = (await this.db.query(
      `SELECT * FROM ${this.s}.webhook_deliveries WHERE webhook_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY id DESC LIMIT 500`,
      [id, status ?? null],
    )) as Record<string, unknown>[];
    return rows.map(deliveryView);
  }

  /** Sends one delivery again, whatever became of it. */
  async redeliver(actor: WebhookActor, id: string, deliveryId: string): Promise<DeliveryView> {
    await this.get(actor, id);
    const [row] = returnedRows<Record<string, unknown>>(
      await this.db.query(
        `UPDATE ${this.s}.webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL
         WHERE webhook_id = $1 AND id::text = $2 RETURNING *`,
        [id, deliveryId],
      ),
    );
    if (!row) throw new NotFoundError(`Delivery ${deliveryId} not found`, 'delivery-not-found');
    return deliveryView(row);
  }

  /** Queues again every event received from a position or a time on (after an integrator's outage). */
  async replay(actor: WebhookActor, id: string, from: { position?: number; time?: Date }): Promise<{ queued: number }> {
    const hook = await this.get(actor, id);
    const rows = (await this.db.query(
      `INSERT INTO ${this.s}.webhook_deliveries (webhook_id, city_id, event_position, event_id, event_type)
       SELECT $1, e.city_id, e.position, e.event_id, e.type FROM ${this.s}.webhook_events e
        WHERE e.city_id = $2 AND e.position >= $3 AND e.time >= $4
          AND ($5::jsonb IS NULL OR $5::jsonb ? e.type) AND ($6::jsonb IS NULL OR $6::jsonb ? e.plan_id)
       ON CONFLICT (webhook_id, event_id) DO UPDATE SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL
       RETURNING id`,
      [
        id,
        actor.cityId,
        from.position ?? 0,
        from.time ?? new Date(0),
        hook.types ? JSON.stringify(hook.types) : null,
        hook.planIds ? JSON.stringify(hook.planIds) : null,
      ],
    )) as unknown[];
    return { queued: rows.length };
  }

  /**
   * An integration event arrived: kept for replays, and queued for every active webhook of its city
   * that wants it and existed when it happened.
   */
  async receive(event: CloudEvent): Promise<number> {
    return this.db.transaction(async (manager) => this.receiveIn(manager, event));
  }

  /** `receive` within the caller's transaction: one statement; answers how many deliveries it queued. */
  async receiveIn(manager: EntityManager, event: CloudEvent): Promise<number> {
    return returnedRows(await manager.query(...this.receiveStatement(event))).length;
  }

  /** `receive` as one of a batch's writes (sent with the others); the dispatcher is to be woken after the commit. */
  async queueIn(writes: SqlWrites, event: CloudEvent): Promise<void> {
    await writes.query(...this.receiveStatement(event));
  }

  private receiveStatement(event: CloudEvent): [string, unknown[]] {
    const planId = (event.data as { planId?: unknown } | null)?.planId;
    return [
      `WITH kept AS (
         INSERT INTO ${this.s}.webhook_events (event_id, city_id, type, plan_id, time, event) VALUES ($1,$2,$3,$4,$5,$6)
         ON CONFLICT (event_id) DO NOTHING RETURNING position)
       INSERT INTO ${this.s}.webhook_deliveries (webhook_id, city_id, event_position, event_id, event_type)
       SELECT w.id, w.city_id, kept.position, $1, $3 FROM kept, ${this.s}.webhooks w
        WHERE w.city_id = $2 AND w.status = 'active' AND (w.types IS NULL OR w.types ? $3) AND (w.plan_ids IS NULL OR w.plan_ids ? $7)
          -- What happened before the webhook existed is a replay's to send, however late it arrives here.
          -- Compared to the millisecond, the precision of an event's time: an event of the webhook's own
          -- millisecond is sent (it fell "before" a creation in microseconds, and was lost to a race).
          AND date_trunc('milliseconds', w.created_at) <= $5
       ON CONFLICT (webhook_id, event_id) DO NOTHING RETURNING id`,
      // A redelivered event is kept already (kept is empty): it was queued the first time.
      [
        event.id,
        event.cityid,
        event.type,
        typeof planId === 'string' ? planId : null,
        event.time,
        JSON.stringify(event),
        typeof planId === 'string' ? planId : '',
      ],
    ];
  }

  /**
   * Starts the attempts due now, one per webhook and at most `limit` under way in this instance;
   * returns how many it started. Does not wait for them (`onAttempted` tells when one is over,
   * `settled` waits for all): a receiver that takes its time holds back only its own webhook.
   *
   * A webhook's next delivery is its oldest pending one (by arrival): while that one is under way
   * (its lease) or waiting for its retry, the webhook's later ones wait too, so each webhook receives
   * its events in order, one at a time. Webhooks not active (disabled) are not looked at: their
   * deliveries stay pending until the webhook is enabled again, and take no one else's turn.
   */
  async dispatchDue(limit = 20): Promise<number> {
    const free = limit - this.inFlight.size;
    if (free <= 0) return 0;
    const rows = returnedRows<Claimed>(
      await this.db.query(
        `WITH heads AS (
         SELECT head.id FROM ${this.s}.webhooks w
          CROSS JOIN LATERAL (
            SELECT d.id, d.next_attempt_at FROM ${this.s}.webhook_deliveries d
             WHERE d.webhook_id = w.id AND d.status = 'pending' ORDER BY d.event_position, d.id LIMIT 1) head
          WHERE w.status = 'active' AND head.next_attempt_at <= now() AND w.id <> ALL($2::uuid[])
          ORDER BY head.next_attempt_at, head.id LIMIT $1),
       -- Locked and checked again: another instance may have claimed or finished a head meanwhile.
       due AS (
         SELECT d.id FROM ${this.s}.webhook_deliveries d JOIN heads ON heads.id = d.id
          WHERE d.status = 'pending' AND d.next_attempt_at <= now() FOR UPDATE OF d SKIP LOCKED)
       UPDATE ${this.s}.webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS})
         FROM due, ${this.s}.webhooks w, ${this.s}.webhook_events e
        WHERE d.id = due.id AND w.id = d.webhook_id AND e.position = d.event_position AND w.status = 'active'
        RETURNING d.id, d.attempts, d.webhook_id, w.url, w.secret, e.event`,
        [free, [...this.inFlight.keys()]],
      ),
    );
    for (const row of rows) {
      const attempt = this.send(row)
        .catch((error) => this.options.logger.error({ err: error, deliveryId: row.id }, 'webhook delivery not recorded; sent again after its lease'))
        .finally(() => {
          this.inFlight.delete(row.webhook_id);
          this.options.onAttempted?.();
        });
      this.inFlight.set(row.webhook_id, attempt);
    }
    return rows.length;
  }

  /** Waits for the attempts under way in this instance (before stopping). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  /** How many attempts are under way in this instance. */
  get attemptsUnderWay(): number {
    return this.inFlight.size;
  }

  private async send(row: Claimed): Promise<void> {
    const body = JSON.stringify(row.event);
    const attempt = row.attempts + 1;
    let status: number | null = null;
    let error: string | null = null;
    try {
      const target = await resolveWebhookTarget(row.url, { allowPrivate: this.options.allowPrivate, resolve: this.options.resolve });
      status = await post(target, body, {
        'content-type': 'application/cloudevents+json; charset=utf-8',
        [SIGNATURE_HEADER]: signatureOf(row.secret, body, Math.floor(Date.now() / 1000)),
        'Mandate-Delivery': String(row.id),
        'Mandate-Attempt': String(attempt),
      });
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error = (e as Error).message;
    }
    if (!error) {
      await this.db.query(
        // One round trip: the webhook's next delivery waits for this one to be recorded.
        `WITH delivered AS (
           UPDATE ${this.s}.webhook_deliveries SET status = 'delivered', attempts = $2, last_status = $3, last_error = NULL, delivered_at = now(), next_attempt_at = now()
            WHERE id = $1 RETURNING webhook_id)
         UPDATE ${this.s}.webhooks SET consecutive_failures = 0 WHERE id = (SELECT webhook_id FROM delivered) AND consecutive_failures <> 0`,
        [row.id, attempt, status],
      );
      return;
    }
    const dead = attempt >= MAX_ATTEMPTS;
    const delay = Math.min(this.options.backoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
    // One round trip, as for a success: the failure recorded, counted against the webhook, which is
    // disabled when the run of failures is long enough.
    const [hook] = returnedRows<{ consecutive_failures: number }>(
      await this.db.query(
        `WITH failed AS (
           UPDATE ${this.s}.webhook_deliveries SET status = $2, attempts = $3, last_status = $4, last_error = $5,
             next_attempt_at = now() + make_interval(secs => $6::double precision / 1000) WHERE id = $1 RETURNING webhook_id)
         UPDATE ${this.s}.webhooks w SET consecutive_failures = w.consecutive_failures + 1,
           status = CASE WHEN w.consecutive_failures + 1 >= $7 THEN 'disabled' ELSE w.status END,
           disabled_reason = CASE WHEN w.consecutive_failures + 1 >= $7 AND w.status = 'active'
             THEN format('%s failed attempts in a row; last: %s', w.consecutive_failures + 1, $8::text) ELSE w.disabled_reason END
          WHERE w.id = (SELECT webhook_id FROM failed) RETURNING w.consecutive_failures`,
        [row.id, dead ? 'dead' : 'pending', attempt, status, error.slice(0, 500), delay, DISABLE_AFTER_FAILURES, error.slice(0, 200)],
      ),
    );
    const failures = hook?.consecutive_failures ?? 0;
    if (failures >= DISABLE_AFTER_FAILURES) {
      this.options.logger.warn({ webhookId: row.webhook_id, failures }, 'webhook disabled after sustained failure');
    }
  }
}

/**
 * POSTs to the target over a connection to the addresses it was checked at (`pinnedLookup`), never
 * following redirects (a 3xx is a failed attempt); resolves with the answer's status.
 */
const post = (target: WebhookTarget, body: string, headers: Record<string, string>): Promise<number> =>
  new Promise((resolve, reject) => {
    const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target.url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(target),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      },
      (res) => {
        res.resume(); // the answer's body is not read, only its end awaited
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
        res.on('close', () => reject(new Error('the answer was cut short'))); // after 'end' a no-op
      },
    );
    req.on('error', reject);
    req.end(body);
  });

const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);

const webhookView = (r: Record<string, unknown>): WebhookView => ({
  id: String(r.id),
  url: String(r.url),
  types: (r.types as string[] | null) ?? null,
  planIds: (r.plan_ids as string[] | null) ?? null,
  status: String(r.status),
  consecutiveFailures: Number(r.consecutive_failures),
  disabledReason: (r.disabled_reason as string | null) ?? null,
  createdAt: iso(r.created_at)!,
});

const deliveryView = (r: Record<string, unknown>): DeliveryView => ({
  id: String(r.id),
  eventId: String(r.event_id),
  eventType: String(r.event_type),
  status: String(r.status),
  attempts: Number(r.attempts),
  lastStatus: r.last_status === null ? null : Number(r.last_status),
  lastError: (r.last_error as string | null) ?? null,
  nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
  deliveredAt: iso(r.delivered_at),
});
