import { meetingDecider } from '../domain/meeting/decider.js';
import { nodeDecider } from '../domain/node/decider.js';
import { MEETING_STREAM_PREFIX, NODE_STREAM_PREFIX, TENANT_STREAM_PREFIX } from '../domain/streams.js';
import { tenantDecider } from '../domain/tenant/decider.js';
import type { Decider } from '../domain/decider.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { DomainEvent } from '../domain/eventCatalogue.js';
import { StreamNotFoundError } from '../eventstore/errors.js';
import type { EventStore, RecordedEvent } from '../eventstore/port.js';
import { redactSecrets } from './auditEntry.js';

export interface StreamStateAsOf {
  streamId: string;
  aggregate: 'node' | 'tenant' | 'meeting';
  asOf: string;
  /** Revision of the last event folded; null when none was decided by then. */
  revision: number | null;
  /** How many events were folded. */
  events: number;
  /** The aggregate's state as its decider folds it (secrets redacted). */
  state: unknown;
}

/** The fold of an aggregate, whatever its command and state types: what an as-of query needs. */
interface Fold {
  aggregate: StreamStateAsOf['aggregate'];
  initialState(): unknown;
  evolve(state: unknown, recorded: RecordedEvent): unknown;
}

function foldOf<C, E extends DomainEvent, S>(aggregate: Fold['aggregate'], decider: Decider<C, E, S>): Fold {
  return {
    aggregate,
    initialState: () => decider.initialState(),
    evolve: (state, recorded) => decider.evolve(state as S, decider.decode(recorded)),
  };
}

const FOLDS: ReadonlyArray<readonly [string, Fold]> = [
  [NODE_STREAM_PREFIX, foldOf('node', nodeDecider)],
  [TENANT_STREAM_PREFIX, foldOf('tenant', tenantDecider)],
  [MEETING_STREAM_PREFIX, foldOf('meeting', meetingDecider)],
];

/**
 * The state of one aggregate as of `asOf`: its decider folds the stream's events decided at or before then
 * (metadata.at), nothing stored: the log is the only truth. @throws ValidationError for a stream of no
 * known aggregate, NotFoundError when the stream does not exist
 */
export async function streamStateAsOf(store: EventStore, streamId: string, asOf: Date): Promise<StreamStateAsOf> {
  const fold = FOLDS.find(([prefix]) => streamId.startsWith(prefix))?.[1];
  if (!fold) throw new ValidationError(`stream ${streamId} belongs to no aggregate (node-…, tenant-…, meeting-…)`, 'stream');
  const limit = asOf.getTime();
  let state = fold.initialState();
  let revision: number | null = null;
  let events = 0;
  try {
    for await (const recorded of store.readStream(streamId)) {
      // Joins are appended without reading the stream, so `at` is not strictly monotonic: filter, never stop.
      if (Date.parse(recorded.metadata.at) > limit) continue;
      state = fold.evolve(state, recorded);
      revision = Number(recorded.revision);
      events += 1;
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) throw new NotFoundError(`stream ${streamId} does not exist`);
    throw error;
  }
  return { streamId, aggregate: fold.aggregate, asOf: asOf.toISOString(), revision, events, state: redactSecrets(state) };
}
