import type { BlobStore } from '../blobs/blobStore.js';
import { nodeMeetingIdOf } from '../domain/meeting/meetingKey.js';
import type { CreateBodyRef, CreateFailureReason, MeetingIdentity } from '../domain/meeting/events.js';
import { IllegalStateError } from '../domain/errors.js';
import { rankNodes, type NodesForPlacement, type PlacementNode } from '../domain/placement/placement.js';
import type { EventStore, Position } from '../eventstore/port.js';
import { textOf, type BbbNodeClient, type BbbResponseDoc, type NodeCallOptions, type NodeCallResult } from '../nodes/bbbNodeClient.js';
import type { CommandContext } from './handleCommand.js';
import { handleMeetingCommand } from './meetingCommands.js';

export interface CreateMeetingDeps {
  store: EventStore;
  blobs: BlobStore;
  nodeClient: BbbNodeClient;
  nodesForPlacement: NodesForPlacement;
  nodeById(id: string): Promise<PlacementNode | undefined>;
  meetingWeight?: number;
}

export interface CreateMeetingRequest extends MeetingIdentity {
  /** Every parameter the client sent except checksum, in the order sent. */
  params: ReadonlyArray<readonly [string, string]>;
  /**
   * Without a body the parameters go to the node in the query, as Scalelite sends them (form-posted ones
   * too); an XML body is POSTed byte for byte with the parameters in the query.
   */
  transport: { kind: 'query' } | { kind: 'xml'; bytes: Buffer; contentType: string };
}

export type CreateMeetingOutcome =
  /** The node's own XML (with the node's meeting ID in it); `position` is the event a reader must have seen. */
  | { kind: 'answered'; xml: string; nodeMeetingID: string; position: Position | undefined }
  /** Every eligible node was tried and failed, or there was none. */
  | { kind: 'noNodeAvailable' }
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
  const { tenant, scope, meetingID, transport } = request;
  const identity = { tenant, scope, meetingID };
  const nodeMeetingID = nodeMeetingIdOf(scope, meetingID);
  const params = Object.fromEntries(request.params);
  const body: CreateBodyRef | null =
    transport.kind === 'xml' ? { ref: await deps.blobs.put(transport.bytes), contentType: transport.contentType, size: transport.bytes.length } : null;
  const forwarded = request.params.map(([k, v]): [string, string] => [k, k === 'meetingID' ? nodeMeetingID : v]);
  const options: NodeCallOptions = transport.kind === 'xml' ? { body: { bytes: transport.bytes, contentType: transport.contentType } } : {};

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const nodes = await deps.nodesForPlacement();
    const candidates = rankNodes(nodes, { meetingWeight: deps.meetingWeight }).map((n) => n.id);
    const placed = await handleMeetingCommand(deps.store, { type: 'PlaceMeeting', data: { ...identity, nodeMeetingID, params, body, candidates } }, context());
    const state = placed.state;
    if (state.status === 'idle' || state.nodeId === undefined) return { kind: 'noNodeAvailable' };
    const nodeId = state.nodeId;
    const node = nodes.find((n) => n.id === nodeId) ?? (await deps.nodeById(nodeId));
    const result: NodeCallResult = node
      ? await deps.nodeClient.call(node, 'create', forwarded, options)
      : { kind: 'failed', reason: 'connection', detail: `node ${nodeId} is no longer registered` };
    if (result.kind === 'failed') {
      if (state.status === 'running') return { kind: 'nodeUnreachable' };
      await recordFailure(deps, identity, nodeId, result.reason, result.detail, context);
      continue;
    }
    if (result.doc.returncode !== 'SUCCESS') {
      const detail = `${textOf(result.doc, 'messageKey') ?? ''}: ${textOf(result.doc, 'message') ?? ''}`;
      if (state.status === 'placing') await recordFailure(deps, identity, nodeId, 'nodeError', detail, context);
      return { kind: 'answered', xml: result.xml, nodeMeetingID, position: undefined };
    }
    const created = createdFields(result.doc);
    if (!created) {
      if (state.status === 'running') return { kind: 'nodeUnreachable' };
      await recordFailure(deps, identity, nodeId, 'badXml', 'create answered SUCCESS without internalMeetingID or createTime', context);
      continue;
    }
    const position = await recordCreated(deps, identity, nodeId, created, context);
    if (position === 'moved') continue;
    return { kind: 'answered', xml: result.xml, nodeMeetingID, position };
  }
  throw new Error(`create of ${scope}/${meetingID} did not settle after ${MAX_ROUNDS} rounds`);
}

type CreatedFields = { internalMeetingID: string; createTime: number; attendeePW: string | null; moderatorPW: string | null; voiceBridge: string; dialNumber: string };

function createdFields(doc: BbbResponseDoc): CreatedFields | undefined {
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
): Promise<Position | undefined | 'moved'> {
  try {
    const result = await handleMeetingCommand(deps.store, { type: 'RecordMeetingCreated', data: { ...identity, nodeId, ...created } }, context());
    return result.position;
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
): Promise<void> {
  await handleMeetingCommand(deps.store, { type: 'RecordMeetingCreateFailed', data: { ...identity, nodeId, reason, detail } }, context());
}
