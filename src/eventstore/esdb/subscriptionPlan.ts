import { eventTypeFilter, streamNameFilter, type Filter, type Position as EsdbPosition } from '@eventstore/db-client';
import { matchesFilter, type SubscriptionFilter } from '../port.js';
import { isSystemEvent } from './esdbMapping.js';

/** ESDB sends a checkpoint every `checkpointInterval × 32` scanned events (the server's search window). */
const SERVER_WINDOW = 32;

export interface SubscriptionPlan {
  /** What the server filters on; the rest is checked client-side by `accepts`. */
  serverFilter(onCheckpoint: (position: EsdbPosition) => void): Filter;
  /** The full port filter plus the system-event exclusion, applied to every event the server sends. */
  accepts(streamId: string, type: string): boolean;
}

/**
 * The server filters on stream names or on event types, never both: with both given, stream prefixes go to
 * the server (usually the more selective) and types are checked here. With neither, the server drops
 * `$`-typed events; `$`-named streams with ordinary types are dropped here.
 */
export function planSubscription(filter: SubscriptionFilter | undefined, checkpointInterval: number): SubscriptionPlan {
  const multiplier = Math.max(1, Math.ceil(checkpointInterval / SERVER_WINDOW));
  const prefixes = filter?.streamPrefixes;
  const types = filter?.eventTypes;
  return {
    serverFilter(onCheckpoint) {
      const common = { checkpointInterval: multiplier, checkpointReached: (_: unknown, position: EsdbPosition) => onCheckpoint(position) };
      if (prefixes && prefixes.length > 0) return streamNameFilter({ prefixes, ...common });
      if (types && types.length > 0) return eventTypeFilter({ regex: `^(?:${types.map(escapeRegex).join('|')})$`, ...common });
      return eventTypeFilter({ regex: '^[^$]', ...common });
    },
    accepts: (streamId, type) => !isSystemEvent(streamId, type) && matchesFilter(filter, streamId, type),
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
