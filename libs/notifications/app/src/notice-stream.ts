import { EventEmitter } from 'node:events';
import type { Logger } from '@mandate/runtime';
import { Client } from 'pg';
import { NOTICE_CHANNEL } from './notification-log';

export type LiveNotice = {
  id: string;
  cityId: string;
  recipientAgencyId: string;
  rule: string | null;
  subject: string;
  taskId: string | null;
  reportId: string | null;
};

/**
 * Live inboxes on every instance: each instance LISTENs on the notices channel (PostgreSQL delivers a
 * NOTIFY at commit, to every listener, whichever instance recorded the notice) and hands each notice to
 * the streams open for its city and agency here. Reconnects when the connection drops.
 */
export class NoticeStream {
  private readonly emitter = new EventEmitter();
  private client: Client | null = null;
  private stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {
    this.emitter.setMaxListeners(0);
  }

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => {
      if (message.channel !== NOTICE_CHANNEL || !message.payload) return;
      try {
        const notice = JSON.parse(message.payload) as LiveNotice;
        this.emitter.emit(`${notice.cityId}/${notice.recipientAgencyId}`, notice);
        this.emitter.emit(`${notice.cityId}/*`, notice);
      } catch (error) {
        this.logger.warn({ err: error }, 'unreadable notice notification');
      }
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'notice listener lost its connection; reconnecting');
      this.client = null;
      if (!this.stopped) setTimeout(() => void this.start().catch(() => undefined), 1000);
    });
    await client.connect();
    await client.query(`LISTEN ${NOTICE_CHANNEL}`);
    this.client = client;
  }

  /** Calls `listener` with each new notice of the city for `agencyId` (every agency's when null). */
  subscribe(cityId: string, agencyId: string | null, listener: (notice: LiveNotice) => void): () => void {
    const key = `${cityId}/${agencyId ?? '*'}`;
    this.emitter.on(key, listener);
    return () => this.emitter.off(key, listener);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }
}
