import t from 'tap';
import { IllegalStateError, NotFoundError } from '../../../src/domain/errors.js';
import type { NodeCommand, RecordProbeResult } from '../../../src/domain/node/commands.js';
import { decide } from '../../../src/domain/node/decide.js';
import type { NodeEvent, NodeHealthChanged } from '../../../src/domain/node/events.js';
import {
  DEFAULT_HEALTH_THRESHOLDS,
  NO_STREAK,
  nextHealth,
  type HealthTrack,
  type NodeHealth,
  type ProbeResult,
  type ProbeStreak,
} from '../../../src/domain/node/health.js';
import { evolve, initialState } from '../../../src/domain/node/state.js';
import { deciderSpec } from '../../support/deciderSpec.js';

const OK: ProbeResult = { ok: true };
const TIMEOUT: ProbeResult = { ok: false, reason: 'timeout', detail: 'no answer within 5000 ms' };
const thresholds = DEFAULT_HEALTH_THRESHOLDS;

/** Folds results through nextHealth from a starting health, returning the health after each one. */
function healthsAfter(start: NodeHealth, results: ProbeResult[]): NodeHealth[] {
  let track: HealthTrack = { health: start, ...NO_STREAK };
  return results.map((result) => (track = nextHealth(track, result, thresholds)).health);
}

const times = (n: number, result: ProbeResult): ProbeResult[] => Array.from({ length: n }, () => result);

t.test('nextHealth (fail 3, recover 5)', async (t) => {
  t.test('when unknown / the first success makes it available at once', async (t) => {
    t.same(healthsAfter('unknown', [OK]), ['available']);
  });
  t.test('when unknown / failures keep it unknown, the third makes it offline (never unstable: it was never stable)', async (t) => {
    t.same(healthsAfter('unknown', times(4, TIMEOUT)), ['unknown', 'unknown', 'offline', 'offline']);
  });
  t.test('when available / the first failure makes it unstable, the third consecutive offline', async (t) => {
    t.same(healthsAfter('available', times(3, TIMEOUT)), ['unstable', 'unstable', 'offline']);
  });
  t.test('when available / successes keep it available', async (t) => {
    t.same(healthsAfter('available', times(3, OK)), ['available', 'available', 'available']);
  });
  t.test('when unstable / a success in between restarts the failure count', async (t) => {
    t.same(healthsAfter('available', [TIMEOUT, TIMEOUT, OK, TIMEOUT, TIMEOUT, TIMEOUT]), ['unstable', 'unstable', 'unstable', 'unstable', 'unstable', 'offline']);
  });
  t.test('when unstable / five consecutive successes make it available again', async (t) => {
    t.same(healthsAfter('unstable', times(5, OK)), ['unstable', 'unstable', 'unstable', 'unstable', 'available']);
  });
  t.test('when offline / it stays offline until five consecutive successes (no unstable step)', async (t) => {
    t.same(healthsAfter('offline', times(5, OK)), ['offline', 'offline', 'offline', 'offline', 'available']);
  });
  t.test('when offline / a failure among the successes restarts the recovery count', async (t) => {
    t.same(healthsAfter('offline', [OK, OK, OK, OK, TIMEOUT, ...times(5, OK)]).at(-1), 'available');
    t.same(healthsAfter('offline', [OK, OK, OK, OK, TIMEOUT, ...times(4, OK)]).at(-1), 'offline');
  });
  t.test('counts consecutive results of one kind', async (t) => {
    const after = nextHealth({ health: 'unstable', failures: 2, successes: 0 }, OK, thresholds);
    t.same(after, { health: 'unstable', failures: 0, successes: 1 });
  });
  t.test('with thresholds of 1 / one failure is offline and one success is back', async (t) => {
    const one = { failThreshold: 1, recoverThreshold: 1 };
    t.equal(nextHealth({ health: 'available', ...NO_STREAK }, TIMEOUT, one).health, 'offline');
    t.equal(nextHealth({ health: 'offline', ...NO_STREAK }, OK, one).health, 'available');
  });
});

const spec = deciderSpec<NodeCommand, NodeEvent, ReturnType<typeof initialState>>({ decide, evolve, initialState });
const registered: NodeEvent = {
  type: 'NodeRegistered',
  data: { nodeId: 'n1', url: 'https://bbb1.example.com/bigbluebutton/api/', secret: 's', checksumAlgorithm: 'sha256', tags: [], loadFactor: 1 },
};
const healthChanged = (previous: NodeHealth, health: NodeHealthChanged['data']['health'], result: ProbeResult = TIMEOUT, detail?: string): NodeHealthChanged => ({
  type: 'NodeHealthChanged',
  data: result.ok
    ? { nodeId: 'n1', health, previous, reason: 'probeSucceeded', detail: detail ?? '1 consecutive successful probe(s)' }
    : { nodeId: 'n1', health, previous, reason: result.reason, detail: result.detail },
});
const probe = (result: ProbeResult, streak: ProbeStreak = NO_STREAK): RecordProbeResult => ({
  type: 'RecordProbeResult',
  data: { nodeId: 'n1', result, streak, thresholds },
});

t.test('RecordProbeResult', async (t) => {
  t.test('when the node is unknown to the log / should answer not found', async () => {
    spec.given([]).when(probe(OK)).thenThrows(NotFoundError, /not registered/);
  });
  t.test('when a new node answers its first probe / should become available', async () => {
    spec.given([registered]).when(probe(OK)).then([healthChanged('unknown', 'available', OK)]);
  });
  t.test('when an available node answers again / should record nothing (no event per poll)', async () => {
    spec.given([registered, healthChanged('unknown', 'available', OK)]).when(probe(OK, { failures: 0, successes: 7 })).thenNothingHappens();
  });
  t.test('when an available node fails once / should become unstable with the reason and detail', async () => {
    spec.given([registered, healthChanged('unknown', 'available', OK)]).when(probe(TIMEOUT)).then([healthChanged('available', 'unstable')]);
  });
  t.test('when an unstable node fails a second time / should record nothing', async () => {
    const history = [registered, healthChanged('unknown', 'available', OK), healthChanged('available', 'unstable')];
    spec.given(history).when(probe(TIMEOUT, { failures: 1, successes: 0 })).thenNothingHappens();
  });
  t.test('when an unstable node fails the third time in a row / should become offline with the last reason', async () => {
    const history = [registered, healthChanged('unknown', 'available', OK), healthChanged('available', 'unstable')];
    const reset: ProbeResult = { ok: false, reason: 'connection', detail: 'ECONNRESET' };
    spec.given(history).when(probe(reset, { failures: 2, successes: 0 })).then([healthChanged('unstable', 'offline', reset)]);
  });
  t.test('when an offline node answers the fifth time in a row / should become available', async () => {
    const history = [registered, healthChanged('unknown', 'offline')];
    spec.given(history).when(probe(OK, { failures: 0, successes: 3 })).thenNothingHappens();
    spec.given(history).when(probe(OK, { failures: 0, successes: 4 })).then([healthChanged('offline', 'available', OK, '5 consecutive successful probe(s)')]);
  });
  t.test('when a new node never answers / should stay unknown, then be offline after the third failure', async () => {
    spec.given([registered]).when(probe(TIMEOUT, { failures: 1, successes: 0 })).thenNothingHappens();
    spec.given([registered]).when(probe(TIMEOUT, { failures: 2, successes: 0 })).then([healthChanged('unknown', 'offline')]);
  });
  t.test('every failure reason is carried into the event', async () => {
    for (const reason of ['timeout', 'connection', 'http', 'checksumError', 'badXml'] as const) {
      const result: ProbeResult = { ok: false, reason, detail: `detail of ${reason}` };
      spec.given([registered, healthChanged('unknown', 'available', OK)]).when(probe(result)).then([healthChanged('available', 'unstable', result)]);
    }
  });
  t.test('when the node is cordoned or disabled / health is still tracked', async () => {
    spec.given([registered, { type: 'NodeDisabled', data: { nodeId: 'n1', reason: 'operator' } }]).when(probe(OK)).then([healthChanged('unknown', 'available', OK)]);
    spec.given([registered, { type: 'NodeCordoned', data: { nodeId: 'n1' } }]).when(probe(OK)).then([healthChanged('unknown', 'available', OK)]);
  });
  t.test('when the node is decommissioned / health is still tracked while its meetings drain', async () => {
    spec.given([registered, { type: 'NodeDecommissioned', data: { nodeId: 'n1' } }]).when(probe(OK)).then([healthChanged('unknown', 'available', OK)]);
  });
  t.test('when the node is removed / a late probe result records nothing', async () => {
    const removed: NodeEvent[] = [{ type: 'NodeDecommissioned', data: { nodeId: 'n1' } }, { type: 'NodeRemoved', data: { nodeId: 'n1', reason: 'drained' } }];
    spec.given([registered, ...removed]).when(probe(OK)).thenNothingHappens();
  });
  t.test('the health comes from the log, not from the saga: a restarted saga (streak 0) still sees offline', async () => {
    spec.given([registered, healthChanged('unknown', 'offline')]).when(probe(OK)).thenNothingHappens();
  });
  t.test('DecommissionNode on a decommissioned node / does nothing; other admin commands refuse', async () => {
    const history = [registered, { type: 'NodeDecommissioned', data: { nodeId: 'n1' } } as NodeEvent];
    spec.given(history).when({ type: 'DecommissionNode', data: { nodeId: 'n1' } }).thenNothingHappens();
    spec.given(history).when({ type: 'EnableNode', data: { nodeId: 'n1' } }).thenThrows(IllegalStateError);
  });
});
