import type { NodeEvent } from './events.js';
import { nodeViewChange, removedNodeView, withNodeField, type NodeView } from './nodeView.js';

/**
 * The node's view without its load (NodeLoadReported is appended without reading the stream: decide never
 * needs it), plus the unknown meetings already reported, which decide does.
 */
export type NodeState =
  | { status: 'unregistered' }
  | (Omit<NodeView, 'load'> & {
      status: 'registered';
      /** internalMeetingIDs already reported as unknown, newest last, at most `UNKNOWN_MEETINGS_REMEMBERED`. */
      unknownReported: string[];
    });

/** Bounds the state; an incarnation older than this many reports being reported again is harmless. */
export const UNKNOWN_MEETINGS_REMEMBERED = 1000;

export const initialState = (): NodeState => ({ status: 'unregistered' });

export function evolve(state: NodeState, event: NodeEvent): NodeState {
  if (event.type === 'NodeReportedUnknownMeeting') {
    if (state.status !== 'registered') return state;
    const unknownReported = [...state.unknownReported, event.data.internalMeetingID].slice(-UNKNOWN_MEETINGS_REMEMBERED);
    return { ...state, unknownReported };
  }
  // Most of a node's events, and nothing decide reads.
  if (event.type === 'NodeLoadReported') return state;
  const change = nodeViewChange(event);
  if (change === null || change.op === 'setLoad') return state;
  if (change.op === 'register') {
    const { load: _load, ...view } = change.view;
    return { status: 'registered', ...view, unknownReported: [] };
  }
  // An admin event before registration cannot come from decide; ignoring it keeps replay total.
  if (state.status !== 'registered') return state;
  return change.op === 'remove' ? removedNodeView(state) : withNodeField(state, change);
}
