import assert from 'node:assert/strict';
import t from 'tap';
import { TestScheduler } from 'rxjs/testing';
import type { DomainEvent } from '../../src/domain/eventCatalogue.js';
import { LimitWatch, type LimitEffect } from '../../src/domain/policy/limitWatch.js';
import { limitsSaga } from '../../src/sagas/limitsSaga.js';

const AT = '2026-12-04T10:00:00.000Z';
const id = (scope: string, meetingID: string) => ({ tenant: 'acme', scope, meetingID });
const created = (meetingID: string, scope = 'acme'): DomainEvent => ({
  type: 'MeetingCreated',
  data: { ...id(scope, meetingID), nodeId: 'n1', nodeMeetingID: `${scope}-${meetingID}`, internalMeetingID: 'i', createTime: 1, attendeePW: null, moderatorPW: null, voiceBridge: '1', dialNumber: '', name: 'R', metadata: {}, params: {} },
});
const polled = (meetingID: string, participantCount: number, scope = 'acme'): DomainEvent => ({
  type: 'MeetingParticipantsChanged',
  data: { ...id(scope, meetingID), nodeId: 'n1', participantCount, moderatorCount: 0, listenerCount: 0, voice: 0, video: 0, running: true, at: AT },
});
const ended = (meetingID: string, scope = 'acme'): DomainEvent => ({ type: 'MeetingEnded', data: { ...id(scope, meetingID), nodeId: 'n1', reason: 'api', evidence: null } });
const limits = (subId: number, meetings: number | null, attendees: number | null): DomainEvent => ({ type: 'TenantLimitsChanged', data: { tenant: 'acme', subId, meetings, attendees, mode: 'hard' } });
const reachedEvent = (limit: 'meetings' | 'attendees', max: number, count: number, subId = 0): DomainEvent => ({ type: 'TenantLimitReached', data: { tenant: 'acme', subId, limit, max, count, at: AT } });

/** given events (folded), when a tick comes, then these effects. */
function given(events: DomainEvent[]) {
  const watch = new LimitWatch();
  for (const event of events) watch.evolve(event);
  return {
    then(expected: LimitEffect[]) {
      assert.deepEqual(watch.react(AT), expected);
      return this;
    },
    and(more: DomainEvent[]) {
      for (const event of more) watch.evolve(event);
      return this;
    },
  };
}

t.test('when polls bring the participants to the limit / records the crossing with the numbers, once', async () => {
  given([limits(0, null, 10), created('a'), polled('a', 10)])
    .then([{ id: 'acme/0/attendees/1', tenant: 'acme', event: { type: 'TenantLimitReached', data: { tenant: 'acme', subId: 0, limit: 'attendees', count: 10, at: AT, max: 10 } } }])
    .and([polled('a', 11)])
    .then([]);
});

t.test('when they fall below again / records the return, numbered after the crossing', async () => {
  given([limits(0, null, 10), created('a'), polled('a', 12), reachedEvent('attendees', 10, 12)])
    .then([])
    .and([polled('a', 4)])
    .then([{ id: 'acme/0/attendees/2', tenant: 'acme', event: { type: 'TenantLimitCleared', data: { tenant: 'acme', subId: 0, limit: 'attendees', count: 4, at: AT, max: 10 } } }]);
});

t.test('when the limit is lifted while reached / records the return with no maximum', async () => {
  given([limits(0, 1, null), created('a'), reachedEvent('meetings', 1, 1), limits(0, null, null)]).then([
    { id: 'acme/0/meetings/2', tenant: 'acme', event: { type: 'TenantLimitCleared', data: { tenant: 'acme', subId: 0, limit: 'meetings', count: 1, at: AT, max: null } } },
  ]);
});

t.test("a sub's limit / is counted on the sub's own meetings", async () => {
  given([limits(7, 1, null), created('a'), created('b', 'acme-007')]).then([
    { id: 'acme/7/meetings/1', tenant: 'acme', event: { type: 'TenantLimitReached', data: { tenant: 'acme', subId: 7, limit: 'meetings', count: 1, at: AT, max: 1 } } },
  ]);
});

t.test('a restart / replaying a log with the crossing already recorded asks for nothing', async () => {
  given([limits(0, 1, null), created('a'), reachedEvent('meetings', 1, 1), ended('a'), { type: 'TenantLimitCleared', data: { tenant: 'acme', subId: 0, limit: 'meetings', max: 1, count: 0, at: AT } }]).then([]);
});

t.test('the saga / reacts once after a burst of events, on the folded whole', async () => {
  const scheduler = new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
  scheduler.run(({ cold, expectObservable }) => {
    const events$ = cold('(abcd)', { a: limits(0, 1, null), b: created('a'), c: reachedEvent('meetings', 1, 1), d: created('b') });
    expectObservable(limitsSaga(events$, () => new Date(AT), scheduler)).toBe('');
    const crossing$ = cold('(ab)-c', { a: limits(0, 1, null), b: created('a'), c: ended('a') });
    expectObservable(limitsSaga(crossing$, () => new Date(AT), scheduler)).toBe('x----y', {
      x: { id: 'acme/0/meetings/1', tenant: 'acme', event: { type: 'TenantLimitReached', data: { tenant: 'acme', subId: 0, limit: 'meetings', count: 1, at: AT, max: 1 } } },
      y: { id: 'acme/0/meetings/1', tenant: 'acme', event: { type: 'TenantLimitCleared', data: { tenant: 'acme', subId: 0, limit: 'meetings', count: 0, at: AT, max: 1 } } },
    });
  });
});
