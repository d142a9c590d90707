import assert from 'node:assert/strict';
import t from 'tap';
import { filter, map, Observable, takeUntil, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { DomainEvent } from '../../../src/domain/eventCatalogue.js';
import type { RecordProbeResult } from '../../../src/domain/node/commands.js';
import { DEFAULT_HEALTH_THRESHOLDS, type ProbeResult } from '../../../src/domain/node/health.js';
import { DEFAULT_LOAD_MATERIALITY } from '../../../src/domain/node/load.js';
import { fleetProcess, type FleetOptions, type FleetState } from '../../../src/sagas/fleet/fleetProcess.js';
import { offsetOf, pollAnswered, type Polling } from '../../../src/sagas/fleet/polling.js';
import { probeResultCommand } from '../../../src/sagas/fleet/pollReaction.js';
import type { NodeProber, ProbeOutcome, ProbeTarget } from '../../../src/sagas/nodeProber.js';
import { processSteps, type Step } from '../../../src/sagas/process/processSteps.js';

/**
 * The fleet process's poll loop on the runtime's own loop (processSteps), in virtual time: every probe's
 * answer as the RecordProbeResult it makes (result and the streak before it), whether or not the health changes.
 */
function probeResults(events$: Observable<DomainEvent>, prober: NodeProber, options: FleetOptions, scheduler: TestScheduler): Observable<RecordProbeResult> {
  let before = new Map<string, Polling>();
  return processSteps(fleetProcess(options), events$, { callNode: (effect) => prober((effect.call as { target: ProbeTarget }).target), scheduler }).pipe(
    map((step: Step<FleetState>) => {
      const polling = step.input.kind === 'result' ? before.get(step.input.key) : undefined;
      before = new Map(step.state.polls);
      if (step.input.kind !== 'result' || !polling) return undefined;
      return probeResultCommand(pollAnswered(polling, step.input.startedAt, step.input.result, step.input.at).poll, options.thresholds);
    }),
    filter((command): command is RecordProbeResult => command !== undefined),
  );
}

const OK: ProbeOutcome = { ok: true, meetings: [], cpu: null };
const RESET: ProbeOutcome = { ok: false, reason: 'connection', detail: 'ECONNRESET' };

const registered = (nodeId: string): DomainEvent => ({
  type: 'NodeRegistered',
  data: { nodeId, url: `https://${nodeId}.example.com/bigbluebutton/api/`, secret: `s-${nodeId}`, checksumAlgorithm: 'sha512', tags: [], loadFactor: 1 },
});
const admin = (type: 'NodeCordoned' | 'NodeDisabled' | 'NodeEnabled' | 'NodeDecommissioned' | 'NodeRemoved', nodeId: string): DomainEvent =>
  type === 'NodeDisabled' ? { type, data: { nodeId, reason: 'operator' } } : type === 'NodeRemoved' ? { type, data: { nodeId, reason: 'drained' } } : { type, data: { nodeId } };
const healthChanged = (nodeId: string): DomainEvent => ({
  type: 'NodeHealthChanged',
  data: { nodeId, health: 'available', previous: 'unknown', reason: 'probeSucceeded', detail: '' },
});
const tenantRegistered: DomainEvent = { type: 'TenantRegistered', data: { tenant: 'acme' } };

/** Runs the saga in virtual time: 1 frame = 1 ms, interval 10, retry 3, timeout 5 unless given. */
function inVirtualTime(
  body: (helpers: {
    scheduler: TestScheduler;
    run: (events$: Observable<DomainEvent>, prober: NodeProber, overrides?: Partial<FleetOptions>) => Observable<RecordProbeResult>;
  }) => void,
): void {
  const scheduler = new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
  scheduler.run(() =>
    body({
      scheduler,
      run: (events$, prober, overrides = {}) =>
        probeResults(events$, prober, { intervalMs: 10, retryMs: 3, timeoutMs: 5, thresholds: DEFAULT_HEALTH_THRESHOLDS, materiality: DEFAULT_LOAD_MATERIALITY, reconcile: { graceMs: 25 }, ...overrides }, scheduler),
    }),
  );
}

const command = (nodeId: string, result: ProbeResult, failures: number, successes: number): RecordProbeResult => ({
  type: 'RecordProbeResult',
  data: { nodeId, result, streak: { failures, successes }, thresholds: DEFAULT_HEALTH_THRESHOLDS },
});
const ok = (nodeId: string, before: number) => command(nodeId, { ok: true }, 0, before);

t.test('when a node is registered and healthy / it is probed at once, then every interval, with its own address and secret', async (t) => {
  const targets: ProbeTarget[] = [];
  inVirtualTime(({ scheduler, run }) => {
    const events$ = scheduler.createColdObservable<DomainEvent>('a', { a: registered('n1') });
    const prober: NodeProber = (target) => {
      targets.push(target);
      return scheduler.createColdObservable('--(r|)', { r: OK });
    };
    scheduler.expectObservable(run(events$, prober), '^ 30ms !').toBe('--a 9ms b 9ms c', { a: ok('n1', 0), b: ok('n1', 1), c: ok('n1', 2) });
  });
  t.same(targets[0], { nodeId: 'n1', apiUrl: 'https://n1.example.com/bigbluebutton/api/', secret: 's-n1', checksumAlgorithm: 'sha512', loadUrl: null });
});

t.test('when a probe is slower than the interval / the next tick is skipped, probes never overlap', async (t) => {
  let started = 0;
  inVirtualTime(({ scheduler, run }) => {
    const events$ = scheduler.createColdObservable<DomainEvent>('a', { a: registered('n1') });
    const slow: NodeProber = () => {
      started++;
      return scheduler.createColdObservable('15ms (r|)', { r: OK });
    };
    // probes start at 0 and 20 (the tick at 10 falls into the first probe), answers at 15 and 35
    scheduler.expectObservable(run(events$, slow, { timeoutMs: 100 }), '^ 39ms !').toBe('15ms a 19ms b', { a: ok('n1', 0), b: ok('n1', 1) });
  });
  t.equal(started, 2);
});

t.test('when a node hangs / every probe is cut off at the timeout, a timeout failure, and the next starts only then (never two at once)', async () => {
  inVirtualTime(({ scheduler, run }) => {
    const events$ = scheduler.createColdObservable<DomainEvent>('a', { a: registered('n1') });
    const probes = [0, 1, 2, 3].map(() => scheduler.createColdObservable<ProbeOutcome>('-'));
    let i = 0;
    const timedOut: ProbeResult = { ok: false, reason: 'timeout', detail: 'no answer within 5 ms' };
    // each retry starts 3 after the timeout; the third failure (offline) puts the node back on its grid (30)
    scheduler.expectObservable(run(events$, () => probes[i++]!), '^ 36ms !').toBe('5ms a 7ms b 7ms c 13ms d', {
      a: command('n1', timedOut, 0, 0),
      b: command('n1', timedOut, 1, 0),
      c: command('n1', timedOut, 2, 0),
      d: command('n1', timedOut, 3, 0),
    });
    ['^ 4ms !', '8ms ^ 4ms !', '16ms ^ 4ms !', '30ms ^ 4ms !'].forEach((marbles, p) => scheduler.expectSubscriptions(probes[p]!.subscriptions).toBe(marbles));
  });
});

t.test('when a node fails / it is re-probed every retry until the fail threshold makes it offline, then every interval', async () => {
  inVirtualTime(({ scheduler, run }) => {
    const events$ = scheduler.createColdObservable<DomainEvent>('a', { a: registered('n1') });
    const refused: NodeProber = () => scheduler.createColdObservable('(r|)', { r: RESET });
    const reset: ProbeResult = { ok: false, reason: 'connection', detail: 'ECONNRESET' };
    scheduler.expectObservable(run(events$, refused), '^ 25ms !').toBe('a 2ms b 2ms c 3ms d 9ms e', {
      a: command('n1', reset, 0, 0),
      b: command('n1', reset, 1, 0),
      c: command('n1', reset, 2, 0),
      d: command('n1', reset, 3, 0),
      e: command('n1', reset, 4, 0),
    });
  });
});

t.test('when a failing probe is slower than the retry / the retry waits for its end, probes never overlap', async (t) => {
  let running = 0;
  let most = 0;
  inVirtualTime(({ scheduler, run }) => {
    const events$ = scheduler.createColdObservable<DomainEvent>('a', { a: registered('n1') });
    const slowReset: NodeProber = () =>
      new Observable<ProbeOutcome>((subscriber) => {
        most = Math.max(most, ++running);
        const answer = scheduler.schedule(() => (subscriber.next(RESET), subscriber.complete()), 4);
        return () => (running--, answer.unsubscribe());
      });
    const reset: ProbeResult = { ok: false, reason: 'connection', detail: 'ECONNRESET' };
    // starts 0, 7 (end 4 + 3), 14; offline at 18, so the next is the grid tick 20
    scheduler.expectObservable(run(events$, slowReset), '^ 25ms !').toBe('4ms a 6ms b 6ms c 5ms d', {
      a: command('n1', reset, 0, 0),
      b: command('n1', reset, 1, 0),
      c: command('n1', reset, 2, 0),
      d: command('n1', reset, 3, 0),
    });
  });
  t.equal(most, 1, 'one probe at a time');
});

t.test('when a failing node answers again / the next probe is back on its interval grid', async () => {
  inVirtualTime(({ scheduler, run }) => {
    const events$ = scheduler.createColdObservable<DomainEvent>('a', { a: registered('n1') });
    const answers = [RESET, OK, OK, OK];
    let i = 0;
    const prober: NodeProber = () => scheduler.createColdObservable('(r|)', { r: answers[i++]! });
    const reset: ProbeResult = { ok: false, reason: 'connection', detail: 'ECONNRESET' };
    scheduler.expectObservable(run(events$, prober), '^ 25ms !').toBe('a 2ms b 6ms c 9ms d', {
      a: command('n1', reset, 0, 0),
      b: command('n1', { ok: true }, 1, 0),
      c: ok('n1', 1),
      d: ok('n1', 2),
    });
  });
});

t.test('when a node with a spread offset fails and recovers / it returns to its own place in the interval', async (t) => {
  t.equal(offsetOf('n1', 10), 2, 'n1 starts 2 into the interval');
  inVirtualTime(({ scheduler, run }) => {
    const events$ = scheduler.createColdObservable<DomainEvent>('a', { a: registered('n1') });
    const answers = [RESET, RESET, OK, OK];
    let i = 0;
    const prober: NodeProber = () => scheduler.createColdObservable('(r|)', { r: answers[i++]! });
    const reset: ProbeResult = { ok: false, reason: 'connection', detail: 'ECONNRESET' };
    // probes at 2, 5, 8, then 12 (its grid is 2, 12, 22), not 10 or 18
    scheduler.expectObservable(run(events$, prober, { spread: true }), '^ 17ms !').toBe('2ms a 2ms b 2ms c 3ms d', {
      a: command('n1', reset, 0, 0),
      b: command('n1', reset, 1, 0),
      c: command('n1', { ok: true }, 2, 0),
      d: ok('n1', 1),
    });
  });
});

t.test('streaks / each command carries the count of consecutive results before it', async () => {
  inVirtualTime(({ scheduler, run }) => {
    const events$ = scheduler.createColdObservable<DomainEvent>('a', { a: registered('n1') });
    const answers = [OK, OK, RESET, RESET, OK];
    let i = 0;
    const prober: NodeProber = () => scheduler.createColdObservable('(r|)', { r: answers[i++]! });
    const reset: ProbeResult = { ok: false, reason: 'connection', detail: 'ECONNRESET' };
    // the first failure is retried 3 later, and so is the second
    scheduler.expectObservable(run(events$, prober), '^ 28ms !').toBe('a 9ms b 9ms c 2ms d 2ms e', {
      a: ok('n1', 0),
      b: ok('n1', 1),
      c: command('n1', reset, 0, 2),
      d: command('n1', reset, 1, 0),
      e: command('n1', { ok: true }, 2, 0),
    });
  });
});

t.test('when a node is removed / its polling stops, cancelling a probe in flight', async () => {
  inVirtualTime(({ scheduler, run }) => {
    const events$ = scheduler.createColdObservable<DomainEvent>('a 20ms b', { a: registered('n1'), b: admin('NodeRemoved', 'n1') });
    const probes = [0, 10, 20].map(() => scheduler.createColdObservable('3ms (r|)', { r: OK }));
    let i = 0;
    const prober: NodeProber = () => probes[i++]!;
    scheduler.expectObservable(run(events$, prober), '^ 60ms !').toBe('3ms a 9ms b', { a: ok('n1', 0), b: ok('n1', 1) });
    // the third probe starts at 20 and is unsubscribed at 21, before its answer at 23
    scheduler.expectSubscriptions(probes[2]!.subscriptions).toBe('20ms ^ !');
  });
});

t.test('when a node is cordoned, disabled, enabled, decommissioned or its health changes / polling goes on in the same rhythm', async () => {
  inVirtualTime(({ scheduler, run }) => {
    const events$ = scheduler.createColdObservable<DomainEvent>('a 3ms b c d e f', {
      a: registered('n1'),
      b: admin('NodeCordoned', 'n1'),
      c: admin('NodeDisabled', 'n1'),
      d: healthChanged('n1'),
      e: admin('NodeEnabled', 'n1'),
      f: admin('NodeDecommissioned', 'n1'),
    });
    const prober: NodeProber = () => scheduler.createColdObservable('(r|)', { r: OK });
    scheduler.expectObservable(run(events$, prober), '^ 25ms !').toBe('a 9ms b 9ms c', { a: ok('n1', 0), b: ok('n1', 1), c: ok('n1', 2) });
  });
});

t.test('when a second node is registered later / it is probed at once, on its own rhythm', async () => {
  inVirtualTime(({ scheduler, run }) => {
    const events$ = scheduler.createColdObservable<DomainEvent>('a 6ms b', { a: registered('n1'), b: registered('n2'), c: tenantRegistered });
    const prober: NodeProber = () => scheduler.createColdObservable('(r|)', { r: OK });
    scheduler.expectObservable(run(events$, prober), '^ 18ms !').toBe('a 6ms x 2ms b 6ms y', { a: ok('n1', 0), x: ok('n2', 0), b: ok('n1', 1), y: ok('n2', 1) });
  });
});

t.test('when one node\'s prober throws / that probe is a failure, and the other node is unaffected', async () => {
  inVirtualTime(({ scheduler, run }) => {
    const events$ = scheduler.createColdObservable<DomainEvent>('(ab)', { a: registered('bad'), b: registered('good') });
    const prober: NodeProber = (target) =>
      target.nodeId === 'bad' ? throwError(() => new Error('boom')) : scheduler.createColdObservable('(r|)', { r: OK });
    const boom: ProbeResult = { ok: false, reason: 'connection', detail: 'probe failed: boom' };
    // the bad node is retried at 4 and 8 (offline), then back on the grid with the good one
    scheduler.expectObservable(run(events$, prober, { retryMs: 4 }), '^ 15ms !').toBe('(ab) c 3ms d 1ms (ef)', {
      a: command('bad', boom, 0, 0),
      b: ok('good', 0),
      c: command('bad', boom, 1, 0),
      d: command('bad', boom, 2, 0),
      e: command('bad', boom, 3, 0),
      f: ok('good', 1),
    });
  });
});

t.test('on shutdown / polling stops and the probe in flight is cancelled', async () => {
  inVirtualTime(({ scheduler, run }) => {
    const events$ = scheduler.createColdObservable<DomainEvent>('a', { a: registered('n1') });
    const probes = [0, 10].map(() => scheduler.createColdObservable('3ms (r|)', { r: OK }));
    let i = 0;
    const shutdown$ = scheduler.createHotObservable('11ms x');
    const saga$ = run(events$, () => probes[i++]!).pipe(takeUntil(shutdown$));
    scheduler.expectObservable(saga$).toBe('3ms a 7ms |', { a: ok('n1', 0) });
    scheduler.expectSubscriptions(probes[1]!.subscriptions).toBe('10ms ^ !');
  });
});
