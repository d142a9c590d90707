import { meetingStreamId } from '../domain/streams.js';
import { NotFoundError } from '../domain/errors.js';
import { StreamNotFoundError } from '../eventstore/errors.js';
import type { EventStore, RecordedEvent } from '../eventstore/port.js';
import { toAuditEntry, type AuditEntry } from './auditEntry.js';
import { fleetAsOf, type FleetAsOf } from './fleetAsOf.js';

export interface PlacementExplained {
  streamId: string;
  /** The last MeetingPlaced of the stream: node, create parameters, who asked (actor, correlation). */
  placement: AuditEntry;
  /** The fleet just before the placement was stored: what placement chose from. */
  fleetBefore: FleetAsOf;
}

/**
 * "Why did meeting X land on node Y": the placement event and every node's admin state, health and
 * meetings as the log stood right before it (folded up to its position, not by clock).
 */
export async function explainPlacement(store: EventStore, scope: string, meetingID: string): Promise<PlacementExplained> {
  const streamId = meetingStreamId(scope, meetingID);
  let placed: RecordedEvent | undefined;
  try {
    for await (const event of store.readStream(streamId)) if (event.type === 'MeetingPlaced') placed = event;
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  if (!placed) throw new NotFoundError(`meeting ${meetingID} of ${scope} was never placed`);
  const fleetBefore = await fleetAsOf(store, { before: placed.position, at: new Date(placed.metadata.at) });
  return { streamId, placement: toAuditEntry(placed), fleetBefore };
}
