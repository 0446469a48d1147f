import { randomUUID } from 'node:crypto';
import { ConcurrencyError, fold, type AnyCommand, type AnyEvent, type Decider } from '@mandate/kernel';
import type { PostgresEventStore } from './postgres-event-store';
import type { EventMetadata, NewEvent, StoredEvent } from './types';
import type { EntityManager } from 'typeorm';

export type HandleOptions = {
  /** The version the client saw (If-Match). Without it the command applies to the stream's head, whatever it is. */
  expectedVersion?: bigint;
  correlationId: string;
  causationId?: string | null;
  /** Inline projections: written in the append transaction. */
  project?: (manager: EntityManager, stored: StoredEvent[]) => Promise<void>;
  /** The error when the stream does not exist (for this city): commands on existing aggregates. */
  missing?: () => Error;
  /** The schema version each event type is written with; types not listed are at 1. */
  schemaVersions?: Readonly<Record<string, number>>;
};

export type HandleResult<State, Evt> = { events: Evt[]; stored: StoredEvent[]; streamVersion: bigint; state: State };

export const toDomainEvent = <Evt extends AnyEvent>(stored: Pick<StoredEvent, 'type' | 'data' | 'metadata'>): Evt =>
  ({
    type: stored.type,
    data: stored.data,
    metadata: {
      actorId: stored.metadata.actorId,
      role: stored.metadata.role,
      agencyId: stored.metadata.agencyId,
      cityId: stored.metadata.cityId,
    },
  }) as unknown as Evt;

/**
 * Read the stream, fold, decide, append with the expected version: the one way commands become
 * events in every event-sourced service. Decide stays pure; ids and time are chosen here.
 *
 * All of it runs holding the stream's append lock, so concurrent commands on one stream queue rather
 * than conflict: a command without an expected version always decides on the head it appends to (20
 * writers at once all succeed; retrying on conflict lost most of them), and one with If-Match fails
 * exactly when the stream is not at that version.
 */
export const handleCommand = async <State, Cmd extends AnyCommand, Evt extends AnyEvent>(
  store: PostgresEventStore,
  decider: Decider<State, Cmd, Evt>,
  streamId: string,
  command: Cmd,
  options: HandleOptions,
): Promise<HandleResult<State, Evt>> => {
  const cityId = command.metadata.cityId;
  return store.withStreamLock(streamId, cityId, async (stream) => {
    const { events: history, streamVersion } = await stream.read();
    if (history.length === 0 && options.missing) throw options.missing();
    if (options.expectedVersion !== undefined && options.expectedVersion !== streamVersion) {
      throw new ConcurrencyError(streamId, String(options.expectedVersion), String(streamVersion));
    }
    const state = fold(decider, history.map((e) => toDomainEvent<Evt>(e)));
    const events = decider.decide(command, state);
    if (events.length === 0) return { events, stored: [], streamVersion, state };
    const metadata = (event: Evt): EventMetadata => ({
      cityId,
      actorId: event.metadata.actorId,
      role: event.metadata.role,
      agencyId: event.metadata.agencyId,
      correlationId: options.correlationId,
      causationId: options.causationId ?? null,
      occurredAt: command.metadata.now.toISOString(),
    });
    const newEvents: NewEvent[] = events.map((event) => ({
      id: randomUUID(),
      type: event.type,
      schemaVersion: options.schemaVersions?.[event.type] ?? 1,
      data: event.data as Record<string, unknown>,
      metadata: metadata(event),
    }));
    const appended = await stream.append(newEvents, {
      expectedVersion: streamVersion === 0n ? 'no_stream' : streamVersion,
      inTransaction: options.project,
    });
    return { events, stored: appended.events, streamVersion: appended.streamVersion, state: events.reduce(decider.evolve, state) };
  });
};
