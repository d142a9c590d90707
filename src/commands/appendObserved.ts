import { v5 as uuidv5 } from 'uuid';
import { schemaVersionOf } from '../domain/eventCatalogue.js';
import type { MeetingParticipantsChanged } from '../domain/meeting/events.js';
import type { NodeLoadReported } from '../domain/node/events.js';
import type { AppendResult, EventStore } from '../eventstore/port.js';
import type { CommandContext } from './handleCommand.js';

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
    [
      {
        id: uuidv5(`${context.commandId}:0`, OBSERVED_EVENT_NAMESPACE),
        type: event.type,
        data: event.data,
        metadata: {
          actor: context.actor,
          correlationId: context.correlationId,
          causationId: context.causationId,
          at: context.now.toISOString(),
          schemaVersion: schemaVersionOf(event.type),
        },
      },
    ],
    { expectedRevision: 'any' },
  );
}
