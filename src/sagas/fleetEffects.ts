import { appendObserved, type ObservedEvent } from '../commands/observations/appendObserved.js';
import type { CommandContext } from '../commands/decider/handleCommand.js';
import { handleMeetingCommand } from '../commands/decider/meetingCommands.js';
import { handleNodeCommand } from '../commands/decider/nodeCommands.js';
import { meetingStreamId, nodeStreamId } from '../domain/streams.js';
import type { DomainEvent } from '../domain/eventCatalogue.js';
import type { RecordMeetingGoneFromNode } from '../domain/meeting/commands.js';
import type { NodeCommand } from '../domain/node/commands.js';
import type { EventStore } from '../eventstore/port.js';

/** Which saga speaks: its `saga:<name>` becomes the actor of the resulting events. */
export type FleetActor = 'nodeHealth' | 'nodeLoad' | 'reconciliation' | 'drain';

/**
 * What a poll's reaction asks for, as data (tests compare it). `id` is derived from the node, the poll's
 * start and the subject, so the same reaction sent twice appends nothing new.
 */
export type FleetEffect = { id: string; nodeId: string; pollId: string; actor: FleetActor } & (
  | { kind: 'node'; command: NodeCommand }
  | { kind: 'meeting'; command: RecordMeetingGoneFromNode }
  | { kind: 'observed'; event: ObservedEvent }
);

/** Node and meeting commands go through their aggregates; observations are appended as they are. */
export async function performFleetEffect(store: EventStore, effect: FleetEffect, context: CommandContext): Promise<DomainEvent[]> {
  switch (effect.kind) {
    case 'node':
      return (await handleNodeCommand(store, effect.command, context)).events;
    case 'meeting':
      return (await handleMeetingCommand(store, effect.command, context)).events;
    case 'observed': {
      const { event } = effect;
      const streamId = event.type === 'NodeLoadReported' ? nodeStreamId(event.data.nodeId) : meetingStreamId(event.data.scope, event.data.meetingID);
      await appendObserved(store, streamId, event, context);
      return [event];
    }
  }
}
