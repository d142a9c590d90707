import { NotFoundError } from '../domain/errors.js';
import { StreamNotFoundError } from '../eventstore/errors.js';
import type { EventStore } from '../eventstore/port.js';
import { toAuditEntry, type AuditEntry } from './auditEntry.js';

export interface StreamHistoryPage {
  streamId: string;
  events: AuditEntry[];
  /** The `from` of the next page, or null when this page reached the end of the stream. */
  next: number | null;
}

/** A page of one stream's events in revision order, from revision `from` (inclusive). */
export async function readStreamHistory(store: EventStore, streamId: string, page: { from: number; limit: number }): Promise<StreamHistoryPage> {
  const events: AuditEntry[] = [];
  try {
    // One more than asked: whether a next page exists without a second read.
    for await (const event of store.readStream(streamId, { fromRevision: BigInt(page.from), maxCount: page.limit + 1 })) {
      events.push(toAuditEntry(event));
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) throw new NotFoundError(`stream ${streamId} does not exist`);
    throw error;
  }
  const more = events.length > page.limit;
  if (more) events.pop();
  return { streamId, events, next: more ? page.from + page.limit : null };
}
