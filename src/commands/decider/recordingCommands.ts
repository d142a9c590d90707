import type { ImportCommand, RecordingCommand } from '../../domain/recording/commands.js';
import { importDecider, recordingDecider } from '../../domain/recording/decider.js';
import type { ImportEvent, RecordingEvent } from '../../domain/recording/events.js';
import type { ImportState, RecordingState } from '../../domain/recording/state.js';
import { importStreamId, recordingStreamId } from '../../domain/streams.js';
import type { EventStore } from '../../eventstore/port.js';
import { handleCommand, type CommandContext, type CommandResult } from './handleCommand.js';

export function handleRecordingCommand(store: EventStore, command: RecordingCommand, context: CommandContext): Promise<CommandResult<RecordingEvent, RecordingState>> {
  return handleCommand(store, recordingDecider, recordingStreamId(command.data.recordId), command, context);
}

export function handleImportCommand(store: EventStore, command: ImportCommand, context: CommandContext): Promise<CommandResult<ImportEvent, ImportState>> {
  return handleCommand(store, importDecider, importStreamId(command.data.importId), command, context);
}
