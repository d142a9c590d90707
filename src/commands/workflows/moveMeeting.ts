import type { BlobStore } from '../../blobs/blobStore.js';
import { withSignedEndCallbacks, type EndCallbackSigning } from '../../domain/delivery/endCallbacks.js';
import { StreamNotFoundError } from '../../eventstore/errors.js';
import type { EventStore, Position } from '../../eventstore/port.js';
import {
  failoverCandidates,
  needsMove,
  noHomeEvidence,
  recreateParams,
  requiredTagsOf,
  type FailedAttempt,
  type FailoverSkip,
  type FailoverTrigger,
  type RunningMeeting,
} from '../../domain/failover/failoverPlan.js';
import type { MeetingEvent, MeetingIdentity } from '../../domain/meeting/events.js';
import type { MeetingState } from '../../domain/meeting/state.js';
import type { LoadWeights } from '../../domain/placement/loadModel.js';
import type { PlacementNode } from '../../domain/placement/placement.js';
import { seatsFor } from '../../domain/placement/reservations.js';
import { textOf, type BbbNodeClient, type NodeCallOptions } from '../../nodes/bbbNodeClient.js';
import { createdFields } from './createMeeting.js';
import type { CommandContext } from '../decider/handleCommand.js';
import { handleMeetingCommand } from '../decider/meetingCommands.js';
import { meetingDecider } from '../../domain/meeting/decider.js';
import type { PlacementReservations } from './placementReservations.js';
import { meetingStreamId } from '../../domain/streams.js';

export interface MoveMeetingDeps {
  store: EventStore;
  blobs: BlobStore;
  nodeClient: BbbNodeClient;
  /** The node directory, as a create places. */
  nodes(): readonly PlacementNode[];
  /** The dead node is still offline per the log (it may have come back while this waited its turn). */
  isOffline(nodeId: string): boolean;
  tenantRequiredTags(tenant: string): readonly string[];
  weights: LoadWeights;
  /** Shared with the HTTP creates of this process, so moves and creates spread together. */
  reservations: PlacementReservations;
  nodeDirectoryCaughtUp?(position: Position): Promise<void>;
  /** Fencing: false once this instance may have lost the saga's lease; asked before every side effect. */
  stillHolds(): boolean;
  /** With `PUBLIC_URL`: the new node gets our signed end callbacks too (same incarnation, same URLs). */
  endCallbacks?: EndCallbackSigning;
}

export type MoveOutcome =
  | { kind: 'moved'; to: string; events: MeetingEvent[] }
  | { kind: 'ended'; events: MeetingEvent[] }
  | { kind: 'skipped'; why: FailoverSkip | 'leaseLost' | 'decidedElsewhere' };

/**
 * Failover of one meeting, as events around node calls (like createMeeting): 1. read the meeting's stream
 * and judge whether it still runs on the dead node, 2. rank the other nodes with the placement chain,
 * 3. re-create it on the best one with the stored parameters and the identical body, trying the next on
 * a failure, 4. record MeetingMoved with the expected revision, or MeetingEnded (failover) when nobody took it.
 */
export async function moveMeeting(
  deps: MoveMeetingDeps,
  meeting: MeetingIdentity,
  trigger: FailoverTrigger,
  context: (step: 'move' | 'end', running: RunningMeeting) => CommandContext,
): Promise<MoveOutcome> {
  // 1. the stream, not a read model: only it knows the current incarnation and node for sure
  const judged = needsMove(await readMeeting(deps.store, meeting), trigger, deps.isOffline(trigger.from));
  if ('skip' in judged) return { kind: 'skipped', why: judged.skip };
  const running = judged.move;
  const stream = meetingStreamId(meeting.scope, meeting.meetingID);
  const tenantTags = deps.tenantRequiredTags(meeting.tenant);
  // 2. candidates, ranked with this process's reservations like a create
  const candidates = failoverCandidates(running, trigger.from, {
    nodes: deps.nodes(),
    tenantTags,
    reservations: deps.reservations.summary(),
    now: deps.reservations.now(),
    weights: deps.weights,
  });
  const body = running.body && (await deps.blobs.get(running.body.ref));
  // A lost body would cost the meeting its slides, not its existence: it is re-created without them.
  const options: NodeCallOptions = body && running.body ? { body: { bytes: body, contentType: running.body.contentType } } : {};
  const params = deps.endCallbacks ? withSignedEndCallbacks(recreateParams(running), deps.endCallbacks, running.nodeMeetingID, running.incarnations) : recreateParams(running);
  const seats = seatsFor(running.params['meta_bbb-meeting-size-hint'], deps.weights);
  const attempts: FailedAttempt[] = [];
  // 3. the first candidate that creates it
  for (const node of candidates) {
    if (!deps.stillHolds()) return { kind: 'skipped', why: 'leaseLost' };
    const ticket = deps.reservations.reserve(stream, node.id, seats);
    const result = await deps.nodeClient.call(node, 'create', params, options);
    const created = result.kind === 'ok' && result.doc.returncode === 'SUCCESS' ? createdFields(result.doc) : undefined;
    if (!created) {
      deps.reservations.release(ticket);
      const detail = result.kind === 'failed' ? `${result.reason}: ${result.detail}` : `${textOf(result.doc, 'messageKey') ?? result.doc.returncode}: ${textOf(result.doc, 'message') ?? ''}`;
      attempts.push({ nodeId: node.id, detail });
      continue;
    }
    // 4. recorded only if the stream still says the meeting is on the dead node (expected revision)
    const { tenant, scope, meetingID } = meeting;
    const command = { type: 'MoveMeeting' as const, data: { tenant, scope, meetingID, incarnation: running.incarnations, from: trigger.from, to: node.id, cause: 'nodeOffline' as const, created } };
    const recorded = await handleMeetingCommand(deps.store, command, context('move', running));
    if (recorded.events.length === 0) {
      deps.reservations.release(ticket);
      await dropOurCopy(deps, node, running, recorded.state);
      return { kind: 'skipped', why: 'decidedElsewhere' };
    }
    settleLater(deps, recorded.position, ticket);
    return { kind: 'moved', to: node.id, events: recorded.events };
  }
  if (!deps.stillHolds()) return { kind: 'skipped', why: 'leaseLost' };
  const evidence = noHomeEvidence(trigger, attempts, requiredTagsOf(running, tenantTags), context('end', running).now);
  const command = { type: 'EndMeetingAfterFailover' as const, data: { ...meeting, incarnation: running.incarnations, from: trigger.from, evidence } };
  const ended = await handleMeetingCommand(deps.store, command, context('end', running));
  return { kind: 'ended', events: ended.events };
}

/** Another failover (an instance that held the lease a moment ago) recorded its move first: ours is a stray copy. */
async function dropOurCopy(deps: MoveMeetingDeps, node: PlacementNode, running: RunningMeeting, now: MeetingState): Promise<void> {
  if (now.status === 'running' && now.nodeId === node.id) return;
  await deps.nodeClient.call(node, 'end', [['meetingID', running.nodeMeetingID]]);
}

function settleLater(deps: MoveMeetingDeps, position: Position | undefined, ticket: ReturnType<PlacementReservations['reserve']>): void {
  if (!position || !deps.nodeDirectoryCaughtUp) return;
  // A directory that lags keeps the meeting reserved until the cool-down: counted twice, never missed.
  deps.nodeDirectoryCaughtUp(position).then(() => deps.reservations.settle(ticket), () => undefined);
}

async function readMeeting(store: EventStore, meeting: MeetingIdentity): Promise<MeetingState> {
  let state = meetingDecider.initialState();
  try {
    for await (const recorded of store.readStream(meetingStreamId(meeting.scope, meeting.meetingID))) {
      state = meetingDecider.evolve(state, meetingDecider.decode(recorded));
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return state;
}
