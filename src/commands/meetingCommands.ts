import type { MeetingCommand } from '../domain/meeting/commands.js';
import { meetingJoined } from '../domain/meeting/decide.js';
import { meetingDecider } from '../domain/meeting/decider.js';
import type { JoinCounts, MeetingEvent, MeetingIdentity } from '../domain/meeting/events.js';
import type { MeetingState } from '../domain/meeting/state.js';
import { meetingStreamId } from '../domain/streams.js';
import type { AppendResult, EventStore } from '../eventstore/port.js';
import { handleCommand, toNewEvent, type CommandContext, type CommandResult, type KnownStream } from './handleCommand.js';

export function handleMeetingCommand(
  store: EventStore,
  command: MeetingCommand,
  context: CommandContext,
  known?: KnownStream<MeetingState>,
): Promise<CommandResult<MeetingEvent, MeetingState>> {
  return handleCommand(store, meetingDecider, meetingStreamId(command.data.scope, command.data.meetingID), command, context, known);
}

const JOIN_EVENT_NAMESPACE = '2c0f6f7e-1d5b-4b8e-a1c4-7f3e9d2a6b50';

/**
 * Appends the joins of one window as a MeetingJoined without reading the stream or checking its revision:
 * many joins of one meeting arrive at once, and they only count. Joins that land after the meeting ended are
 * ignored by evolve and by the projections. The event id comes from `context.commandId`, so appending the
 * same window again (a retry after an ambiguous failure) stores it once.
 */
export function appendMeetingJoined(store: Pick<EventStore, 'append'>, meeting: MeetingIdentity, joins: JoinCounts, window: { from: Date; to: Date }, context: CommandContext): Promise<AppendResult> {
  const event = meetingJoined(meeting, joins, window.from, window.to);
  return store.append(
    meetingStreamId(meeting.scope, meeting.meetingID),
    [toNewEvent(event, 0, context, JOIN_EVENT_NAMESPACE)],
    { expectedRevision: 'any' },
  );
}
