import { ident, sqlMigration } from '@mandate/runtime';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Exactly-once effects over at-least-once delivery: the processed event id and the read-model
 * change commit in one transaction, so a redelivered event finds its id and changes nothing.
 */
export class Inbox {
  static readonly migration = sqlMigration(
    'Inbox',
    1763900000000,
    (s) => [
      `CREATE TABLE IF NOT EXISTS ${ident(s)}.inbox (
         consumer text NOT NULL,
         event_id uuid NOT NULL,
         processed_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (consumer, event_id))`,
    ],
    (s) => [`DROP TABLE IF EXISTS ${ident(s)}.inbox`],
  );

  constructor(
    private readonly db: DataSource,
    private readonly schema: string,
  ) {}

  /** Runs `work` unless `eventId` was already handled by `consumer`; returns whether it ran. */
  handleOnce(consumer: string, eventId: string, work: (manager: EntityManager) => Promise<void>): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      if (!(await this.markIn(manager, consumer, eventId))) return false;
      await work(manager);
      return true;
    });
  }

  /**
   * Records many event ids at once (one statement: a batch's one inbox check) and returns those
   * not handled before; an id given twice counts once.
   */
  async markManyIn(manager: EntityManager, consumer: string, eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const inserted: { event_id: string }[] = await manager.query(
      `INSERT INTO ${ident(this.schema)}.inbox (consumer, event_id)
       SELECT $1, id FROM unnest($2::uuid[]) AS id ON CONFLICT DO NOTHING RETURNING event_id`,
      [consumer, [...new Set(eventIds)]],
    );
    // PostgreSQL answers uuids in lower case; the ids are given back as the events spell them.
    const fresh = new Set(inserted.map((row) => row.event_id));
    return new Set(eventIds.filter((id) => fresh.has(id.toLowerCase())));
  }

  /** Records `eventId` as handled by `consumer` in the caller's transaction; false when it already was. */
  async markIn(manager: EntityManager, consumer: string, eventId: string): Promise<boolean> {
    return (await this.markManyIn(manager, consumer, [eventId])).size > 0;
  }
}
