import { capacityEvidence, hasRoomFor } from './capacity.js';
import { nodeLoad, type LoadWeights } from './loadModel.js';
import type { PlacementNode, PlacementRequest } from './placement.js';
import { carriesTag } from './serverTag.js';

/** One link of the placement chain, like b3scale's router middlewares: it narrows or reorders the nodes. */
export type PlacementStep = (nodes: readonly PlacementNode[], request: PlacementRequest) => PlacementNode[];

/** Orders two nodes: negative puts `a` first, 0 leaves the decision to the next comparator. */
export type NodeComparator = (a: PlacementNode, b: PlacementNode, request: PlacementRequest) => number;

/** Enabled by the operator (not cordoned, disabled or decommissioned) and healthy by the poller. */
export const takesNewMeetings: PlacementStep = (nodes) => nodes.filter((n) => n.adminState === 'enabled' && n.health === 'available');

/** Not one this create already failed on. */
export const notExcluded: PlacementStep = (nodes, request) => nodes.filter((n) => !request.exclude.includes(n.id));

/** Carries every required tag (b3scale's `required_tags`, Scalelite's `a!`). */
export const carriesRequiredTags: PlacementStep = (nodes, request) =>
  nodes.filter((n) => request.requiredTags.every((tag) => carriesTag(n.tags, tag)));

/** Has room for the new meeting under its capacity (`maxLoad`), reservations included. */
export function hasRoom(weights: LoadWeights): PlacementStep {
  return (nodes, request) => nodes.filter((n) => hasRoomFor(n, request, weights));
}

/** Nodes with a preferred tag first; without preferred tags every node is equal here. */
export const preferredTagsFirst: NodeComparator = (a, b, request) => {
  if (request.preferredTags.length === 0) return 0;
  const prefers = (n: PlacementNode) => request.preferredTags.some((tag) => carriesTag(n.tags, tag));
  return Number(prefers(b)) - Number(prefers(a));
};

/** Lower load first, reservations included. */
export function leastLoadFirst(weights: LoadWeights): NodeComparator {
  const cache = new WeakMap<PlacementNode, number>();
  const load = (n: PlacementNode, request: PlacementRequest) => {
    let value = cache.get(n);
    if (value === undefined) cache.set(n, (value = nodeLoad(n, weights, request.now, request.reservations)));
    return value;
  };
  return (a, b, request) => load(a, request) - load(b, request);
}

/** Equal so far: by id, so every LB instance ranks the same nodes the same way. */
export const byId: NodeComparator = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Sorts by the comparators in order: the first that tells two nodes apart decides. */
export function rankBy(...comparators: NodeComparator[]): PlacementStep {
  return (nodes, request) =>
    [...nodes].sort((a, b) => {
      for (const compare of comparators) {
        const order = compare(a, b, request);
        if (order !== 0) return order;
      }
      return 0;
    });
}

const eligible: PlacementStep[] = [takesNewMeetings, notExcluded, carriesRequiredTags];

/** The steps, in the order they run: eligibility, then room, then preference, then least load, then the tie-break. */
export function placementChain(weights: LoadWeights): PlacementStep[] {
  return [...eligible, hasRoom(weights), rankBy(preferredTagsFirst, leastLoadFirst(weights), byId)];
}

export function runChain(steps: readonly PlacementStep[], nodes: readonly PlacementNode[], request: PlacementRequest): PlacementNode[] {
  return steps.reduce<PlacementNode[]>((current, step) => step(current, request), [...nodes]);
}

/** Every node that may take the meeting, best first: the candidates a create tries in turn. */
export function rankNodes(nodes: readonly PlacementNode[], request: PlacementRequest, weights: LoadWeights): PlacementNode[] {
  return runChain(placementChain(weights), nodes, request);
}

/** Why a ranking came out empty, for the client's answer. */
export type NoNodeReason =
  | { kind: 'noNodeAvailable' }
  | { kind: 'serverTagUnavailable'; tags: string[] }
  /** Eligible nodes exist, but none has room under its capacity; `detail` says each one's numbers. */
  | { kind: 'serverFull'; detail: string };

/**
 * Scalelite's distinction: when nodes would take the meeting but none carries the create's required tags,
 * the answer is `serverTagUnavailable`, not "no servers". Tenant tags are the operator's pool, so a tenant
 * whose pool is empty gets "no servers".
 */
export function whyNoNode(nodes: readonly PlacementNode[], request: PlacementRequest, requestedTags: readonly string[], weights: LoadWeights): NoNodeReason {
  if (requestedTags.length > 0) {
    const withoutRequested = request.requiredTags.filter((tag) => !requestedTags.includes(tag));
    const pool = rankNodes(nodes, { ...request, requiredTags: withoutRequested }, weights);
    if (pool.length > 0) return { kind: 'serverTagUnavailable', tags: [...requestedTags] };
  }
  // Nodes would take it but for their capacity: full, not absent.
  const full = runChain(eligible, nodes, request);
  return full.length > 0 ? { kind: 'serverFull', detail: capacityEvidence(full, request, weights) } : { kind: 'noNodeAvailable' };
}
