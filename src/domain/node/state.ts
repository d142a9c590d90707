import type { ChecksumAlgorithm } from '../bbb/checksum.js';
import type { NodeAdminState, NodeEvent } from './events.js';
import type { NodeHealth } from './health.js';

export type NodeState =
  | { status: 'unregistered' }
  | {
      status: 'registered';
      nodeId: string;
      url: string;
      secret: string;
      checksumAlgorithm: ChecksumAlgorithm;
      tags: string[];
      loadFactor: number;
      /** Capacity in load units; null = no cap. */
      maxLoad: number | null;
      adminState: NodeAdminState;
      health: NodeHealth;
      /** Decommissioned and drained: final. */
      removed: boolean;
      /** internalMeetingIDs already reported as unknown, newest last, at most `UNKNOWN_MEETINGS_REMEMBERED`. */
      unknownReported: string[];
    };

/** Bounds the state; an incarnation older than this many reports being reported again is harmless. */
export const UNKNOWN_MEETINGS_REMEMBERED = 1000;

export const initialState = (): NodeState => ({ status: 'unregistered' });

export function evolve(state: NodeState, event: NodeEvent): NodeState {
  switch (event.type) {
    case 'NodeRegistered':
      // A registered node starts enabled: health polling, not an extra admin step, gates its traffic.
      return { status: 'registered', ...event.data, tags: [...event.data.tags], maxLoad: null, adminState: 'enabled', health: 'unknown', removed: false, unknownReported: [] };
    case 'NodeEnabled':
      return withAdminState(state, 'enabled');
    case 'NodeCordoned':
      return withAdminState(state, 'cordoned');
    case 'NodeDisabled':
      return withAdminState(state, 'disabled');
    case 'NodeDecommissioned':
      return withAdminState(state, 'decommissioned');
    case 'NodeRemoved':
      return state.status === 'registered' ? { ...state, adminState: 'decommissioned', removed: true } : state;
    case 'NodeHealthChanged':
      return state.status === 'registered' ? { ...state, health: event.data.health } : state;
    case 'NodeReportedUnknownMeeting': {
      if (state.status !== 'registered') return state;
      const unknownReported = [...state.unknownReported, event.data.internalMeetingID].slice(-UNKNOWN_MEETINGS_REMEMBERED);
      return { ...state, unknownReported };
    }
    case 'NodeTagsChanged':
      return state.status === 'registered' ? { ...state, tags: [...event.data.tags] } : state;
    case 'NodeCapacityChanged':
      return state.status === 'registered' ? { ...state, maxLoad: event.data.maxLoad } : state;
    // Appended without reading the stream (see appendNodeLoadReported): nothing decide needs.
    case 'NodeLoadReported':
      return state;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

function withAdminState(state: NodeState, adminState: NodeAdminState): NodeState {
  // An admin event before registration cannot come from decide; ignoring it keeps replay total.
  return state.status === 'registered' ? { ...state, adminState } : state;
}
