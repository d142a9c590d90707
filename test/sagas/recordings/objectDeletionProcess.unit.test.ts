import t from 'tap';
import type { DomainEvent } from '../../../src/domain/eventCatalogue.js';
import {
  deletionFailed,
  evolveObjectDeletion,
  initialObjectDeletionView,
  reactToObjectDeletion,
  type ObjectDeletionInput,
} from '../../../src/sagas/recordings/objectDeletionProcess.js';
import { imported, owner, recordId } from '../../domain/recording/recordingFixtures.js';

/** given(events) / when(input) / then(effects): the view is always the fold of the given events. */
const fold = (events: DomainEvent[]) => events.reduce(evolveObjectDeletion, initialObjectDeletionView());
const given = (events: DomainEvent[]) => ({ when: (input: ObjectDeletionInput) => reactToObjectDeletion(fold(events), input) });
const look: ObjectDeletionInput = { kind: 'tick', now: 1_000 };
const deleted: DomainEvent = { type: 'RecordingDeleted', data: { ...owner, reason: 'api' } };
const expired: DomainEvent = { type: 'RecordingExpired', data: { ...owner, retentionDays: 3 } };
const confirmed = (generation: number): DomainEvent => ({ type: 'RecordingObjectsDeleted', data: { ...owner, objects: 4, generation } });
const discarded: DomainEvent = { type: 'RecordingRenderDiscarded', data: { ...owner, profile: 'video', file: { path: `${recordId}.mp4`, bytes: 9, sha256: 'a' } } };
const deletion = (generation: number) => ({ kind: 'deleteObjects', id: `${recordId}:${generation}`, owner, generation });

t.test('given a deleted or expired recording / when a look comes / then its objects are deleted, with a stable id', async (t) => {
  t.same(given([imported(), deleted]).when(look), [deletion(1)]);
  t.same(given([imported(), expired]).when(look), [deletion(1)]);
});

t.test('given a recording that exists / then nothing is deleted', async (t) => {
  t.same(given([imported()]).when(look), []);
  t.same(given([imported(), deleted]).when({ kind: 'event', event: deleted }), [], 'only looks act');
});

t.test('given the deletion confirmed / then nothing more, after a restart too (the fold is the same)', async (t) => {
  t.same(given([imported(), deleted, confirmed(1)]).when(look), []);
});

t.test('given a render discarded after the deletion / then the objects are deleted again, as the next generation', async (t) => {
  t.same(given([imported(), deleted, confirmed(1), discarded]).when(look), [deletion(2)]);
  t.same(given([imported(), deleted, confirmed(1), discarded, confirmed(2)]).when(look), []);
});

t.test('given a render discarded while the first deletion ran / then its confirmation does not cover it', async (t) => {
  t.same(given([imported(), deleted, discarded, confirmed(1)]).when(look), [deletion(2)]);
});

t.test('given an upload of the deleted recording refused after its files were stored / then they are deleted too', async (t) => {
  const refused = (reason: 'recordingDeleted' | 'badArchive'): DomainEvent => ({ type: 'RecordingImportFailed', data: { importId: 'i2', reason, detail: 'd', recordIds: [recordId], quarantineKey: null } });
  t.same(given([imported(), deleted, confirmed(1), refused('recordingDeleted')]).when(look), [deletion(2)]);
  t.same(given([imported(), deleted, confirmed(1), refused('badArchive')]).when(look), [], 'another refusal stored nothing of it');
  t.same(given([imported(), refused('recordingDeleted')]).when(look), [], 'a recording it never saw go owes nothing');
});

t.test('given a failed try / then the recording waits out its backoff, then is tried again', async (t) => {
  const view = fold([imported(), deleted]);
  deletionFailed(view, recordId, 1_000, 5_000);
  t.same(reactToObjectDeletion(view, { kind: 'tick', now: 5_999 }), []);
  t.same(reactToObjectDeletion(view, { kind: 'tick', now: 6_000 }), [deletion(1)]);
  t.equal(view.get(recordId)!.attempts, 1);
  evolveObjectDeletion(view, discarded);
  t.same(reactToObjectDeletion(view, { kind: 'tick', now: 1_000 }), [deletion(2)], 'a new generation is tried at once');
});
