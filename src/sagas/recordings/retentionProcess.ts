import type { DomainEvent } from '../../domain/eventCatalogue.js';
import type { LookInput } from './lookingSaga.js';
import { expiresAt } from '../../domain/tenant/recordingPolicy.js';

/**
 * The retention process's view: each tenant's retention (only tenants with one) and every recording that
 * still exists, with its start. Mutated in place like the import's: it only follows the log.
 */
export interface RetentionView {
  retentionDays: Map<string, number>;
  recordings: Map<string, { tenant: string; startTime: number }>;
}

export type RetentionInput = LookInput;

/** `id` is the effect's own, stable across replays and instances: the command id derives from it. */
export type RetentionEffect = { kind: 'expire'; id: string; recordId: string; tenant: string; retentionDays: number };

export const initialRetentionView = (): RetentionView => ({ retentionDays: new Map(), recordings: new Map() });

export function evolveRetention(view: RetentionView, event: DomainEvent): RetentionView {
  switch (event.type) {
    case 'TenantRecordingPolicyChanged':
      if (event.data.retentionDays === null) view.retentionDays.delete(event.data.tenant);
      else view.retentionDays.set(event.data.tenant, event.data.retentionDays);
      break;
    case 'RecordingImported':
      if (!view.recordings.has(event.data.recordId)) view.recordings.set(event.data.recordId, { tenant: event.data.tenant, startTime: event.data.startTime });
      break;
    case 'RecordingDeleted':
    case 'RecordingExpired':
      view.recordings.delete(event.data.recordId);
      break;
    default:
      break;
  }
  return view;
}

/** At each look (`tick`), every recording whose tenant's retention has run out since its start expires. */
export function reactToRetention(view: RetentionView, input: RetentionInput): RetentionEffect[] {
  if (input.kind !== 'tick') return [];
  const effects: RetentionEffect[] = [];
  for (const [recordId, { tenant, startTime }] of view.recordings) {
    const retentionDays = view.retentionDays.get(tenant);
    if (retentionDays === undefined) continue;
    const due = expiresAt(startTime, retentionDays);
    if (due !== null && due <= input.now) effects.push({ kind: 'expire', id: `expire-${recordId}`, recordId, tenant, retentionDays });
  }
  return effects;
}
