import type { ImportCommand, RecordingCommand } from '../domain/recording/commands.js';
import { decideImport, decideRecording } from '../domain/recording/decide.js';
import { IMPORT_EVENT_TYPES, RECORDING_EVENT_TYPES, type ImportEvent, type RecordingEvent } from '../domain/recording/events.js';
import { evolveImport, evolveRecording, initialImportState, initialRecordingState, type ImportState, type RecordingState } from '../domain/recording/state.js';
import { aggregateEvents } from '../domain/eventCatalogue.js';
import type { EventStore } from '../eventstore/port.js';
import { handleCommand, type CommandContext, type CommandResult, type Decider } from './handleCommand.js';
import { importStreamId, recordingStreamId } from './streams.js';

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

export function handleRecordingCommand(store: EventStore, command: RecordingCommand, context: CommandContext): Promise<CommandResult<RecordingEvent, RecordingState>> {
  return handleCommand(store, recordingDecider, recordingStreamId(command.data.recordId), command, context);
}

export function handleImportCommand(store: EventStore, command: ImportCommand, context: CommandContext): Promise<CommandResult<ImportEvent, ImportState>> {
  return handleCommand(store, importDecider, importStreamId(command.data.importId), command, context);
}
