import type { DomainEvent } from '../../domain/eventCatalogue.js';
import type { RecordingOwner, StoredFile } from '../../domain/recording/events.js';

/** One render owed, asked, done or no longer wanted: per (record id, profile). */
export interface RenderTask {
  owner: RecordingOwner;
  profile: string;
  /** The presentation format's files, to fetch from storage into the render's input directory. */
  files: StoredFile[];
  status: 'owed' | 'requested' | 'rendered' | 'failed' | 'gone';
  /** Attempts made so far. */
  attempts: number;
  /** Operator requests seen: each starts a round of attempts whose command ids differ from the last round's. */
  round: number;
}

/** The render process's view, mutated in place like the import's (it only grows with the log). */
export type RenderView = Map<string, RenderTask>;

export type RenderEffect = { kind: 'render'; recordId: string; profile: string };

export const renderKey = (recordId: string, profile: string): string => `${recordId}\u0000${profile}`;

/** `profiles`: RENDER_PROFILES; each imported presentation owes one render per profile. */
export function evolveRenderView(view: RenderView, event: DomainEvent, profiles: readonly string[]): RenderView {
  switch (event.type) {
    case 'RecordingImported': {
      const { recordId, tenant, scope, playback } = event.data;
      if (playback.format !== 'presentation') break;
      for (const profile of profiles) {
        const task = view.get(renderKey(recordId, profile));
        // A replaced presentation is rendered again.
        if (task && task.status !== 'rendered' && task.status !== 'failed') task.files = playback.files;
        else view.set(renderKey(recordId, profile), { owner: { recordId, tenant, scope }, profile, files: playback.files, status: 'owed', attempts: 0, round: task ? task.round + 1 : 0 });
      }
      break;
    }
    case 'RecordingRenderRequested': {
      if (event.data.by === 'operator') {
        operatorAsked(view, event.data.recordId, event.data.profile, profiles);
        break;
      }
      const task = view.get(renderKey(event.data.recordId, event.data.profile));
      if (task) Object.assign(task, { status: 'requested', attempts: Math.max(task.attempts, event.data.attempt) });
      break;
    }
    case 'RecordingRendered':
    case 'RecordingRenderFailed': {
      const task = view.get(renderKey(event.data.recordId, event.data.profile));
      if (task) task.status = event.type === 'RecordingRendered' ? 'rendered' : 'failed';
      break;
    }
    case 'RecordingDeleted':
    case 'RecordingExpired':
      for (const profile of profiles) {
        const task = view.get(renderKey(event.data.recordId, profile));
        if (task) task.status = 'gone';
      }
      break;
    default:
      break;
  }
  return view;
}

/**
 * An operator's request owes the profile again from a fresh set of attempts, a profile outside RENDER_PROFILES
 * included (its files are those of any task of the recording: the presentation's).
 */
function operatorAsked(view: RenderView, recordId: string, profile: string, profiles: readonly string[]): void {
  const task = view.get(renderKey(recordId, profile));
  if (task) {
    if (task.status !== 'gone') Object.assign(task, { status: 'owed', attempts: 0, round: task.round + 1 });
    return;
  }
  const sibling = profiles.map((p) => view.get(renderKey(recordId, p))).find((t) => t !== undefined);
  if (sibling && sibling.status !== 'gone') view.set(renderKey(recordId, profile), { owner: sibling.owner, profile, files: sibling.files, status: 'owed', attempts: 0, round: 1 });
}

/**
 * A newly imported presentation asks for its renders, an operator's request for its profile; the performer
 * skips any done or gone meanwhile.
 */
export function reactToRenderEvent(event: DomainEvent, profiles: readonly string[]): RenderEffect[] {
  if (event.type === 'RecordingRenderRequested' && event.data.by === 'operator') return [{ kind: 'render', recordId: event.data.recordId, profile: event.data.profile }];
  if (event.type !== 'RecordingImported' || event.data.playback.format !== 'presentation') return [];
  return profiles.map((profile) => ({ kind: 'render', recordId: event.data.recordId, profile }));
}
