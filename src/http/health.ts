import type { ProjectionStatus } from '../projections/runner.js';

export interface HealthAnswer {
  status: 200 | 503;
  body: { status: 'ok' | 'degraded' | 'failing'; eventStore: string; degraded?: string[]; projections: ProjectionStatus[] };
}

/**
 * `GET /health`: 503 `failing` when a read model failed or stopped; 200 `degraded`, naming them, while shared
 * models are rebuilt from the log (the API answers from this instance's own models meanwhile, so the instance
 * stays in rotation); 200 `ok` otherwise.
 */
export function healthAnswer(projections: ProjectionStatus[], eventStore: string): HealthAnswer {
  const failed = projections.some((p) => p.state === 'failed' || p.state === 'stopped');
  const degraded = projections.filter((p) => p.state === 'degraded').map((p) => p.name);
  const status = failed ? 'failing' : degraded.length > 0 ? 'degraded' : 'ok';
  return { status: failed ? 503 : 200, body: { status, eventStore, ...(degraded.length > 0 ? { degraded } : {}), projections } };
}
