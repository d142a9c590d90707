import { asyncScheduler, catchError, defer, map, Observable, of, take, throwIfEmpty, timeout, type SchedulerLike, type Subscription } from 'rxjs';
import type { DomainEvent } from '../../domain/eventCatalogue.js';
import type { CallResult, Effect, EffectOf, Process, ProcessInput } from './process.js';

/** One input taken: what came, what the process asked for, and its state after. */
export interface Step<S, T = unknown> {
  input: ProcessInput<T>;
  effects: Array<Effect<T>>;
  state: S;
}

export interface StepPorts<T = unknown> {
  /** Performs a node call: one value, then complete; unsubscribing cancels it. */
  callNode(effect: EffectOf<'callNode', T>): Observable<unknown>;
  /** Virtual time in tests; the async scheduler otherwise. */
  scheduler?: SchedulerLike;
}

/**
 * The process's own loop: the log's events, its scheduled ticks and its node calls' answers go through
 * react (then evolve, for events), one input at a time and in order (an answer that comes back while an
 * input is being taken waits for it). Schedules, calls and cancels are carried out here, on the scheduler;
 * commands, observations and deliveries are in the steps for the runtime's queue. Unsubscribing stops
 * every timer and cancels every call in flight.
 */
export function processSteps<S, T>(process: Process<S, T>, events$: Observable<DomainEvent>, ports: StepPorts<T>): Observable<Step<S, T>> {
  return new Observable<Step<S, T>>((subscriber) => {
    const clock = ports.scheduler ?? asyncScheduler;
    let state = process.initialState();
    let closed = false;
    /** key → its scheduled ticks and calls in flight */
    const pending = new Map<string, Set<Subscription>>();
    const queue: Array<ProcessInput<T>> = [];
    let draining = false;

    const take = (input: ProcessInput<T>): void => {
      const step = stepProcess(process, state, input);
      state = step.state;
      for (const effect of step.effects) carryOut(effect);
      subscriber.next(step);
    };
    const feed = (input: ProcessInput<T>): void => {
      queue.push(input);
      if (draining) return;
      draining = true;
      try {
        for (let next = queue.shift(); next && !closed; next = queue.shift()) take(next);
      } catch (error) {
        subscriber.error(error);
      } finally {
        draining = false;
      }
    };

    const hold = (key: string, start: (release: () => void) => Subscription): void => {
      let done = false;
      let subscription: Subscription | undefined;
      const release = () => {
        done = true;
        if (subscription) pending.get(key)?.delete(subscription);
      };
      subscription = start(release);
      if (done) return;
      const held = pending.get(key) ?? new Set<Subscription>();
      pending.set(key, held);
      held.add(subscription);
    };
    const cancel = (key: string): void => {
      for (const subscription of pending.get(key) ?? []) subscription.unsubscribe();
      pending.delete(key);
    };

    const carryOut = (effect: Effect<T>): void => {
      switch (effect.kind) {
        case 'schedule':
          return hold(effect.key, (release) =>
            clock.schedule(() => {
              release();
              feed({ kind: 'tick', id: effect.id, key: effect.key, tick: effect.tick, at: clock.now() });
            }, Math.max(0, effect.at - clock.now())),
          );
        case 'callNode': {
          const startedAt = clock.now();
          return hold(effect.key, (release) =>
            answerOf(effect, ports, clock).subscribe((result) => {
              release();
              feed({ kind: 'result', effectId: effect.id, key: effect.key, call: effect.call, startedAt, result, at: clock.now() });
            }),
          );
        }
        case 'cancel':
          return cancel(effect.key);
        default:
          // commands, observations and deliveries: the runtime's queue takes them from the step
          return;
      }
    };

    const events = events$.subscribe({
      next: (event) => feed({ kind: 'event', event, at: clock.now() }),
      error: (error: unknown) => subscriber.error(error),
    });
    return () => {
      closed = true;
      events.unsubscribe();
      for (const key of [...pending.keys()]) cancel(key);
    };
  });
}

/** One input through the process: react on the state before it, then (for an event) evolve. Pure. */
export function stepProcess<S, T>(process: Process<S, T>, state: S, input: ProcessInput<T>): Step<S, T> {
  const reaction = process.react(state, input);
  let next = reaction.state ?? state;
  if (input.kind === 'event') next = process.evolve(next, input.event, input.at);
  return { input, effects: reaction.effects, state: next };
}

/** Every call ends in one answer: a timeout, an error or an empty completion are answers too. */
function answerOf<T>(effect: EffectOf<'callNode', T>, ports: StepPorts<T>, scheduler: SchedulerLike): Observable<CallResult> {
  const timedOut: CallResult = { ok: false, reason: 'timeout', detail: `no answer within ${effect.timeoutMs} ms` };
  return defer(() => ports.callNode(effect)).pipe(
    take(1),
    throwIfEmpty(() => new Error('the call completed without an answer')),
    map((value): CallResult => ({ ok: true, value })),
    timeout({ first: effect.timeoutMs, with: () => of(timedOut), scheduler }),
    catchError((error: unknown) => of<CallResult>({ ok: false, reason: 'error', detail: error instanceof Error ? error.message : String(error) })),
  );
}
