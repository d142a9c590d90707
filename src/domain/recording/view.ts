import type { PlaybackFormat, RecordingFacts, RecordingOwner, StoredFile } from './events.js';

export type RecordingStateName = 'published' | 'unpublished' | 'deleted';

/** A rendered MP4, listed by getRecordings as one more format of type `profile`. */
export interface RenderedFormat {
  profile: string;
  file: StoredFile;
  durationSeconds: number;
}

/** One recording as getRecordings, playback and the admin API read it (the read model's row). */
export interface RecordingView extends RecordingOwner, RecordingFacts {
  state: RecordingStateName;
  /** updateRecordings' `protect`; null: the tenant's default (protectionOf) decides. */
  protected: boolean | null;
  /** By format name. */
  formats: PlaybackFormat[];
  renders: RenderedFormat[];
}
