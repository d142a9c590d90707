import type { MeetingCommand } from '../../domain/meeting/commands.js';
import { meetingDecider } from '../../domain/meeting/decider.js';
import type { MeetingEvent } from '../../domain/meeting/events.js';
import type { MeetingState } from '../../domain/meeting/state.js';
import { meetingStreamId } from '../../domain/streams.js';
import type { EventStore } from '../../eventstore/port.js';
import { handleCommand, type CommandContext, type CommandResult, type KnownStream } from './handleCommand.js';

export function handleMeetingCommand(
  store: EventStore,
  command: MeetingCommand,
  context: CommandContext,
  known?: KnownStream<MeetingState>,
): Promise<CommandResult<MeetingEvent, MeetingState>> {
  return handleCommand(store, meetingDecider, meetingStreamId(command.data.scope, command.data.meetingID), command, context, known);
}
