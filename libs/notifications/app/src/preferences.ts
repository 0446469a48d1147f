import { DEFAULT_PREFERENCES, preferencesSchema, type Preferences } from '@mandate/notifications-domain';
import { ident, returnedRows, sqlMigration } from '@mandate/runtime';
import type { DataSource, EntityManager } from 'typeorm';

export const preferencesMigration = sqlMigration(
  'NotificationPreferences',
  1767225606000,
  (s) => [
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.preferences (
       city_id text NOT NULL, user_id text NOT NULL, preferences jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (city_id, user_id))`,
  ],
  (s) => [`DROP TABLE IF EXISTS ${ident(s)}.preferences`],
);

/** Each person's own notification preferences; defaults for those who set none. */
export class PreferenceStore {
  constructor(
    private readonly db: DataSource,
    private readonly schema: string,
  ) {}

  async get(cityId: string, userId: string): Promise<Preferences> {
    return (await this.ofPeople(this.db.manager, cityId, [userId])).get(userId) ?? DEFAULT_PREFERENCES;
  }

  async put(cityId: string, userId: string, preferences: Preferences): Promise<Preferences> {
    const checked = preferencesSchema.parse(preferences);
    await this.db.query(
      `INSERT INTO ${ident(this.schema)}.preferences (city_id, user_id, preferences) VALUES ($1,$2,$3)
       ON CONFLICT (city_id, user_id) DO UPDATE SET preferences = EXCLUDED.preferences, updated_at = now()`,
      [cityId, userId, JSON.stringify(checked)],
    );
    return checked;
  }

  /** Forgets a person's preferences (erasure); true when there were any. */
  async erase(cityId: string, userId: string): Promise<boolean> {
    const rows = (await this.db.query(`DELETE FROM ${ident(this.schema)}.preferences WHERE city_id = $1 AND user_id = $2 RETURNING user_id`, [
      cityId,
      userId,
    ])) as unknown[];
    return returnedRows(rows).length > 0;
  }

  /** The preferences people set (those who set none are absent), read in the caller's transaction. */
  async ofPeople(manager: EntityManager, cityId: string, userIds: readonly string[]): Promise<Map<string, Preferences>> {
    if (userIds.length === 0) return new Map();
    const rows: { user_id: string; preferences: Preferences }[] = await manager.query(
      `SELECT user_id, preferences FROM ${ident(this.schema)}.preferences WHERE city_id = $1 AND user_id = ANY($2::text[])`,
      [cityId, userIds],
    );
    return new Map(rows.map((row) => [row.user_id, { ...DEFAULT_PREFERENCES, ...row.preferences }]));
  }
}
