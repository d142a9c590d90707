import t from 'tap';
import { AvailabilityMonitor, isOutage } from '../src/availability.js';
import { StoreUnavailableError } from '../src/eventstore/errors.js';
import { captureLogger } from './eventstore/captureLogger.js';

t.test('when a store fails many times and comes back / one warning when it goes down, one line when it is back', async (t) => {
  const { logger, lines } = captureLogger();
  let now = new Date('2026-12-04T10:00:00Z');
  const monitor = new AvailabilityMonitor(logger, 'event store (postgres)', 'Check PostgreSQL.', () => now);
  monitor.succeeded();
  for (let i = 0; i < 50; i++) monitor.failed(new Error('Query read timeout'));
  t.same(monitor.current(), { available: false, since: '2026-12-04T10:00:00.000Z', reason: 'Query read timeout' });
  now = new Date('2026-12-04T10:00:12Z');
  for (let i = 0; i < 50; i++) monitor.succeeded();
  t.same(monitor.current(), { available: true });
  t.same(lines.map((l) => [l.level, l.msg]), [
    [40, 'event store (postgres) is unavailable (Query read timeout); requests that need it are refused until it answers again. Check PostgreSQL.'],
    [30, 'event store (postgres) is available again after 12 s'],
  ]);
});

t.test('when a call fails for a reason of its own / observe rethrows it and the store stays available', async (t) => {
  const { logger } = captureLogger();
  const monitor = new AvailabilityMonitor(logger, 'Redis', 'Check Redis.');
  await t.rejects(monitor.observe(Promise.reject(new Error('WRONGTYPE Operation against a key')), isOutage), /WRONGTYPE/);
  t.same(monitor.current(), { available: true });
  await t.rejects(monitor.observe(Promise.reject(new Error('Command timed out')), isOutage), /timed out/);
  t.equal(monitor.current().available, false);
  t.equal(await monitor.observe(Promise.resolve(7), isOutage), 7);
  t.equal(monitor.current().available, true);
});

t.test('when a call sent before an outage answers after it began / the outage goes on, logged once', async (t) => {
  const { logger, lines } = captureLogger();
  const monitor = new AvailabilityMonitor(logger, 'event store (postgres)', 'Check PostgreSQL.');
  let answerLate!: (value: number) => void;
  const late = monitor.observe(new Promise<number>((resolve) => (answerLate = resolve)), isOutage);
  await t.rejects(monitor.observe(Promise.reject(new Error('Connection terminated unexpectedly')), isOutage));
  answerLate(1);
  t.equal(await late, 1);
  t.equal(monitor.current().available, false, 'the late answer of an earlier call does not end the outage');
  await t.rejects(monitor.observe(Promise.reject(new Error('connect ECONNREFUSED')), isOutage));
  t.equal(await monitor.observe(Promise.resolve(2), isOutage), 2);
  t.equal(monitor.current().available, true, 'a call sent during the outage that answers ends it');
  t.same(lines.map((l) => l.level), [40, 30], 'one warning, one recovery');
});

t.test('isOutage / tells the way to a store failing from a request failing', async (t) => {
  const coded = (message: string, code: string) => Object.assign(new Error(message), { code });
  const outages = [
    new StoreUnavailableError('postgres', new Error('x')),
    coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
    coded('terminating connection due to administrator command', '57P01'),
    coded('the database system is starting up', '57P03'),
    coded('sorry, too many clients already', '53300'),
    new Error('Query read timeout'),
    new Error('timeout exceeded when trying to connect'),
    new Error('Connection terminated unexpectedly'),
    new Error('Command timed out'),
    new Error('Connection is closed.'),
    Object.assign(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded'), { type: 'deadline-exceeded' }),
    Object.assign(new Error('14 UNAVAILABLE: No connection established'), { type: 'unavailable' }),
  ];
  for (const error of outages) t.ok(isOutage(error), error.message);
  const requests = [
    coded('duplicate key value violates unique constraint', '23505'),
    coded('unsupported Unicode escape sequence', '22P05'),
    new TypeError('Cannot read properties of undefined'),
    Object.assign(new Error('Wrong expected version'), { type: 'wrong-expected-version' }),
    'Query read timeout',
    undefined,
  ];
  for (const error of requests) t.notOk(isOutage(error), String(error instanceof Error ? error.message : error));
});
