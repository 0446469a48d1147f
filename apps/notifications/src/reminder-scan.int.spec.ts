// The reminder scan of the notifications service against the real PostgreSQL: it runs every
// MANDATE_DEADLINE_SCAN_SECONDS, and 0 turns it off in that process (as the plans' deadline scan).
import type { Subscriber } from '@mandate/messaging';
import { createLogger } from '@mandate/runtime';
import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import { startNotifications } from './notifications.service-host';

jest.setTimeout(60_000);

// The scan is what is looked at here; the events' transport is not (no events are sent).
const noEvents: Subscriber = { subscribe: async () => ({ stop: async () => undefined }) };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Reminder scan', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('reminder_scan');
  });
  afterAll(async () => {
    await db?.drop();
  });

  const passesIn = async (reminderScanMs: number, windowMs: number) => {
    const host = await startNotifications({ databaseUrl: db.url, logger: createLogger('silent'), subscriber: noEvents, reminderScanMs });
    const run = jest.spyOn(host.reminders, 'run');
    try {
      await host.subscribe();
      await sleep(windowMs);
      return run.mock.calls.length;
    } finally {
      await host.stop();
    }
  };

  it('looks for reminders and digests once per interval', async () => {
    const passes = await passesIn(200, 1000);
    expect(passes).toBeGreaterThanOrEqual(2);
    expect(passes).toBeLessThanOrEqual(6);
  });

  it('with an interval of 0 does not look at all (it used to look without pause, a core busy reading every task)', async () => {
    expect(await passesIn(0, 1000)).toBe(0);
  });
});
