import { auditTime, concatMap, defer, filter, from, interval, map, merge, mergeMap, share, Subject, takeUntil, type Observable } from 'rxjs';
import type { DomainEvent } from '../../domain/eventCatalogue.js';
import type { EventStore } from '../../eventstore/port.js';
import type { Logger } from '../../logging.js';
import { domainEvents } from '../process/subscription.js';
import { restartAfterBackoff, stoppable, type RunningSaga } from '../runSaga.js';

/** What a looking process takes: an event of the log (folded), or a look at what its view owes now. */
export type LookInput = { kind: 'event'; event: DomainEvent } | { kind: 'tick'; now: number };

export interface LookingSagaOptions<V, E> {
  /** The lease name and the log's `saga` field. */
  name: string;
  store: EventStore;
  streamPrefixes: string[];
  logger: Logger;
  initialView(): V;
  /** Folds an event into the view (in place). */
  evolve(view: V, event: DomainEvent): V;
  /** Pure: what the view owes at this input (only looks owe anything). */
  react(view: V, input: LookInput): E[];
  /** One effect at a time per key: an effect whose key is under way is not queued again by the next look. */
  keyOf(effect: E): string;
  /** Carries the effect out; a failure it does not handle is logged, and the next look decides again. */
  perform(effect: E, view: V): Promise<void>;
  /** Looks besides the one right after a burst of events. */
  tickMs: number;
  /** A burst of events (the replay at start included) is looked at once, this long after it. */
  lookAfterEventsMs: number;
  concurrency: number;
  now(): Date;
}

/**
 * The plumbing of the recording processes that act on what their view owes at a look (retention, object
 * deletion): follow the log from its start into a view, look after each burst of events and every `tickMs`,
 * perform what is owed with bounded concurrency and one effect per key, restart from the log after a failure.
 */
export function runLookingSaga<V, E>(options: LookingSagaOptions<V, E>): RunningSaga {
  const { name } = options;
  const log = options.logger.child({ saga: name });
  const shutdown$ = new Subject<void>();
  const inFlight = new Set<Promise<void>>();
  const working = new Set<string>();
  let view = options.initialView();

  const tracked = (effect: E): Promise<void> => {
    const key = options.keyOf(effect);
    const run = options
      .perform(effect, view)
      .catch((error: unknown) => log.warn({ err: error, key }, `${name}: not done; the next look tries again`))
      .finally(() => working.delete(key));
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
    return run;
  };

  const process = (): Observable<E> => {
    view = options.initialView();
    const events$ = domainEvents(options.store, options.streamPrefixes).pipe(share());
    const look$ = merge(events$.pipe(auditTime(options.lookAfterEventsMs)), interval(options.tickMs)).pipe(map((): LookInput => ({ kind: 'tick', now: options.now().getTime() })));
    const inputs$ = merge(events$.pipe(map((event): LookInput => ({ kind: 'event', event }))), look$);
    return inputs$.pipe(
      concatMap((input) => {
        if (input.kind === 'event') options.evolve(view, input.event);
        return from(options.react(view, input));
      }),
      // Marked before it waits for a slot, so the next look does not queue the same key again.
      filter((effect) => !working.has(options.keyOf(effect)) && Boolean(working.add(options.keyOf(effect)))),
    );
  };

  const subscription = defer(process)
    .pipe(
      restartAfterBackoff<E>(log, name),
      mergeMap((effect) => defer(() => tracked(effect)), options.concurrency),
      takeUntil(shutdown$),
    )
    .subscribe({ error: (error: unknown) => log.error({ err: error }, `${name} stopped`) });
  log.info(`${name} started`);
  return stoppable(name, log, shutdown$, subscription, inFlight);
}
