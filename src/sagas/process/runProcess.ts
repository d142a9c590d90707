import { defer, EMPTY, Subject, takeUntil, type Observable, type SchedulerLike } from 'rxjs';
import { v5 as uuidv5 } from 'uuid';
import { abortableSleep } from '../../abortableSleep.js';
import { isOutage } from '../../availability.js';
import type { DomainEvent } from '../../domain/eventCatalogue.js';
import type { EventStore } from '../../eventstore/port.js';
import type { Logger } from '../../logging.js';
import { nextRetry } from '../../retryPolicy.js';
import { restartAfterBackoff, stoppable, type RunningSaga } from '../runSaga.js';
import type { Effect, EffectOf, Process } from './process.js';
import type { EffectPorts, PerformContext, ProcessHook } from './ports.js';
import { processSteps } from './processSteps.js';
import { domainEvents } from './subscription.js';

export interface RunProcessOptions<S, T> {
  process: Process<S, T>;
  store: EventStore;
  logger: Logger;
  /** Built in the composition root: commands, observations, node calls and deliveries are performed there. */
  ports: EffectPorts<T>;
  /** The lease's fence (leasedSaga.ts): false as soon as this instance may have lost it; every side effect is refused then. */
  stillHolds(): boolean;
  hook?: ProcessHook;
  /** Most commands performed at once, in order per key all the same; default unbounded. */
  concurrency?: number;
  scheduler?: SchedulerLike;
  now(): Date;
  /** The log as the process follows it; default: replayed from the start, then live. */
  events?: Observable<DomainEvent>;
}

/**
 * The one runtime: follows the process's streams (replayed from the start, then live), takes each input
 * through the process, carries out its schedules and node calls, and performs its commands, observations
 * and deliveries in order per key. Every side effect passes the fence first (the lease still held, the
 * effect still wanted); a failing command is logged and dropped (the process asks again when it still
 * wants it), a delivery is retried with backoff, a failing subscription restarts the process afresh.
 */
export function runProcess<S, T>(options: RunProcessOptions<S, T>): RunningSaga {
  const { process, logger, ports, hook } = options;
  const name = process.name;
  const log = logger.child({ saga: name });
  const shutdown$ = new Subject<void>();
  const stopping = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  let state: S = process.initialState();
  const stillWanted = (effect: Effect<T>) => process.stillWanted?.(state, effect) ?? true;
  const fenced = (effect: Effect<T>) => options.stillHolds() && stillWanted(effect);

  const queue = keyedQueue(options.concurrency ?? Infinity);
  hook?.queue(name, () => ({ depth: queue.depth() }));

  const perform = async (effect: Effect<T>): Promise<void> => {
    const started = performance.now();
    const outcome = await performOne(effect).then(
      (done) => done,
      (error: unknown) => {
        // A store outage is logged once by the store's monitor, not once per command.
        log[isOutage(error) ? 'debug' : 'warn']({ err: error, effect: effect.id, key: effect.key }, `${name}: ${effect.kind} failed`);
        return 'failed' as const;
      },
    );
    hook?.effect(name, effect.kind, outcome, (performance.now() - started) / 1000);
  };
  const performOne = async (effect: Effect<T>): Promise<'done' | 'refused'> => {
    if (!fenced(effect)) return 'refused';
    const context = performContext(effect);
    if (effect.kind === 'command' || effect.kind === 'observe') {
      const events = await ports.perform(effect, context);
      for (const event of events) log.info({ event }, `${name}: ${event.type} for node ${effect.key}`);
    } else if (effect.kind === 'deliver') {
      await deliverWithRetries(effect);
    }
    return 'done';
  };
  const performContext = (effect: Effect<T>): PerformContext => {
    const ids = 'correlation' in effect ? { actor: effect.actor, correlation: effect.correlation } : { actor: name, correlation: effect.id };
    const correlationId = uuidv5(ids.correlation, process.idNamespace);
    return {
      command: { actor: `saga:${ids.actor}`, correlationId, causationId: correlationId, commandId: uuidv5(effect.id, process.idNamespace), now: options.now() },
      stillHolds: options.stillHolds,
      stillWanted: () => stillWanted(effect),
      idNamespace: process.idNamespace,
    };
  };
  const deliverWithRetries = async (effect: EffectOf<'deliver', T>): Promise<void> => {
    for (let attempt = 1; !stopping.signal.aborted && fenced(effect); attempt++) {
      const answer = await ports.deliver(effect.request, stopping.signal);
      if (answer.ok) return;
      const next = nextRetry(effect.retry, attempt, Math.random);
      if (!next.retry) throw new Error(`${effect.request.method} ${effect.request.url} failed ${attempt} times, last: ${answer.detail}`);
      await abortableSleep(next.delayMs, stopping.signal);
    }
  };

  const callNode = (effect: EffectOf<'callNode', T>) => (effect.call.call === 'probe' || fenced(effect) ? ports.callNode(effect.call) : EMPTY);
  const steps$ = defer(() => {
    state = process.initialState();
    return processSteps(process, options.events ?? domainEvents(options.store, process.subscribes.streamPrefixes), { callNode, ...(options.scheduler ? { scheduler: options.scheduler } : {}) });
  });
  const subscription = steps$.pipe(restartAfterBackoff(log, name), takeUntil(shutdown$)).subscribe({
    next: (step) => {
      state = step.state;
      for (const effect of step.effects) {
        if (effect.kind !== 'command' && effect.kind !== 'observe' && effect.kind !== 'deliver') continue;
        const done = queue.add(effect.key, () => perform(effect));
        inFlight.add(done);
        void done.finally(() => inFlight.delete(done));
      }
    },
    error: (error: unknown) => log.error({ err: error }, `${name} stopped`),
  });
  log.info(`${name} started`);
  const running = stoppable(name, log, shutdown$, subscription, inFlight);
  return {
    stop: () => {
      stopping.abort();
      return running.stop();
    },
  };
}

/** In order per key; at most `concurrency` keys at once (a key takes its slot when its turn comes). */
function keyedQueue(concurrency: number) {
  const lastOfKey = new Map<string, Promise<void>>();
  const waiting: Array<() => void> = [];
  let running = 0;
  let queued = 0;
  const slot = (): Promise<void> => {
    if (running < concurrency) {
      running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const free = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return {
    depth: () => queued,
    add(key: string, run: () => Promise<void>): Promise<void> {
      queued++;
      const next = (lastOfKey.get(key) ?? Promise.resolve())
        .then(slot)
        .then(() => run().finally(free))
        .finally(() => queued--);
      lastOfKey.set(key, next);
      void next.finally(() => lastOfKey.get(key) === next && lastOfKey.delete(key));
      return next;
    },
  };
}
