import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { ConcurrencyError, fold, type AnyCommand, type AnyEvent, type Decider } from '@mandate/kernel';
import type { PostgresEventStore } from './postgres-event-store';
import type { EventMetadata, NewEvent, StoredEvent } from './types';
import type { EntityManager } from 'typeorm';

export type HandleOptions = {
  /** The version the client saw (If-Match). Without it the command applies to the stream's head, whatever it is. */
  expectedVersion?: bigint;
  correlationId: string;
  causationId?: string | null;
  /**
   * The client's own name for this command (its Idempotency-Key, with the user it belongs to). The
   * events' ids derive from it, so a command whose answer was lost (the process died after the commit)
   * is not applied again when the client retries: the retry finds its events and answers with them.
   */
  commandId?: string;
  /** Inline projections: written in the append transaction. */
  project?: (manager: EntityManager, stored: StoredEvent[]) => Promise<void>;
  /** The error when the stream does not exist (for this city): commands on existing aggregates. */
  missing?: () => Error;
  /** The schema version each event type is written with; types not listed are at 1. */
  schemaVersions?: Readonly<Record<string, number>>;
  /**
   * The city the stream is in, when the command moves it to its own city (a city merged into this
   * one): decided on the stream as it is there, and appended here continuing from its head. A stream
   * that already has events here was moved before: nothing happens.
   */
  continueFrom?: string;
};

/** What a command's caller says of it: the version it saw, why it is made, and its own name for it. */
export type CommandOptions = Pick<HandleOptions, 'expectedVersion' | 'correlationId' | 'commandId'>;

export type HandleResult<State, Evt> = { events: Evt[]; stored: StoredEvent[]; streamVersion: bigint; state: State };

/** Any fixed UUID: the namespace of the event ids derived from command ids. */
const COMMAND_EVENTS = 'f4b6c1e2-3d0a-5b7c-9e8f-1a2b3c4d5e6f';

/** The id of a command's `index`-th event in a stream: the same for every run of the same command. */
export const commandEventId = (cityId: string, streamId: string, commandId: string, index: number): string =>
  uuidv5(`${cityId}\n${streamId}\n${commandId}\n${index}`, COMMAND_EVENTS);

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
    if (options.continueFrom !== undefined) {
      const here = await stream.read();
      if (here.events.length > 0)
        return {
          events: [],
          stored: [],
          streamVersion: here.streamVersion,
          state: fold(
            decider,
            here.events.map((e) => toDomainEvent<Evt>(e)),
          ),
        };
    }
    const { events: history, streamVersion } = await stream.read(options.continueFrom === undefined ? {} : { cityId: options.continueFrom });
    if (history.length === 0 && options.missing) throw options.missing();
    const head = history.at(-1);
    const continuesFrom =
      options.continueFrom !== undefined && head ? { cityId: options.continueFrom, streamVersion: head.streamVersion.toString(), hash: head.hash } : undefined;
    const state = fold(
      decider,
      history.map((e) => toDomainEvent<Evt>(e)),
    );
    const eventId = (index: number) => (options.commandId ? commandEventId(cityId, streamId, options.commandId, index) : randomUUID());
    if (options.commandId) {
      // Applied already: the answer is what it did (before the If-Match check, which it passed then).
      const done = eventsOfCommand(history, eventId);
      if (done.length) return { events: done.map((e) => toDomainEvent<Evt>(e)), stored: done, streamVersion, state };
    }
    if (options.expectedVersion !== undefined && options.expectedVersion !== streamVersion) {
      throw new ConcurrencyError(streamId, String(options.expectedVersion), String(streamVersion));
    }
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
    const newEvents: NewEvent[] = events.map((event, index) => ({
      id: eventId(index),
      type: event.type,
      schemaVersion: options.schemaVersions?.[event.type] ?? 1,
      data: event.data as Record<string, unknown>,
      metadata: index === 0 && continuesFrom ? { ...metadata(event), continuesFrom } : metadata(event),
    }));
    const appended = await stream.append(newEvents, {
      expectedVersion: streamVersion === 0n ? 'no_stream' : streamVersion,
      inTransaction: options.project,
    });
    return { events, stored: appended.events, streamVersion: appended.streamVersion, state: events.reduce(decider.evolve, state) };
  });
};

/** The stored events of one command, found by their derived ids: the first, then each next while present. */
const eventsOfCommand = (history: StoredEvent[], eventId: (index: number) => string): StoredEvent[] => {
  const byId = new Map(history.map((e) => [e.id, e]));
  const done: StoredEvent[] = [];
  for (let event = byId.get(eventId(0)); event; event = byId.get(eventId(done.length))) done.push(event);
  return done;
};
