import type { Availability } from '../availability.js';
import type { ProjectionStatus } from '../projections/runner.js';

export interface HealthAnswer {
  status: 200 | 503;
  body: { status: 'ok' | 'degraded' | 'failing'; eventStore: string; stores: Record<string, Availability>; degraded?: string[]; projections: ProjectionStatus[] };
}

/**
 * `GET /health`: 503 `failing` when a read model failed or stopped, or the event store does not answer (an
 * instance without it can neither create nor end; Redis is shown but does not fail it); 200 `degraded`, naming them, while shared
 * models are rebuilt from the log (the API answers from this instance's own models meanwhile, so the instance
 * stays in rotation); 200 `ok` otherwise.
 */
export function healthAnswer(projections: ProjectionStatus[], eventStore: string, stores: Record<string, Availability> = {}): HealthAnswer {
  const failed = stores.eventStore?.available === false || projections.some((p) => p.state === 'failed' || p.state === 'stopped');
  const degraded = projections.filter((p) => p.state === 'degraded').map((p) => p.name);
  const status = failed ? 'failing' : degraded.length > 0 ? 'degraded' : 'ok';
  return { status: failed ? 503 : 200, body: { status, eventStore, stores, ...(degraded.length > 0 ? { degraded } : {}), projections } };
}
