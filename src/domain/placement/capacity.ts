import { nodeLoad, type LoadWeights } from './loadModel.js';
import type { PlacementNode, PlacementRequest } from './placement.js';

/**
 * What one more meeting adds to a node under the load model: the meeting itself and the seats it is assumed
 * to bring (BBBLB's reservation), scaled by the node's load factor.
 */
export function newMeetingLoad(node: PlacementNode, request: PlacementRequest, weights: LoadWeights): number {
  const seats = request.seats ?? weights.reservedSeats;
  return node.loadFactor * (weights.meeting + weights.participant * seats);
}

/** Would the new meeting fit under the node's capacity (`maxLoad`, load units)? A node without one always has room. */
export function hasRoomFor(node: PlacementNode, request: PlacementRequest, weights: LoadWeights): boolean {
  if (node.maxLoad === undefined || node.maxLoad === null) return true;
  return nodeLoad(node, weights, request.now, request.reservations) + newMeetingLoad(node, request, weights) <= node.maxLoad;
}

/** For the refusal's evidence: each full node's load, what the meeting would add, and its capacity. */
export function capacityEvidence(nodes: readonly PlacementNode[], request: PlacementRequest, weights: LoadWeights): string {
  const round = (n: number) => Math.round(n * 10) / 10;
  return nodes
    .map((n) => `${n.id}: load ${round(nodeLoad(n, weights, request.now, request.reservations))} + ${round(newMeetingLoad(n, request, weights))} > maxLoad ${n.maxLoad}`)
    .join('; ');
}
