import type { MeetingParticipantsChanged } from '../domain/meeting/events.js';
import type { NodeLoadReported } from '../domain/node/events.js';
import type { AppendResult, EventStore } from '../eventstore/port.js';
import { toNewEvent, type CommandContext } from './handleCommand.js';

const OBSERVED_EVENT_NAMESPACE = '8d3b1f0a-6c2e-4e7a-b5d9-0f4a2c8e1b73';

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
