import { Catch, type DynamicModule, type RpcExceptionFilter, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BaseRpcContext, Server, type CustomTransportStrategy, type MessageHandler, type MicroserviceOptions } from '@nestjs/microservices';
import type { CloudEvent, ConsumedMessage, Delivery, Inbox, Subscriber, Subscription } from '@mandate/messaging';
import { DECLARE_NO_LOG_WRITES } from '@mandate/event-store';
import { lastResultOf, StatementBatch, type Logger, type SqlWrites } from '@mandate/runtime';
import { lastValueFrom, throwError, type Observable } from 'rxjs';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * What an `@EventPattern` handler gets with `@Ctx()`: the transaction its batch runs in (its
 * effects commit with the inbox record, or not at all), where the event came from, and a way to
 * act once the batch has committed (wake a sender: never an effect that must not be lost). The
 * transaction is declared to write no event log (readers of the logs do not wait for it): a
 * handler that appends to a log does so in a transaction of its own.
 */
export class EventContext extends BaseRpcContext<[CloudEvent, Delivery, EntityManager, Set<() => void>, SqlWrites]> {
  get event(): CloudEvent {
    return this.args[0];
  }

  get delivery(): Delivery {
    return this.args[1];
  }

  /** The batch's transaction, for statements whose answer the handler needs (queued `writes` go first). */
  get manager(): EntityManager {
    return this.args[2];
  }

  /**
   * The batch's transaction for statements whose answer nobody reads: queued, and sent with the
   * batch's other writes in one round trip before the next `manager` query or the commit.
   */
  get writes(): SqlWrites {
    return this.args[4];
  }

  /** `work` runs once after the batch commits, however many of its events ask for it. */
  afterCommit(work: () => void): void {
    this.args[3].add(work);
  }
}

export type EventsTransportOptions = {
  /** The messaging port: the in-process bus (embedded) or Kafka (distributed). */
  readonly subscriber: Subscriber;
  readonly consumption: { readonly group: string; readonly topics: readonly string[] };
  /** The consuming service's database: its inbox and read models, written in one transaction per batch. */
  readonly db: DataSource;
  readonly inbox: Inbox;
  /** The inbox's name for this consumer's processed ids. */
  readonly inboxConsumer: string;
  readonly logger: Logger;
};

/**
 * The Nest transport of the platform's events, over either adapter of the messaging port. Handlers
 * are `@EventPattern(<CloudEvents type>)` methods (or a prefix ending in `*`, e.g. `vn.mandate.*`, for a
 * consumer that keeps every event: an exact type wins over a prefix, the longest prefix over a
 * shorter one). A batch of one source or partition runs in one transaction with one inbox check,
 * handlers in the messages' order, their answerless writes (`ctx.writes`) sent together. A failing
 * handler fails the batch, which the adapter then retries one message at a time (and dead-letters
 * one that keeps failing). Events of a type no handler names are acknowledged and left alone.
 */
export class EventsTransport extends Server implements CustomTransportStrategy {
  private subscription: Subscription | null = null;
  private readonly routes = new Map<string, MessageHandler | null>();

  constructor(private readonly options: EventsTransportOptions) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this.subscription = await this.options.subscriber.subscribe({
        ...this.options.consumption,
        handle: (messages) => this.handleBatch(messages),
      });
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async handleBatch(messages: readonly ConsumedMessage[]): Promise<void> {
    const wanted = messages.filter((m) => this.handlerOf(m.event.type));
    if (wanted.length === 0) return;
    const afterCommit = new Set<() => void>();
    await this.options.db.transaction(async (manager) => {
      const writes = new StatementBatch(manager, (text) => lastResultOf(manager.queryRunner!, text));
      const reader = writes.reader(manager);
      // Handlers update read models, never an event log: readers of the logs need not wait for this
      // transaction. Said before its first write, in the same round trip as the inbox check.
      await writes.query(DECLARE_NO_LOG_WRITES);
      const fresh = await this.options.inbox.markManyIn(
        reader,
        this.options.inboxConsumer,
        wanted.map((m) => m.event.id),
      );
      for (const { event, delivery } of wanted) {
        if (!fresh.delete(event.id)) continue; // handled before (or twice in this batch)
        const handler = this.handlerOf(event.type)!;
        const result = await handler(event, new EventContext([event, delivery, reader, afterCommit, writes]));
        await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
      }
      await writes.flush();
    });
    for (const work of afterCommit) {
      try {
        work();
      } catch (error) {
        this.options.logger.error({ err: error, group: this.options.consumption.group }, 'after-commit work failed');
      }
    }
  }

  /** The handler an event type goes to, or null when this consumer does not read it. */
  handlerOf(type: string): MessageHandler | null {
    let handler = this.routes.get(type);
    if (handler === undefined) {
      const prefix = [...this.messageHandlers.keys()]
        .filter((pattern) => pattern.endsWith('*') && type.startsWith(pattern.slice(0, -1)))
        .sort((a, b) => b.length - a.length)[0];
      handler = this.messageHandlers.get(type) ?? (prefix ? this.messageHandlers.get(prefix)! : null);
      this.routes.set(type, handler);
    }
    return handler;
  }

  async close(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = null;
  }

  on(): never {
    throw new Error('EventsTransport has no events to listen to');
  }

  unwrap<T>(): T {
    return this.options.subscriber as T;
  }
}

/**
 * Nest's default filter turns a handler's error into `{ status, message: 'Internal server error' }`;
 * the transport needs the error itself, to retry and to record why a message was set aside.
 */
@Catch()
class RethrowEventErrors implements RpcExceptionFilter {
  catch(error: unknown): Observable<never> {
    return throwError(() => error);
  }
}

export type ServedEvents = { readonly transport: EventsTransport; close(): Promise<void> };

/** Starts a consuming service's event handlers (the controllers of `module`) as a Nest microservice. */
export const serveEvents = async (module: DynamicModule | Type, options: EventsTransportOptions): Promise<ServedEvents> => {
  const transport = new EventsTransport(options);
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, { strategy: transport, logger: false, abortOnError: false });
  app.useGlobalFilters(new RethrowEventErrors());
  await app.listen();
  return { transport, close: () => app.close() };
};
