import { v5 as uuidv5 } from 'uuid';
import { limitsStreamId } from '../domain/streams.js';
import { schemaVersionOf } from '../domain/eventCatalogue.js';
import type { LimitHit } from '../domain/policy/policyChain.js';
import type { TenantLimitExceeded } from '../domain/tenant/limitEvents.js';
import type { EventStore } from '../eventstore/port.js';
import type { Logger } from '../logging.js';
import { LIMIT_HIT_NAMESPACE } from '../domain/ids.js';

export interface LimitRecorderOptions {
  store: Pick<EventStore, 'append'>;
  logger: Logger;
  /** Hits of one limit within this long become one TenantLimitExceeded (JOIN_RECORD_WINDOW_MS). */
  windowMs: number;
  now(): Date;
  newId(): string;
}

interface Pending {
  data: TenantLimitExceeded['data'];
  correlationId: string;
}

/**
 * Takes limit hits off the request path, like the join recorder: a refused or soft-allowed call hands its hit
 * over and answers at once; the hits of one limit, scope and outcome are counted over a window and appended as
 * one TenantLimitExceeded. Recording must never cost the answer: a failed append is logged, never thrown.
 */
export class LimitRecorder {
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: LimitRecorderOptions) {}

  /** `correlationId`: the request's id when the caller has one. */
  record(tenant: string, scope: string, hit: LimitHit, outcome: 'refused' | 'allowed', correlationId: string = this.options.newId()): void {
    const key = `${tenant}\n${scope}\n${hit.subId}\n${hit.limit}\n${outcome}`;
    const at = this.options.now().toISOString();
    const pending = this.pending.get(key);
    if (pending) {
      Object.assign(pending.data, { count: hit.count, max: hit.max, occurrences: pending.data.occurrences + 1, to: at });
    } else {
      const data = { tenant, subId: hit.subId, limit: hit.limit, max: hit.max, count: hit.count, scope, mode: hit.mode, outcome, occurrences: 1, from: at, to: at };
      this.pending.set(key, { data, correlationId });
    }
    if (!this.timer) {
      this.timer = setTimeout(() => this.appendWindow(), this.options.windowMs);
      this.timer.unref();
    }
  }

  /** Appends what is waiting and resolves once it is stored (or given up on). */
  async flush(): Promise<void> {
    this.appendWindow();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private appendWindow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const window = [...this.pending.values()];
    this.pending = new Map();
    for (const { data, correlationId } of window) {
      const id = this.options.newId();
      const event = {
        id: uuidv5(id, LIMIT_HIT_NAMESPACE),
        type: 'TenantLimitExceeded',
        data,
        metadata: { actor: `tenant:${data.scope}`, correlationId, causationId: correlationId, at: this.options.now().toISOString(), schemaVersion: schemaVersionOf('TenantLimitExceeded') },
      };
      const appended = this.options.store
        .append(limitsStreamId(data.tenant), [event], { expectedRevision: 'any' })
        .then(
          () => undefined,
          (error: unknown) => this.options.logger.warn({ err: error, ...data }, 'limit recorder: TenantLimitExceeded lost'),
        )
        .finally(() => this.inFlight.delete(appended));
      this.inFlight.add(appended);
    }
  }
}
