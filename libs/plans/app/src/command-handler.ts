import type { AnyCommand, AnyEvent, Decider } from '@mandate/kernel';
import { handleCommand as handle, type HandleOptions, type HandleResult, type PostgresEventStore } from '@mandate/event-store';
import { CURRENT_SCHEMA_VERSIONS } from './upcasters';

export { toDomainEvent, type HandleOptions, type HandleResult } from '@mandate/event-store';

/** The event store's command handling, writing each type at the plans log's current schema version. */
export const handleCommand = <State, Cmd extends AnyCommand, Evt extends AnyEvent>(
  store: PostgresEventStore,
  decider: Decider<State, Cmd, Evt>,
  streamId: string,
  command: Cmd,
  options: HandleOptions,
): Promise<HandleResult<State, Evt>> => handle(store, decider, streamId, command, { ...options, schemaVersions: CURRENT_SCHEMA_VERSIONS });
