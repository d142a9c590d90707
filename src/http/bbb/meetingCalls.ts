import type { Context, Next } from 'koa';
import type { BlobStore } from '../../blobs/blobStore.js';
import type { CommandContext } from '../../commands/decider/handleCommand.js';
import type { JoinRecorder } from '../../commands/observations/joinRecorder.js';
import type { PlacementReservations } from '../../commands/workflows/placementReservations.js';
import type { LoadWeights } from '../../domain/placement/loadModel.js';
import type { NodesForPlacement, PlacementNode } from '../../domain/placement/placement.js';
import type { EventStore, Position } from '../../eventstore/port.js';
import type { Logger } from '../../logging.js';
import type { BbbNodeClient } from '../../nodes/bbbNodeClient.js';
import type { MeetingReadModel } from '../../projections/meetingList.js';
import type { TenantDirectory } from '../../projections/tenantDirectory.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import type { TenantPolicyGate } from '../../policy/tenantPolicyGate.js';
import { createCall } from './createCall.js';
import { endCall, getMeetingInfoCall, insertDocumentCall, isMeetingRunningCall, sendChatMessageCall } from './forwardedCalls.js';
import { bbbRequestOf, type BbbRequest } from './frontDoor.js';
import { getMeetingsCall } from './getMeetingsCall.js';
import { hookCall } from './hookCalls.js';
import { joinCall } from './joinCall.js';
import type { MeetingsAnswerCache } from './meetingsAnswerCache.js';
import { recordingCall, type RecordingCallsDeps } from './recordingCalls.js';

export interface BbbMeetingCallsDeps {
  store: EventStore;
  logger: Logger;
  /** The nodes a create may go to, with their load (the node read model). */
  nodesForPlacement: NodesForPlacement;
  /** The node a meeting runs on (the node directory's lookup by id). */
  nodeById(id: string): Promise<PlacementNode | undefined>;
  nodeClient: BbbNodeClient;
  /** Where create's XML bodies are kept for a later re-create on another node. */
  blobs: BlobStore;
  /** Running meetings: routing for join and the forwarded calls, and the getMeetings answer. */
  meetings: MeetingReadModel;
  /** getMeetings' rendered answers, shared with the fast path (one per product). */
  meetingsAnswers: MeetingsAnswerCache;
  meetingsRunner: Pick<ProjectionRunner, 'waitFor'>;
  /** Where join hands each join over; it appends MeetingJoined off the request path. */
  joinRecorder: Pick<JoinRecorder, 'record'>;
  /** The tenants' limits and parameter rules: create's meeting limit and rules, join's attendee limit and rules. */
  policy: Pick<TenantPolicyGate, 'create' | 'join'>;
  now(): Date;
  newId(): string;
  /** Longest a create or end waits for the meeting read model before answering anyway. */
  readYourWritesTimeoutMs: number;
  /** The load model's weights (`LOAD_*`). */
  loadWeights: LoadWeights;
  /** This process's placements not yet in the node directory, shared with failover: one set per process. */
  reservations: PlacementReservations;
  /** Resolves once the node directory has projected a position (then it counts a placed meeting itself). */
  nodeDirectoryCaughtUp(position: Position): Promise<void>;
  /** Tags every node of a tenant's meetings must carry (the tenant directory's). */
  tenantRequiredTags(tenant: string): readonly string[];
  /** The recordings read model and store behind getRecordings and the other recording calls. */
  recordings: RecordingCallsDeps;
  /** Key of the end callback URLs given to nodes; undefined = the client's end callbacks go to the node as sent. */
  endCallbackKey: string | undefined;
  /** `PUBLIC_URL`: the origin those URLs are built on; undefined = the request's own origin. */
  publicUrl: string | undefined;
  /** `HOOKS_PER_TENANT`. */
  hooksPerTenant: number;
  /** The tenants' branding (logo and slide at create, stylesheet at join). */
  assets: Pick<TenantDirectory, 'assetOf'>;
}

/** What every call handler gets. */
export interface MeetingCall {
  ctx: Context;
  request: BbbRequest;
  deps: BbbMeetingCallsDeps;
  /** A fresh context per command: each needs its own id; actor and correlation come from the request. */
  commandContext(): CommandContext;
  /** Read-your-writes: resolves once the meeting read model has seen `position`, or after the timeout. */
  caughtUp(position: Position | undefined): Promise<void>;
}

/**
 * The BBB meeting and recording calls, after the front door: dispatches on `ctx.state.bbb.call` (every
 * call the front door lets through has a handler) and answers with the front door's renderer. Requests the
 * front door did not take pass on.
 */
export function bbbMeetingCalls(deps: BbbMeetingCallsDeps) {
  return async function bbbMeetingCallsMiddleware(ctx: Context, next: Next): Promise<void> {
    if (ctx.state.bbb === undefined) return next();
    const request = bbbRequestOf(ctx);
    const call: MeetingCall = {
      ctx,
      request,
      deps,
      commandContext: () => {
        const requestId = String(ctx.state.requestId ?? deps.newId());
        return { actor: `tenant:${request.scope}`, correlationId: requestId, causationId: requestId, now: deps.now(), commandId: deps.newId() };
      },
      caughtUp: (position) => caughtUp(deps, position),
    };
    switch (request.call) {
      case 'create':
        return createCall(call);
      case 'join':
        return joinCall(call);
      case 'end':
        return endCall(call);
      case 'isMeetingRunning':
        return isMeetingRunningCall(call);
      case 'getMeetingInfo':
        return getMeetingInfoCall(call);
      case 'insertDocument':
        return insertDocumentCall(call);
      case 'sendChatMessage':
        return sendChatMessageCall(call);
      case 'getMeetings':
        return getMeetingsCall(call);
      case 'getRecordings':
      case 'publishRecordings':
      case 'deleteRecordings':
      case 'updateRecordings':
      case 'getRecordingTextTracks':
      case 'putRecordingTextTrack':
        return recordingCall(call, request.call);
      case 'hooks/create':
      case 'hooks/list':
      case 'hooks/destroy':
        return hookCall(call, request.call);
      default: {
        const unknown: never = request.call;
        return unknown;
      }
    }
  };
}

async function caughtUp(deps: BbbMeetingCallsDeps, position: Position | undefined): Promise<void> {
  if (position === undefined) return;
  try {
    await deps.meetingsRunner.waitFor(position, { timeoutMs: deps.readYourWritesTimeoutMs });
  } catch (error) {
    // The write is stored; failing the request would invite a retry. The next read will see it.
    deps.logger.warn({ err: error, position }, 'meeting read model lags behind a meeting write');
  }
}
