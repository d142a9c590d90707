import { meetingJoined } from '../../domain/meeting/decide.js';
import type { JoinCounts, MeetingIdentity, MeetingParticipantsChanged } from '../../domain/meeting/events.js';
import type { NodeLoadReported } from '../../domain/node/events.js';
import { meetingStreamId } from '../../domain/streams.js';
import type { AppendResult, EventStore } from '../../eventstore/port.js';
import { toNewEvent, type CommandContext } from '../decider/handleCommand.js';
import { JOIN_EVENT_NAMESPACE, OBSERVED_EVENT_NAMESPACE } from '../../domain/ids.js';

/** What a poll observed; aggregates decide nothing from it, so nothing needs reading first. */
export type ObservedEvent = NodeLoadReported | MeetingParticipantsChanged;

/**
 * Appends an observation without reading the stream or checking its revision, as joins are: reading a
 * stream that grows by one event per observation would make each poll slower than the last. The
 * materiality was decided by the caller; the event id derives from the command id, so a retried poll
 * reaction appends nothing new.
 */
export function appendObserved(store: EventStore, streamId: string, event: ObservedEvent, context: CommandContext): Promise<AppendResult> {
  return store.append(
    streamId,
    [toNewEvent(event, 0, context, OBSERVED_EVENT_NAMESPACE)],
    { expectedRevision: 'any' },
  );
}

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
