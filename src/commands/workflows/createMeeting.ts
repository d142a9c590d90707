import type { BlobStore } from '../../blobs/blobStore.js';
import { nodeMeetingIdOf } from '../../domain/meeting/meetingKey.js';
import type { CreateBodyRef, CreateFailureReason, MeetingEvent, MeetingIdentity } from '../../domain/meeting/events.js';
import { withSignedEndCallbacks, type EndCallbackSigning } from '../../domain/delivery/endCallbacks.js';
import { withoutRecordingReadyUrls } from '../../domain/delivery/recordingReady.js';
import { IllegalStateError } from '../../domain/errors.js';
import type { LoadWeights } from '../../domain/placement/loadModel.js';
import type { NodesForPlacement, PlacementNode, PlacementRequest } from '../../domain/placement/placement.js';
import { rankNodes, whyNoNode } from '../../domain/placement/placementChain.js';
import { seatsFor } from '../../domain/placement/reservations.js';
import { parseServerTag } from '../../domain/placement/serverTag.js';
import type { EventStore, Position } from '../../eventstore/port.js';
import { textOf, type BbbNodeClient, type BbbResponseDoc, type NodeCallOptions, type NodeCallResult } from '../../nodes/bbbNodeClient.js';
import type { CommandContext, CommandResult, KnownStream } from '../decider/handleCommand.js';
import { initialState, type MeetingState } from '../../domain/meeting/state.js';
import { handleMeetingCommand } from '../decider/meetingCommands.js';
import type { PlacementReservations, ReservationTicket } from './placementReservations.js';
import { meetingStreamId } from '../../domain/streams.js';

export interface CreateMeetingDeps {
  store: EventStore;
  blobs: BlobStore;
  nodeClient: BbbNodeClient;
  nodesForPlacement: NodesForPlacement;
  nodeById(id: string): Promise<PlacementNode | undefined>;
  /** The load model's weights (`LOAD_*`). */
  loadWeights: LoadWeights;
  /** This process's placements, counted before any read model shows them. */
  reservations: PlacementReservations;
  /** Resolves once the node directory has projected `position`: from then on it counts the placed meeting itself. */
  nodeDirectoryCaughtUp(position: Position): Promise<void>;
  /** Tags every node of this tenant's meetings must carry (the tenant directory's). */
  tenantRequiredTags(tenant: string): readonly string[];
}

export interface CreateMeetingRequest extends MeetingIdentity {
  /** Every parameter the client sent except checksum, in the order sent. */
  params: ReadonlyArray<readonly [string, string]>;
  /**
   * Without a body the parameters go to the node in the query, as Scalelite sends them (form-posted ones
   * too); an XML body is POSTed byte for byte with the parameters in the query.
   */
  transport: { kind: 'query' } | { kind: 'xml'; bytes: Buffer; contentType: string };
  /** Set: the node gets bbb-ledger's signed end callback URLs instead of the client's (issue 14 item 4). */
  endCallbacks?: EndCallbackSigning;
}

export type CreateMeetingOutcome =
  /** The node's own XML (with the node's meeting ID in it); `position` is the event a reader must have seen. */
  | { kind: 'answered'; xml: string; nodeMeetingID: string; position: Position | undefined }
  /** Every eligible node was tried and failed, or there was none. */
  | { kind: 'noNodeAvailable' }
  /** Nodes are available, but none with the tags the create requires (`meta_server-tag=a!`). */
  | { kind: 'serverTagUnavailable'; tags: string[] }
  /** Eligible nodes exist, none with room under its capacity (a MeetingCreateRefused says which and why). */
  | { kind: 'serverFull'; detail: string }
  /** The meeting runs on a node that does not answer; moving it is failover's job, not a create's. */
  | { kind: 'nodeUnreachable' };

/** A loop bound for pathological churn (nodes failing and the meeting moving under us); never reached normally. */
const MAX_ROUNDS = 32;

/**
 * A create, as events around node calls: 1. keep the XML body in the blob store, 2. place the meeting (or
 * learn where it already is), 3. forward the create to that node, 4. record what the node answered, and on
 * a failure go back to 2 without that node. A repeated create goes to the same node, which answers
 * `duplicateWarning` or `idNotUnique` itself.
 */
export async function createMeeting(
  deps: CreateMeetingDeps,
  request: CreateMeetingRequest,
  context: () => CommandContext,
): Promise<CreateMeetingOutcome> {
  const { tenant, scope, meetingID, transport, endCallbacks } = request;
  const identity = { tenant, scope, meetingID };
  const nodeMeetingID = nodeMeetingIdOf(scope, meetingID);
  const params = Object.fromEntries(request.params);
  const body: CreateBodyRef | null =
    transport.kind === 'xml' ? { ref: await deps.blobs.put(transport.bytes), contentType: transport.contentType, size: transport.bytes.length } : null;
  // The recording-ready URL stays in the meeting's events (params) and never reaches the node: bbb-ledger
  // calls it after the import, signed with the tenant's secret (the recording-ready delivery).
  const forwarded = withoutRecordingReadyUrls(request.params).map(([k, v]): [string, string] => [k, k === 'meetingID' ? nodeMeetingID : v]);
  const options: NodeCallOptions = transport.kind === 'xml' ? { body: { bytes: transport.bytes, contentType: transport.contentType } } : {};

  const weights = deps.loadWeights;
  const tags = parseServerTag(params['meta_server-tag']);
  const requiredTags = [...new Set([...deps.tenantRequiredTags(tenant), ...tags.required])];
  const seats = seatsFor(params['meta_bbb-meeting-size-hint'], weights);
  const stream = meetingStreamId(scope, meetingID);
  const tried: string[] = [];
  // The stream as this create last left it. A create usually opens its meeting's stream, so the first
  // command appends with "no stream" without reading; a meeting created before costs one conflict and a read.
  let known: KnownStream<MeetingState> | undefined = { state: initialState(), revision: undefined };

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const nodes = await deps.nodesForPlacement();
    // 1. rank and reserve in one synchronous step: a concurrent create ranks with this placement counted
    const request: PlacementRequest = { exclude: tried, requiredTags, preferredTags: tags.preferred, reservations: deps.reservations.summary(), now: deps.reservations.now(), seats };
    const ranked = rankNodes(nodes, request, weights);
    const chosen = ranked[0];
    let ticket: ReservationTicket | undefined = chosen && deps.reservations.reserve(stream, chosen.id, seats);
    // A meeting already placed or running stays on its node whatever the tags say now: PlaceMeeting decides.
    const why = !chosen && round === 0 ? whyNoNode(nodes, request, tags.required, weights) : undefined;
    const noCandidate = why?.kind === 'serverTagUnavailable' ? { noCandidateReason: why.kind } : why?.kind === 'serverFull' ? { noCandidateReason: why.kind, noCandidateDetail: why.detail } : {};
    const candidates = ranked.map((n) => n.id);
    const placed = await handleMeetingCommand(
      deps.store,
      { type: 'PlaceMeeting', data: { ...identity, nodeMeetingID, params, body, candidates, ...noCandidate } },
      context(),
      known,
    );
    known = placed;
    const state = placed.state;
    ticket = followPlacement(deps, placed.events, placed.position, stream, seats, ticket);
    if (state.status === 'idle' || state.nodeId === undefined) {
      return why ?? { kind: 'noNodeAvailable' };
    }
    const nodeId = state.nodeId;
    const node = nodes.find((n) => n.id === nodeId) ?? (await deps.nodeById(nodeId));
    const result: NodeCallResult = node
      ? await deps.nodeClient.call(node, 'create', endCallbacks ? withSignedEndCallbacks(forwarded, endCallbacks, nodeMeetingID, state.incarnations) : forwarded, options)
      : { kind: 'failed', reason: 'connection', detail: `node ${nodeId} is no longer registered` };
    if (result.kind === 'failed') {
      if (state.status === 'running') return { kind: 'nodeUnreachable' };
      if (ticket) deps.reservations.release(ticket);
      tried.push(nodeId);
      known = await recordFailure(deps, identity, nodeId, result.reason, result.detail, context, known);
      continue;
    }
    if (result.doc.returncode !== 'SUCCESS') {
      const detail = `${textOf(result.doc, 'messageKey') ?? ''}: ${textOf(result.doc, 'message') ?? ''}`;
      if (ticket) deps.reservations.release(ticket);
      if (state.status === 'placing') await recordFailure(deps, identity, nodeId, 'nodeError', detail, context, known);
      return { kind: 'answered', xml: result.xml, nodeMeetingID, position: undefined };
    }
    const created = createdFields(result.doc);
    if (!created) {
      if (state.status === 'running') return { kind: 'nodeUnreachable' };
      if (ticket) deps.reservations.release(ticket);
      tried.push(nodeId);
      known = await recordFailure(deps, identity, nodeId, 'badXml', 'create answered SUCCESS without internalMeetingID or createTime', context, known);
      continue;
    }
    const recorded = await recordCreated(deps, identity, nodeId, created, context, known);
    if (recorded === 'moved') {
      if (ticket) deps.reservations.release(ticket);
      known = undefined;
      continue;
    }
    const position = recorded.position;
    return { kind: 'answered', xml: result.xml, nodeMeetingID, position };
  }
  throw new Error(`create of ${scope}/${meetingID} did not settle after ${MAX_ROUNDS} rounds`);
}

/**
 * Keeps the reservation where the meeting actually went. PlaceMeeting may place it elsewhere than ranked
 * (another create recorded a failure meanwhile) or not at all (already placed or running: the directory
 * counts it). Once the directory has projected the placement, only the seats stay reserved.
 */
function followPlacement(
  deps: CreateMeetingDeps,
  events: readonly MeetingEvent[],
  position: Position | undefined,
  stream: string,
  seats: number,
  ticket: ReservationTicket | undefined,
): ReservationTicket | undefined {
  const placedEvent = events.find((e) => e.type === 'MeetingPlaced');
  if (!placedEvent) {
    if (ticket) deps.reservations.release(ticket);
    return undefined;
  }
  const kept = ticket?.nodeId === placedEvent.data.nodeId ? ticket : deps.reservations.reserve(stream, placedEvent.data.nodeId, seats);
  if (position) {
    deps.nodeDirectoryCaughtUp(position).then(
      () => deps.reservations.settle(kept),
      // A directory that lags keeps the meeting reserved until the cool-down: counted twice, never missed.
      () => undefined,
    );
  }
  return kept;
}

export type CreatedFields = { internalMeetingID: string; createTime: number; attendeePW: string | null; moderatorPW: string | null; voiceBridge: string; dialNumber: string };

export function createdFields(doc: BbbResponseDoc): CreatedFields | undefined {
  const internalMeetingID = textOf(doc, 'internalMeetingID');
  const createTime = Number(textOf(doc, 'createTime'));
  if (!internalMeetingID || !Number.isSafeInteger(createTime)) return undefined;
  return {
    internalMeetingID,
    createTime,
    attendeePW: textOf(doc, 'attendeePW') || null,
    moderatorPW: textOf(doc, 'moderatorPW') || null,
    voiceBridge: textOf(doc, 'voiceBridge') ?? '',
    dialNumber: textOf(doc, 'dialNumber') ?? '',
  };
}

async function recordCreated(
  deps: CreateMeetingDeps,
  identity: MeetingIdentity,
  nodeId: string,
  created: CreatedFields,
  context: () => CommandContext,
  known: KnownStream<MeetingState> | undefined,
): Promise<CommandResult<MeetingEvent, MeetingState> | 'moved'> {
  try {
    return await handleMeetingCommand(deps.store, { type: 'RecordMeetingCreated', data: { ...identity, nodeId, ...created } }, context(), known);
  } catch (error) {
    // Another create placed it elsewhere, or it ended, while this node answered: follow the stream's verdict.
    if (error instanceof IllegalStateError) return 'moved';
    throw error;
  }
}

async function recordFailure(
  deps: CreateMeetingDeps,
  identity: MeetingIdentity,
  nodeId: string,
  reason: CreateFailureReason,
  detail: string,
  context: () => CommandContext,
  known: KnownStream<MeetingState> | undefined,
): Promise<KnownStream<MeetingState>> {
  return handleMeetingCommand(deps.store, { type: 'RecordMeetingCreateFailed', data: { ...identity, nodeId, reason, detail } }, context(), known);
}
