import { IMPORT_STREAM_PREFIX, RECORDING_STREAM_PREFIX } from '../domain/streams.js';
import { aggregateEvents } from '../domain/eventCatalogue.js';
import type { Viewer } from '../domain/recording/commands.js';
import {
  IMPORT_EVENT_TYPES,
  RECORDING_EVENT_TYPES,
  type ImportEvent,
  type ImportFailureReason,
  type RecordingEvent,
} from '../domain/recording/events.js';
import type { RecordingStateName, RecordingView } from '../domain/recording/view.js';
import type { RecordedEvent } from '../eventstore/port.js';
import type { ProjectionDefinition } from './projection.js';

export type { RecordingStateName, RecordingView, RenderedFormat } from '../domain/recording/view.js';

export interface ImportStatus {
  importId: string;
  nodeId: string | null;
  source: 'upload' | 'spool';
  bytes: number;
  uploadedAt: string;
  state: 'pending' | 'imported' | 'failed';
  recordIds: string[];
  reason: ImportFailureReason | null;
  detail: string | null;
  quarantineKey: string | null;
}

/** getRecordings' filters, already read from the request (BBB's rules in recordingQuery.ts). */
export interface RecordingQuery {
  viewer: Viewer;
  /** Prefixes of record IDs; when set, `meetingIDs` is ignored (as BBB does). */
  recordIds: string[] | undefined;
  meetingIDs: string[] | undefined;
  /** `any`, or the states to list. */
  states: ReadonlySet<RecordingStateName> | 'any';
  /** `[key, pattern]`, every one must match; `%` at either end is a wildcard. */
  meta: Array<[string, string]>;
  /** Undefined: no pagination. */
  page: { offset: number; limit: number } | undefined;
}

export interface RecordingPage {
  total: number;
  recordings: RecordingView[];
}

export interface RecordingReadModel {
  find(query: RecordingQuery): RecordingPage;
  get(recordId: string): RecordingView | undefined;
  imports(filter: { state?: ImportStatus['state'] }): ImportStatus[];
  importOf(importId: string): ImportStatus | undefined;
}

/** Operations as the events say them; applying one twice leaves the same model. */
export type RecordingListOp =
  | { op: 'recording'; event: RecordingEvent }
  | { op: 'upload'; event: ImportEvent; at: string };

const recordingEvents = aggregateEvents<RecordingEvent>('recording', RECORDING_EVENT_TYPES);
const importEvents = aggregateEvents<ImportEvent>('import', IMPORT_EVENT_TYPES);

export function projectRecordingList(recorded: RecordedEvent): RecordingListOp[] {
  if (recorded.streamId.startsWith(IMPORT_STREAM_PREFIX)) return [{ op: 'upload', event: importEvents.decode(recorded), at: recorded.metadata.at }];
  return [{ op: 'recording', event: recordingEvents.decode(recorded) }];
}

export const recordingListProjection: ProjectionDefinition<RecordingListOp> = {
  name: 'recordingList',
  filter: { streamPrefixes: [RECORDING_STREAM_PREFIX, IMPORT_STREAM_PREFIX] },
  project: projectRecordingList,
};
