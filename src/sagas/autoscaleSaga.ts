import { v5 as uuidv5 } from 'uuid';
import { abortableSleep } from '../abortableSleep.js';
import { AUTOSCALE_STREAM, type AutoscaleRecommendation } from '../domain/autoscale/events.js';
import { evolveAutoscale, INITIAL_AUTOSCALE_STATE, reactToTick, recommend, type AutoscaleNode, type AutoscalePolicy, type AutoscaleState } from '../domain/autoscale/recommend.js';
import { decodeEvent, schemaVersionOf } from '../domain/eventCatalogue.js';
import { StreamNotFoundError, WrongExpectedVersionError } from '../eventstore/errors.js';
import type { EventStore } from '../eventstore/port.js';
import type { Logger } from '../logging.js';
import { deliverRecommendation, type AutoscaleWebhookConfig } from './autoscaleWebhook.js';
import type { RunningSaga } from './runSaga.js';
import { AUTOSCALE_NAMESPACE } from '../domain/ids.js';

export const AUTOSCALE_SAGA = 'autoscale';
const ACTOR = `saga:${AUTOSCALE_SAGA}`;
/** Event ids from the stream revision they are appended at: a retried append of one change stores it once. */

export interface AutoscaleSagaOptions {
  store: EventStore;
  logger: Logger;
  policy: AutoscalePolicy;
  /** `AUTOSCALE_INTERVAL_MS`: how often the fleet is looked at; the first look is one interval after the start. */
  intervalMs: number;
  nodes(): AutoscaleNode[];
  now(): Date;
  /** The lease's fence: nothing is appended or sent once it may have expired. */
  stillHolds(): boolean;
  webhook: AutoscaleWebhookConfig | undefined;
  /** Every look's recommendation (the gauges), recorded or not. */
  onRecommendation(recommendation: AutoscaleRecommendation): void;
}

interface Folded {
  state: AutoscaleState;
  revision: bigint | undefined;
}

/**
 * The autoscale process: every interval, the fleet's recommendation; when it changed (and the cool-down is
 * over) an AutoscaleRecommendationChanged with the numbers behind it, then the signed webhook. The state is
 * the stream's last event, read again after a conflict.
 */
export function runAutoscaleSaga(options: AutoscaleSagaOptions): RunningSaga {
  const { store, logger, policy } = options;
  const log = logger.child({ saga: AUTOSCALE_SAGA });
  const stopping = new AbortController();
  const loop = (async () => {
    let folded = await readState(store);
    while (!stopping.signal.aborted) {
      await abortableSleep(options.intervalMs, stopping.signal);
      if (stopping.signal.aborted || !options.stillHolds()) break;
      try {
        folded = await look(folded);
      } catch (error) {
        log.error({ err: error }, 'autoscale: looking at the fleet failed; trying again next interval');
        folded = await readState(store).catch(() => folded);
      }
    }
  })();

  async function look(folded: Folded): Promise<Folded> {
    const nodes = options.nodes();
    const now = options.now();
    options.onRecommendation(recommend(nodes, policy));
    const event = reactToTick(folded.state, nodes, policy, now.getTime());
    if (!event) return folded;
    const revision = folded.revision === undefined ? 0n : folded.revision + 1n;
    const id = uuidv5(`${AUTOSCALE_STREAM}:${revision}`, AUTOSCALE_NAMESPACE);
    const metadata = { actor: ACTOR, correlationId: id, causationId: id, at: now.toISOString(), schemaVersion: schemaVersionOf(event.type) };
    try {
      await store.append(AUTOSCALE_STREAM, [{ id, type: event.type, data: event.data, metadata }], { expectedRevision: folded.revision ?? 'no_stream' });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return readState(store);
      throw error;
    }
    const { recommendation, desiredNodes, utilisation, reason, removeNodeId } = event.data;
    log.info({ eventId: id, correlationId: id, recommendation, desiredNodes, utilisation, reason, removeNodeId }, `autoscale: recommendation ${recommendation > 0 ? '+1' : recommendation}, ${desiredNodes} nodes (${reason})`);
    if (options.webhook) void deliverRecommendation(options.webhook, id, { type: event.type, at: metadata.at, ...event.data }, log, stopping.signal);
    return { state: evolveAutoscale(folded.state, event, now.getTime()), revision };
  }

  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}

async function readState(store: EventStore): Promise<Folded> {
  try {
    for await (const recorded of store.readStream(AUTOSCALE_STREAM, { direction: 'backwards', maxCount: 1 })) {
      const event = decodeEvent(recorded);
      if (event.type !== 'AutoscaleRecommendationChanged') throw new Error(`${AUTOSCALE_STREAM} holds a ${event.type}: only AutoscaleRecommendationChanged belongs there`);
      return { state: evolveAutoscale(INITIAL_AUTOSCALE_STATE, event, Date.parse(recorded.metadata.at)), revision: recorded.revision };
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return { state: INITIAL_AUTOSCALE_STATE, revision: undefined };
}
