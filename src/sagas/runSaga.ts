import { isOutage } from '../availability.js';
import { concatMap, defer, groupBy, mergeMap, Observable, retry, Subject, takeUntil, timer, type MonoTypeOperatorFunction, type Subscription } from 'rxjs';
import { v5 as uuidv5 } from 'uuid';
import type { DomainEvent } from '../domain/eventCatalogue.js';
import type { EventStore } from '../eventstore/port.js';
import type { Logger } from '../logging.js';
import { POLL_NAMESPACE } from '../domain/ids.js';
import type { EffectContext as CommandContext } from './process/ports.js';
import { domainEvents } from './process/subscription.js';

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

/** Stable ids from a reaction's own id (node, poll start, subject), so resending it appends nothing new. */
export function deterministicContext(actor: string, id: string, pollId: string): Omit<CommandContext, 'now'> {
  const poll = uuidv5(pollId, POLL_NAMESPACE);
  return { actor: `saga:${actor}`, correlationId: poll, causationId: poll, commandId: uuidv5(id, POLL_NAMESPACE) };
}

/** The runner of the sagas not yet on the process runtime (limits): any saga output, performed in order per key. */
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
