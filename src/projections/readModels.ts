import { meetingListProjection, type MeetingListOp } from './meetingList.js';
import { InMemoryMeetingList } from './meetingListMemory.js';
import { MEETING_LIST_SHARED } from './meetingListRedis.js';
import { nodeDirectoryProjection, type NodeDirectoryOp } from './nodeDirectory.js';
import { InMemoryNodeDirectory } from './nodeDirectoryMemory.js';
import { nodeListProjection, type NodeListOp } from './nodeList.js';
import { InMemoryNodeList } from './nodeListMemory.js';
import { NODE_LIST_SHARED } from './nodeListRedis.js';
import type { CheckpointTarget, ProjectionDefinition } from './projection.js';
import { recordingListProjection, type RecordingListOp } from './recordingList.js';
import { InMemoryRecordingList } from './recordingListMemory.js';
import type { RunnerHandle } from './runnerSet.js';
import type { SharedShape } from './sharedShape.js';
import { tenantDirectoryProjection, type TenantDirectoryOp } from './tenantDirectory.js';
import { InMemoryTenantDirectory } from './tenantDirectoryMemory.js';

/** One read model: its projection, the model every instance answers from, and its shared Redis copy if it has one. */
export interface ReadModelDefinition<M, Op> {
  projection: ProjectionDefinition<Op>;
  /** A fresh in-process model, fed by this instance's own subscription to the log (rebuilt at every start). */
  inProcess(): M & { target: CheckpointTarget<Op> };
  /** With REDIS_URL, also kept in Redis under the same name: self-healing (compose.ts), rebuilt by `ledger rebuild`. */
  shared?: SharedShape<Op>;
}

/** Any read model, its model and ops types forgotten (a registry holds several). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an existential: each entry keeps its own types
export type AnyReadModel = ReadModelDefinition<any, any>;

const readModel = <M, Op>(definition: ReadModelDefinition<M, Op>): ReadModelDefinition<M, Op> => definition;

/**
 * Every read model of the product: a new one is one entry here. compose.ts runs each in process and its shared
 * copy in Redis, `ledger rebuild` and the self-healing rebuild know the shared ones (src/rebuild/redisReadModels.ts),
 * and `/health` and the projection metrics list them all. Folds that live inside a consumer (the policy gate's
 * usage, the metrics' usage) are added by compose.ts beside these.
 */
export const READ_MODELS = {
  nodeList: readModel<InMemoryNodeList, NodeListOp>({ projection: nodeListProjection, inProcess: () => new InMemoryNodeList(), shared: NODE_LIST_SHARED }),
  tenantDirectory: readModel<InMemoryTenantDirectory, TenantDirectoryOp>({ projection: tenantDirectoryProjection, inProcess: () => new InMemoryTenantDirectory() }),
  nodeDirectory: readModel<InMemoryNodeDirectory, NodeDirectoryOp>({ projection: nodeDirectoryProjection, inProcess: () => new InMemoryNodeDirectory() }),
  meetingList: readModel<InMemoryMeetingList, MeetingListOp>({ projection: meetingListProjection, inProcess: () => new InMemoryMeetingList(), shared: MEETING_LIST_SHARED }),
  recordingList: readModel<InMemoryRecordingList, RecordingListOp>({ projection: recordingListProjection, inProcess: () => new InMemoryRecordingList() }),
};

export type ReadModels = typeof READ_MODELS;

/** What registering the read models gives compose.ts: each model with the handle of its runner. */
export type RegisteredReadModels<R extends Record<string, AnyReadModel>> = {
  [K in keyof R]: R[K] extends ReadModelDefinition<infer M, infer _Op> ? { model: M; runner: RunnerHandle } : never;
};

/** Where read models are run (src/projections/runnerSet.ts). */
export interface InProcessRunners {
  addInProcess<Op>(projection: ProjectionDefinition<Op>, target: CheckpointTarget<Op>): RunnerHandle;
}

/** Builds every registered model and registers it to run in process; started later with the runners. */
export function registerReadModels<R extends Record<string, AnyReadModel>>(runners: InProcessRunners, definitions: R): RegisteredReadModels<R> {
  const registered: Record<string, { model: unknown; runner: RunnerHandle }> = {};
  for (const [key, definition] of Object.entries(definitions)) {
    const model = definition.inProcess();
    registered[key] = { model, runner: runners.addInProcess(definition.projection, model.target) };
  }
  return registered as RegisteredReadModels<R>;
}
