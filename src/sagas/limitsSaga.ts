import { asapScheduler, auditTime, defer, mergeMap, tap, type Observable, type SchedulerLike } from 'rxjs';
import type { EffectContext as CommandContext } from './process/ports.js';
import type { SagaCommands } from './process/sagaCommands.js';
import { LIMITS_STREAM_PREFIX, MEETING_STREAM_PREFIX, TENANT_STREAM_PREFIX, limitsStreamId } from '../domain/streams.js';
import type { DomainEvent } from '../domain/eventCatalogue.js';
import { LimitWatch, type LimitEffect } from '../domain/policy/limitWatch.js';
import type { EventStore } from '../eventstore/port.js';
import type { Logger } from '../logging.js';
import { deterministicContext, runSaga, type RunningSaga } from './runSaga.js';
import { LIMIT_EVENT_NAMESPACE } from '../domain/ids.js';

export const LIMITS_SAGA = 'limits';

/**
 * Meeting, tenant and limit events → the crossings of each tenant's limits. Every event is folded (LimitWatch);
 * the reaction runs once after each burst (`auditTime(0)`), so the replay at start is judged on the whole
 * log, crossings already recorded included, and a restart records nothing twice.
 */
export function limitsSaga(events$: Observable<DomainEvent>, now: () => Date, scheduler: SchedulerLike = asapScheduler): Observable<LimitEffect> {
  return defer(() => {
    const watch = new LimitWatch();
    return events$.pipe(
      tap((event) => watch.evolve(event)),
      auditTime(0, scheduler),
      mergeMap(() => watch.react(now().toISOString())),
    );
  });
}

/** Appends the crossing to `limits-<tenant>`, its id derived from the effect's, without reading the stream. */
export async function performLimitEffect(commands: Pick<SagaCommands, 'appendUnchecked'>, effect: LimitEffect, context: CommandContext): Promise<DomainEvent[]> {
  await commands.appendUnchecked(limitsStreamId(effect.tenant), effect.event, context, LIMIT_EVENT_NAMESPACE);
  return [effect.event];
}

export interface LimitsSagaOptions {
  store: EventStore;
  /** Command handlers, injected from the composition root (src/processPorts.ts sagaCommands). */
  commands: Pick<SagaCommands, 'appendUnchecked'>;
  logger: Logger;
  now(): Date;
  /** False once this instance lost the saga's lease: then nothing is appended. */
  stillHolds(): boolean;
}

export function runLimitsSaga({ store, commands, logger, now, stillHolds }: LimitsSagaOptions): RunningSaga {
  return runSaga<LimitEffect>({
    name: LIMITS_SAGA,
    store,
    logger,
    streamPrefixes: [MEETING_STREAM_PREFIX, TENANT_STREAM_PREFIX, LIMITS_STREAM_PREFIX],
    saga: (events$) => limitsSaga(events$, now),
    nodeIdOf: (effect) => effect.tenant,
    contextOf: (effect) => deterministicContext(LIMITS_SAGA, effect.id, effect.id),
    perform: async (effect, context) => (stillHolds() ? performLimitEffect(commands, effect, context) : []),
    describe: (effect) => effect.id,
    now,
  });
}
