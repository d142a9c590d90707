import type { DomainEvent } from '../../domain/eventCatalogue.js';
import type { LookInput } from './lookingSaga.js';
import type { RecordingOwner } from '../../domain/recording/events.js';

/**
 * One recording whose stored objects are owed a deletion. `generation` counts the deletions the log owes it (the
 * delete or expiry, then each render discarded and each upload refused after it, whose files were stored
 * already); `confirmed` is the generation its last
 * RecordingObjectsDeleted covered. Owed while `confirmed < generation`. `attempts` and `notBefore` are the
 * backoff of this instance's failed tries; a restart re-derives the rest from the log and tries at once.
 */
export interface OwedDeletion {
  owner: RecordingOwner;
  generation: number;
  confirmed: number;
  attempts: number;
  notBefore: number;
}

/** Only recordings with a deletion owed or done; mutated in place like the other recording processes' views. */
export type ObjectDeletionView = Map<string, OwedDeletion>;

export type ObjectDeletionInput = LookInput;

/** Delete every object under the recording's prefix, then confirm `generation` (the command id derives from `id`). */
export type ObjectDeletionEffect = { kind: 'deleteObjects'; id: string; owner: RecordingOwner; generation: number };

export const initialObjectDeletionView = (): ObjectDeletionView => new Map();

export function evolveObjectDeletion(view: ObjectDeletionView, event: DomainEvent): ObjectDeletionView {
  switch (event.type) {
    case 'RecordingDeleted':
    case 'RecordingExpired':
    case 'RecordingRenderDiscarded': {
      const { recordId, tenant, scope } = event.data;
      const entry = view.get(recordId);
      if (entry) Object.assign(entry, { generation: entry.generation + 1, attempts: 0, notBefore: 0 });
      else view.set(recordId, { owner: { recordId, tenant, scope }, generation: 1, confirmed: 0, attempts: 0, notBefore: 0 });
      break;
    }
    case 'RecordingImportFailed':
      if (event.data.reason !== 'recordingDeleted') break;
      for (const recordId of event.data.recordIds) {
        const entry = view.get(recordId);
        if (entry) Object.assign(entry, { generation: entry.generation + 1, attempts: 0, notBefore: 0 });
      }
      break;
    case 'RecordingObjectsDeleted': {
      const entry = view.get(event.data.recordId);
      if (entry) entry.confirmed = Math.max(entry.confirmed, event.data.generation);
      break;
    }
    default:
      break;
  }
  return view;
}

/** At each look, every recording still owed a deletion whose backoff has run out. */
export function reactToObjectDeletion(view: ObjectDeletionView, input: ObjectDeletionInput): ObjectDeletionEffect[] {
  if (input.kind !== 'tick') return [];
  const effects: ObjectDeletionEffect[] = [];
  for (const [recordId, entry] of view) {
    if (entry.confirmed >= entry.generation || entry.notBefore > input.now) continue;
    effects.push({ kind: 'deleteObjects', id: `${recordId}:${entry.generation}`, owner: entry.owner, generation: entry.generation });
  }
  return effects;
}

/** A try failed: the next look skips the recording until `retryInMs` has passed. */
export function deletionFailed(view: ObjectDeletionView, recordId: string, now: number, retryInMs: number): void {
  const entry = view.get(recordId);
  if (entry) Object.assign(entry, { attempts: entry.attempts + 1, notBefore: now + retryInMs });
}
