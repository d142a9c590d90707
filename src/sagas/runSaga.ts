import { isOutage } from '../availability.js';
import { concatMap, defer, groupBy, map, mergeMap, Observable, retry, Subject, takeUntil, timer, type MonoTypeOperatorFunction, type Subscription } from 'rxjs';
import { v5 as uuidv5 } from 'uuid';
import type { CommandContext } from '../commands/decider/handleCommand.js';
import { handleNodeCommand } from '../commands/decider/nodeCommands.js';
import { NODE_STREAM_PREFIX } from '../domain/streams.js';
import { decodeEvent, type DomainEvent } from '../domain/eventCatalogue.js';
import type { NodeCommand } from '../domain/node/commands.js';
import type { EventStore } from '../eventstore/port.js';
import type { Logger } from '../logging.js';
import { POLL_NAMESPACE } from '../domain/ids.js';

export interface NodeSagaOptions {
  /** `saga:<name>` becomes the actor of every resulting event. */
  name: string;
  store: EventStore;
  logger: Logger;
  saga: (events$: Observable<DomainEvent>) => Observable<NodeCommand>;
  now(): Date;
  newId(): string;
}

/** What runSaga needs to know of the saga's output: which node it is for (ordering) and how to perform it. */
export interface SagaRunOptions<T> {
  name: string;
  store: EventStore;
  logger: Logger;
  /** The streams whose events the saga follows, from the start of the log. */
  streamPrefixes: string[];
  saga: (events$: Observable<DomainEvent>) => Observable<T>;
  nodeIdOf(item: T): string;
  /** The actor, correlation and command ids of one item; `now` is filled in. */
  contextOf(item: T): Omit<CommandContext, 'now'>;
  perform(item: T, context: CommandContext): Promise<DomainEvent[]>;
  describe(item: T): string;
  now(): Date;
  /** Most items performed at once, in order per `nodeIdOf` key all the same; default unbounded. */
  concurrency?: number;
}

export interface RunningSaga {
  /** Stops timers and probes, and resolves once the commands already sent have been stored (or failed). */
  stop(): Promise<void>;
}

const MAX_RESTART_DELAY_MS = 30_000;

/**
 * Runs a saga over the node streams: replays them from the start (they are small), then follows them live,
 * and sends every command through the command handler, in order per node. A failing command is logged and
 * dropped (the next probe sends a fresh one); a failing subscription restarts the saga after a backoff.
 * Every LB instance runs it for now; the single-active lease comes with scale-out (DESIGN.md).
 */
export function runNodeSaga(options: NodeSagaOptions): RunningSaga {
  return runSaga<NodeCommand>({
    name: options.name,
    store: options.store,
    logger: options.logger,
    streamPrefixes: [NODE_STREAM_PREFIX],
    saga: options.saga,
    nodeIdOf: (command) => command.data.nodeId,
    contextOf: () => {
      const id = options.newId();
      return { actor: `saga:${options.name}`, correlationId: id, causationId: id, commandId: id };
    },
    perform: async (command, context) => (await handleNodeCommand(options.store, command, context)).events,
    describe: (command) => command.type,
    now: options.now,
  });
}

/** Stable ids from a reaction's own id (node, poll start, subject), so resending it appends nothing new. */
export function deterministicContext(actor: string, id: string, pollId: string): Omit<CommandContext, 'now'> {
  const poll = uuidv5(pollId, POLL_NAMESPACE);
  return { actor: `saga:${actor}`, correlationId: poll, causationId: poll, commandId: uuidv5(id, POLL_NAMESPACE) };
}

/** The general runner behind runNodeSaga: any saga output, performed in order per node. */
export function runSaga<T>(options: SagaRunOptions<T>): RunningSaga {
  const { name, store, logger, saga } = options;
  const log = logger.child({ saga: name });
  const shutdown$ = new Subject<void>();
  const inFlight = new Set<Promise<unknown>>();

  // Bounded: an item waits (in its slot) for the previous one of its key, which took a slot before it.
  const lastOfKey = new Map<string, Promise<void>>();
  const afterPrevious = (key: string, run: () => Promise<void>): Promise<void> => {
    const next = (lastOfKey.get(key) ?? Promise.resolve()).then(run);
    lastOfKey.set(key, next);
    void next.finally(() => lastOfKey.get(key) === next && lastOfKey.delete(key));
    return next;
  };

  const send = (item: T): Promise<void> => {
    const nodeId = options.nodeIdOf(item);
    const context = { ...options.contextOf(item), now: options.now() };
    const sent = options.perform(item, context).then(
      (events) => {
        for (const event of events) log.info({ event }, `${name}: ${event.type} for node ${nodeId}`);
      },
      // A store outage is logged once by the store's monitor, not once per command.
      (error: unknown) => log[isOutage(error) ? 'debug' : 'warn']({ err: error, command: options.describe(item), nodeId }, `${name}: command failed`),
    );
    inFlight.add(sent);
    void sent.finally(() => inFlight.delete(sent));
    return sent;
  };

  const subscription = defer(() => saga(domainEvents(store, options.streamPrefixes)))
    .pipe(
      restartAfterBackoff<T>(log, name),
      options.concurrency === undefined
        ? (items$: Observable<T>) => items$.pipe(groupBy((item) => options.nodeIdOf(item)), mergeMap((perNode$) => perNode$.pipe(concatMap((item) => defer(() => send(item))))))
        : mergeMap((item: T) => defer(() => afterPrevious(options.nodeIdOf(item), () => send(item))), options.concurrency),
      takeUntil(shutdown$),
    )
    .subscribe({ error: (error: unknown) => log.error({ err: error }, `${name} stopped`) });
  log.info(`${name} started`);

  return stoppable(name, log, shutdown$, subscription, inFlight);
}

/** A failing saga starts over (its events replayed) after 1, 2, 4 … 30 s. */
export function restartAfterBackoff<T>(log: Logger, name: string): MonoTypeOperatorFunction<T> {
  return retry({
    delay: (error: unknown, attempt) => {
      const delayMs = Math.min(1000 * 2 ** (attempt - 1), MAX_RESTART_DELAY_MS);
      log.error({ err: error, restartInMs: delayMs }, `${name} failed; restarting`);
      return timer(delayMs);
    },
  });
}

/** Stopping a saga: no new work, then wait for the work already started to be stored (or to fail). */
export function stoppable(name: string, log: Logger, shutdown$: Subject<void>, subscription: Subscription, inFlight: ReadonlySet<Promise<unknown>>): RunningSaga {
  return {
    async stop() {
      shutdown$.next();
      shutdown$.complete();
      subscription.unsubscribe();
      await Promise.allSettled([...inFlight]);
      log.info(`${name} stopped`);
    },
  };
}

/**
 * The node events from the start of the log, then live. The replayed ones are held until the subscription
 * has caught up and then handed on in one synchronous burst, so a node registered and later decommissioned
 * never gets a probe started in between.
 */
export function nodeEvents(store: EventStore): Observable<DomainEvent> {
  return domainEvents(store, [NODE_STREAM_PREFIX]);
}

export function domainEvents(store: EventStore, streamPrefixes: string[]): Observable<DomainEvent> {
  return datedDomainEvents(store, streamPrefixes).pipe(map((dated) => dated.event));
}

/** A domain event with when it was stored (its metadata's `at`, epoch ms). */
export interface DatedEvent {
  event: DomainEvent;
  at: number;
}

/** As domainEvents, each with when it happened (a queue's oldest item is as old as its request event). */
export function datedDomainEvents(store: EventStore, streamPrefixes: string[]): Observable<DatedEvent> {
  return new Observable<DatedEvent>((subscriber) => {
    const controller = new AbortController();
    const follow = async () => {
      let replayed: DatedEvent[] | undefined = [];
      const messages = store.subscribe({ from: 'start', filter: { streamPrefixes }, signal: controller.signal });
      for await (const message of messages) {
        if (controller.signal.aborted) return;
        if (message.kind === 'event') {
          const dated = { event: decodeEvent(message.event), at: Date.parse(String(message.event.metadata.at)) };
          if (replayed) replayed.push(dated);
          else subscriber.next(dated);
        } else if (message.kind === 'caughtUp' && replayed) {
          const burst = replayed;
          replayed = undefined;
          for (const dated of burst) subscriber.next(dated);
        }
      }
      subscriber.complete();
    };
    follow().catch((error: unknown) => {
      if (!controller.signal.aborted) subscriber.error(error);
    });
    return () => controller.abort();
  });
}
