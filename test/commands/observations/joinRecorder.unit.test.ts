import t from 'tap';
import { JoinRecorder, type JoinRecorderTimer } from '../../../src/commands/observations/joinRecorder.js';
import { meetingStreamId } from '../../../src/domain/streams.js';
import type { MeetingJoined } from '../../../src/domain/meeting/events.js';
import type { AppendResult, NewEvent, Position } from '../../../src/eventstore/port.js';
import { captureLogger, ERROR, WARN } from '../../eventstore/captureLogger.js';

const physics = { tenant: 'acme', scope: 'acme', meetingID: 'physics' };
const chemistry = { tenant: 'acme', scope: 'acme-007', meetingID: 'chemistry' };
const WINDOW_MS = 250;

/** Timers the test fires by hand: no real time passes in these tests. */
class ManualTimer {
  private entries: Array<{ run: () => void; ms: number; cancelled: boolean }> = [];
  readonly timer: JoinRecorderTimer = (run, ms) => {
    const entry = { run, ms, cancelled: false };
    this.entries.push(entry);
    return () => {
      entry.cancelled = true;
    };
  };

  /** The delays of the timers still set. */
  get waiting(): number[] {
    return this.entries.filter((e) => !e.cancelled).map((e) => e.ms);
  }

  fire(): void {
    const due = this.entries.filter((e) => !e.cancelled);
    this.entries = [];
    for (const entry of due) entry.run();
  }
}

/** Keeps what was appended; `failures` appends throw first; `hold` keeps appends pending until released. */
class FakeStore {
  readonly appended: Array<{ streamId: string; event: NewEvent }> = [];
  readonly attempts: string[] = [];
  failures = 0;
  private held: Array<() => void> | undefined;

  hold(): void {
    this.held = [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const go of held) go();
  }

  readonly append = async (streamId: string, events: NewEvent[]): Promise<AppendResult> => {
    if (this.held) await new Promise<void>((resolve) => this.held!.push(resolve));
    this.attempts.push(events[0]!.id);
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('connection reset');
    }
    if (!this.appended.some((a) => a.event.id === events[0]!.id)) this.appended.push({ streamId, event: events[0]! });
    return { nextExpectedRevision: BigInt(this.appended.length), position: `M:${this.appended.length}` as Position };
  };
}

function setup(options: { maxPendingMeetings?: number } = {}) {
  const store = new FakeStore();
  const manual = new ManualTimer();
  const log = captureLogger();
  let clock = Date.parse('2026-11-23T10:00:00.000Z');
  let ids = 0;
  const recorder = new JoinRecorder({
    store,
    logger: log.logger,
    windowMs: WINDOW_MS,
    now: () => new Date(clock),
    newId: () => `id-${++ids}`,
    timer: manual.timer,
    ...options,
  });
  const advance = (ms: number) => (clock += ms);
  const data = () => store.appended.map((a) => ({ streamId: a.streamId, ...(a.event.data as MeetingJoined['data']) }));
  return { store, manual, log, recorder, advance, data };
}

/** Lets the promise chains of the recorder run (no time passes). */
const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
};

t.test('joins within a window / become one MeetingJoined per meeting, with counts by role and the window’s first and last join', async (t) => {
  const { store, manual, recorder, advance, data } = setup();
  recorder.record(physics, 'MODERATOR', 'req-1');
  advance(40);
  recorder.record(physics, 'VIEWER', 'req-2');
  recorder.record(chemistry, 'VIEWER', 'req-3');
  advance(60);
  recorder.record(physics, 'VIEWER', 'req-4');
  t.same(manual.waiting, [WINDOW_MS], 'one timer for the window');
  await settle();
  t.equal(store.attempts.length, 0, 'nothing is appended before the window closes');

  manual.fire();
  await recorder.flush();
  t.same(data(), [
    { streamId: meetingStreamId('acme', 'physics'), ...physics, moderators: 1, viewers: 2, from: '2026-11-23T10:00:00.000Z', to: '2026-11-23T10:00:00.100Z' },
    { streamId: meetingStreamId('acme-007', 'chemistry'), ...chemistry, moderators: 0, viewers: 1, from: '2026-11-23T10:00:00.040Z', to: '2026-11-23T10:00:00.040Z' },
  ]);
  t.match(store.appended[0]!.event, { type: 'MeetingJoined', metadata: { actor: 'tenant:acme', correlationId: 'req-1', causationId: 'req-1', schemaVersion: 2 } });
  t.match(store.appended[1]!.event.metadata, { actor: 'tenant:acme-007', correlationId: 'req-3' });
});

t.test('the next window / starts with the next join and is appended as its own event', async (t) => {
  const { store, manual, recorder, advance, data } = setup();
  recorder.record(physics, 'VIEWER', 'req-1');
  manual.fire();
  await recorder.flush();
  t.same(manual.waiting, [], 'no timer while nothing waits');
  advance(1000);
  recorder.record(physics, 'VIEWER', 'req-2');
  recorder.record(physics, 'MODERATOR', 'req-3');
  t.same(manual.waiting, [WINDOW_MS]);
  manual.fire();
  await recorder.flush();
  t.same(data().map((d) => [d.moderators, d.viewers]), [[0, 1], [1, 1]]);
  t.not(store.appended[0]!.event.id, store.appended[1]!.event.id);
});

t.test('stop / appends the open window at once, and later joins are not recorded', async (t) => {
  const { store, manual, log, recorder, data } = setup();
  recorder.record(physics, 'VIEWER', 'req-1');
  recorder.record(physics, 'VIEWER', 'req-2');
  await recorder.stop();
  t.same(data().map((d) => d.viewers), [2], 'stored without the window timer firing');
  t.same(manual.waiting, [], 'the window timer is cancelled');
  recorder.record(physics, 'VIEWER', 'req-3');
  await recorder.flush();
  t.equal(store.appended.length, 1);
  t.ok(log.lines.some((l) => l.level === WARN && /after stop/.test(l.msg)), 'a join after stop is logged');
});

t.test('a failed append / is logged and retried once with the same event id, then stored once', async (t) => {
  const { store, manual, log, recorder, data } = setup();
  store.failures = 1;
  recorder.record(physics, 'MODERATOR', 'req-1');
  const flushed = recorder.flush();
  await settle();
  t.ok(log.lines.some((l) => l.level === WARN && /retrying once/.test(l.msg) && l.meetingID === 'physics'), 'the failure is logged');
  t.same(manual.waiting, [WINDOW_MS], 'the retry waits for the retry delay');
  manual.fire();
  await flushed;
  t.same(store.attempts.length, 2);
  t.equal(store.attempts[0], store.attempts[1], 'both attempts carry one event id: a first attempt stored after all is not doubled');
  t.same(data().map((d) => d.moderators), [1]);
});

t.test('an append failing twice / is logged as lost and never thrown', async (t) => {
  const { store, manual, log, recorder } = setup();
  store.failures = 2;
  recorder.record(physics, 'VIEWER', 'req-1');
  const flushed = recorder.flush();
  await settle();
  manual.fire();
  await flushed;
  t.equal(store.attempts.length, 2, 'retried once, not more');
  t.equal(store.appended.length, 0);
  t.ok(log.lines.some((l) => l.level === ERROR && /lost/.test(l.msg) && l.viewers === 1));
  recorder.record(physics, 'VIEWER', 'req-2');
  manual.fire();
  await recorder.flush();
  t.equal(store.appended.length, 1, 'the recorder goes on with the next window');
});

t.test('a full window / is appended early; with as many meetings still in flight, further joins are dropped and logged', async (t) => {
  const { store, manual, log, recorder, data } = setup({ maxPendingMeetings: 2 });
  store.hold();
  const m = (i: number) => ({ tenant: 'acme', scope: 'acme', meetingID: `m${i}` });
  recorder.record(m(1), 'VIEWER', 'r');
  recorder.record(m(2), 'VIEWER', 'r');
  recorder.record(m(2), 'VIEWER', 'r');
  recorder.record(m(3), 'VIEWER', 'r');
  await settle();
  t.equal(store.appended.length, 0, 'held by the store');
  recorder.record(m(4), 'VIEWER', 'r');
  recorder.record(m(4), 'MODERATOR', 'r');
  t.same(manual.waiting, [WINDOW_MS], 'the early append started a new window');
  recorder.record(m(5), 'VIEWER', 'r');
  store.release();
  manual.fire();
  await recorder.flush();
  store.release();
  await recorder.flush();
  t.same(data().map((d) => `${d.meetingID}:${d.moderators}/${d.viewers}`).sort(), ['m1:0/1', 'm2:0/2', 'm3:0/1', 'm4:1/1']);
  t.ok(log.lines.some((l) => l.level === WARN && l.dropped === 1), 'the dropped join is logged with the window');
});
