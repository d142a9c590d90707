import type { Decider } from '../decider.js';
import { aggregateEvents } from '../eventCatalogue.js';
import type { ImportCommand, RecordingCommand } from './commands.js';
import { decideImport, decideRecording } from './decide.js';
import { IMPORT_EVENT_TYPES, RECORDING_EVENT_TYPES, type ImportEvent, type RecordingEvent } from './events.js';
import { evolveImport, evolveRecording, initialImportState, initialRecordingState, type ImportState, type RecordingState } from './state.js';

export const recordingDecider: Decider<RecordingCommand, RecordingEvent, RecordingState> = {
  decide: decideRecording,
  evolve: evolveRecording,
  initialState: initialRecordingState,
  decode: aggregateEvents<RecordingEvent>('recording', RECORDING_EVENT_TYPES).decode,
};

export const importDecider: Decider<ImportCommand, ImportEvent, ImportState> = {
  decide: decideImport,
  evolve: evolveImport,
  initialState: initialImportState,
  decode: aggregateEvents<ImportEvent>('import', IMPORT_EVENT_TYPES).decode,
};
