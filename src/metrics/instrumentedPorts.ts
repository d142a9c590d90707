import { defer, finalize, tap } from 'rxjs';
import { WrongExpectedVersionError } from '../eventstore/errors.js';
import type { EventStore } from '../eventstore/port.js';
import type { BbbNodeClient } from '../nodes/bbbNodeClient.js';
import type { NodeProber } from '../sagas/nodeProber.js';
import type { Metrics } from './registry.js';

const secondsSince = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e9;

/** The event store with append latency and conflicts measured; everything else passes through untouched. */
export function instrumentedEventStore(store: EventStore, metrics: Metrics): EventStore {
  return {
    get kind() {
      return store.kind;
    },
    async append(streamId, events, options) {
      const started = process.hrtime.bigint();
      try {
        const result = await store.append(streamId, events, options);
        metrics.appendDuration.observe({ outcome: 'success' }, secondsSince(started));
        return result;
      } catch (error) {
        const conflict = error instanceof WrongExpectedVersionError;
        if (conflict) metrics.appendConflicts.inc();
        metrics.appendDuration.observe({ outcome: conflict ? 'conflict' : 'failure' }, secondsSince(started));
        throw error;
      }
    },
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    subscribe: (options) => store.subscribe(options),
    deleteStream: (streamId, options) => store.deleteStream(streamId, options),
    tombstoneStream: (streamId, options) => store.tombstoneStream(streamId, options),
    close: () => store.close(),
    ...(store.availability ? { availability: () => store.availability!() } : {}),
  };
}

/** Calls to nodes timed per node, call and outcome (`failed:<reason>`, or a FAILED answer's messageKey). */
export function instrumentedNodeClient(client: BbbNodeClient, metrics: Metrics): BbbNodeClient {
  return {
    async call(node, call, params, options) {
      const started = process.hrtime.bigint();
      const result = await client.call(node, call, params, options);
      const outcome = result.kind === 'failed' ? `failed:${result.reason}` : result.doc.returncode === 'SUCCESS' ? 'success' : 'failed:answer';
      const seconds = secondsSince(started);
      metrics.nodeCallDuration.observe({ call, outcome }, seconds);
      metrics.nodeCalls.inc({ node: node.id, call, outcome });
      metrics.nodeCallSeconds.inc({ node: node.id, call }, seconds);
      return result;
    },
  };
}

/** Probes timed per node; failures counted by reason. A probe cut off (timeout, stop) is not observed. */
export function instrumentedProber(prober: NodeProber, metrics: Metrics): NodeProber {
  return (target) =>
    defer(() => {
      const started = process.hrtime.bigint();
      let done = false;
      return prober(target).pipe(
        tap((outcome) => {
          done = true;
          const seconds = secondsSince(started);
          metrics.pollDuration.observe({ outcome: outcome.ok ? 'success' : 'failure' }, seconds);
          metrics.pollSeconds.inc({ node: target.nodeId }, seconds);
          if (!outcome.ok) metrics.pollFailures.inc({ node: target.nodeId, reason: outcome.reason });
        }),
        finalize(() => {
          if (!done) metrics.pollFailures.inc({ node: target.nodeId, reason: 'cancelled' });
        }),
      );
    });
}
