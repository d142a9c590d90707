import t from 'tap';
import { MemoryBlobStore } from '../../../src/blobs/memoryBlobStore.js';
import { createMeeting, type CreateMeetingDeps, type CreateMeetingRequest } from '../../../src/commands/workflows/createMeeting.js';
import type { CommandContext } from '../../../src/commands/decider/handleCommand.js';
import { PlacementReservations } from '../../../src/commands/workflows/placementReservations.js';
import { DEFAULT_LOAD_WEIGHTS } from '../../../src/domain/placement/loadDefaults.js';
import { meetingStreamId } from '../../../src/domain/streams.js';
import type { PlacementNode } from '../../../src/domain/placement/placement.js';
import { MemoryEventStore } from '../../../src/eventstore/memory/memoryEventStore.js';
import type { AppendResult, ExpectedRevision, NewEvent, ReadStreamOptions, RecordedEvent } from '../../../src/eventstore/port.js';
import { parseBbbXml, type BbbNodeClient } from '../../../src/nodes/bbbNodeClient.js';
import { collect } from '../../eventstore/contract/fixtures.js';
import { commandContext } from '../../support/commandContext.js';

/** Counts what a create costs the store: stream reads and appends (with the expected revision each used). */
class CountingStore extends MemoryEventStore {
  reads = 0;
  appends: string[] = [];
  override readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    this.reads += 1;
    return super.readStream(streamId, options);
  }
  override async append(streamId: string, events: NewEvent[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult> {
    this.appends.push(`${events.map((e) => e.type).join('+')}@${String(options?.expectedRevision)}`);
    return super.append(streamId, events, options);
  }
}

const node = (id: string): PlacementNode => ({
  id, apiUrl: `https://${id}.example.com/bigbluebutton/api/`, secret: 's', checksumAlgorithm: 'sha256', adminState: 'enabled', health: 'available', meetings: 0, participants: 0, loadFactor: 1, tags: [],
});

/** A node that creates every meeting it is asked for, and says which node it is. */
const nodeClient: BbbNodeClient = {
  async call(target, _call, params) {
    const meetingID = params.find(([k]) => k === 'meetingID')![1];
    return parseBbbXml(`<response><returncode>SUCCESS</returncode><meetingID>${meetingID}</meetingID><internalMeetingID>int-${meetingID}</internalMeetingID><createTime>1733300000000</createTime><voiceBridge>70001</voiceBridge><dialNumber></dialNumber><attendeePW>ap</attendeePW><moderatorPW>mp</moderatorPW><message>${target.apiUrl}</message></response>`);
  },
};

let commands = 0;
const context = (): CommandContext => commandContext({ actor: 'tenant:acme', now: new Date('2026-12-04T10:00:00Z'), commandId: `cmd-${++commands}` });

function deps(store: CountingStore): CreateMeetingDeps {
  const nodes = [node('n1'), node('n2')];
  return {
    store,
    blobs: new MemoryBlobStore(),
    nodeClient,
    nodesForPlacement: async () => nodes,
    nodeById: async (id) => nodes.find((n) => n.id === id),
    loadWeights: DEFAULT_LOAD_WEIGHTS,
    reservations: new PlacementReservations(300_000, () => Date.parse('2026-12-04T10:00:00Z')),
    // No node directory here: a placement stays reserved until it cools down.
    nodeDirectoryCaughtUp: () => new Promise<void>(() => {}),
    tenantRequiredTags: () => [],
  };
}

const request = (meetingID: string): CreateMeetingRequest => ({ tenant: 'acme', scope: 'acme', meetingID, params: [['name', 'Room'], ['meetingID', meetingID]], transport: { kind: 'query' } });

t.test('a first create of a meeting / appends with "no stream" and then after its own revision, reading nothing', async (t) => {
  const store = new CountingStore();
  const outcome = await createMeeting(deps(store), request('room-1'), context);
  t.equal(outcome.kind, 'answered');
  t.equal(store.reads, 0, 'no stream read');
  t.same(store.appends, ['MeetingPlaced@no_stream', 'MeetingCreated@0']);
});

t.test('a repeated create of a running meeting / the assumed "no stream" conflicts once, the stream is read, the same node answers', async (t) => {
  const store = new CountingStore();
  const d = deps(store);
  const first = await createMeeting(d, request('room-2'), context);
  store.appends = [];
  const again = await createMeeting(d, request('room-2'), context);
  t.equal(again.kind, 'answered');
  t.equal(first.kind === 'answered' && again.kind === 'answered' && again.xml, first.kind === 'answered' && first.xml, 'the node it runs on answers again');
  t.equal(store.reads, 2, 'read once by PlaceMeeting after the conflict, once by RecordMeetingCreated after its refusal on the assumed state');
  const types = (await collect(store.readStream(meetingStreamId('acme', 'room-2')))).map((e) => e.type);
  t.same(types, ['MeetingPlaced', 'MeetingCreated'], 'nothing new stored for a create of a running meeting');
});
