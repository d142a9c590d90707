import type { MeetingEvent } from '../meeting/events.js';
import type { CatalogueEntries, Fields } from './fields.js';

const meetingIdentity = (data: Fields) => ({ tenant: data.string('tenant'), scope: data.string('scope'), meetingID: data.string('meetingID') });

/**
 * The meeting identity followed by `rest`. Not `{ ...meetingIdentity(data), ...rest }`: Node 20's V8 builds an
 * object literal that adds properties after a spread on a slow path (~1–3 µs each), and every meeting event
 * of a replay is decoded here (docs/benchmarks.md, rebuild).
 */
const identified = <T extends object>(data: Fields, rest: T) => Object.assign(meetingIdentity(data), rest);
const CREATE_FAILURE_REASONS = ['timeout', 'connection', 'http', 'badXml', 'checksumError', 'nodeError'] as const;
const CREATE_ABANDON_REASONS = ['noNodeAvailable', 'nodeRefused', 'serverTagUnavailable'] as const;
const JOIN_ROLES = ['MODERATOR', 'VIEWER'] as const;
const MEETING_END_REASONS = ['api', 'node', 'reconciliation', 'limit', 'failover'] as const;

/** What a node answered to a create: in MeetingCreated, and again in MeetingMoved for the new node. */
const nodeAnswer = (data: Fields) => ({
  nodeMeetingID: data.string('nodeMeetingID'),
  internalMeetingID: data.string('internalMeetingID'),
  createTime: data.number('createTime'),
  attendeePW: data.nullableString('attendeePW'),
  moderatorPW: data.nullableString('moderatorPW'),
  voiceBridge: data.string('voiceBridge'),
  dialNumber: data.string('dialNumber'),
  name: data.string('name'),
  metadata: data.stringRecord('metadata'),
});

export const MEETING_ENTRIES: CatalogueEntries<MeetingEvent> = {
  MeetingPlaced: {
    schemaVersion: 1,
    parse: (data) => {
      const body = data.nullableObject('body');
      return identified(data, {
        nodeId: data.string('nodeId'),
        nodeMeetingID: data.string('nodeMeetingID'),
        params: data.stringRecord('params'),
        body: body && { ref: body.string('ref'), contentType: body.string('contentType'), size: body.number('size') },
      });
    },
  },
  MeetingCreated: {
    // v2 adds the parameters the node got; a v1 event has them only in its MeetingPlaced (read as null).
    schemaVersion: 2,
    parse: (data) => identified(data, Object.assign({ nodeId: data.string('nodeId') }, nodeAnswer(data), { params: data.nullableStringRecord('params') })),
  },
  MeetingCreateFailed: {
    schemaVersion: 1,
    parse: (data) => identified(data, { nodeId: data.string('nodeId'), reason: data.oneOf('reason', CREATE_FAILURE_REASONS), detail: data.string('detail') }),
  },
  MeetingCreateAbandoned: {
    schemaVersion: 1,
    parse: (data) => identified(data, { reason: data.oneOf('reason', CREATE_ABANDON_REASONS), triedNodeIds: data.strings('triedNodeIds') }),
  },
  MeetingCreateRefused: {
    schemaVersion: 1,
    parse: (data) => identified(data, { reason: data.oneOf('reason', ['serverFull'] as const), detail: data.string('detail') }),
  },
  MeetingJoined: {
    // v2 counts a window of joins; a v1 event was one join with its role and time.
    schemaVersion: 2,
    parse: (data, version) => {
      if (version === 1) {
        const moderator = data.oneOf('role', JOIN_ROLES) === 'MODERATOR';
        const at = data.string('at');
        return identified(data, { moderators: moderator ? 1 : 0, viewers: moderator ? 0 : 1, from: at, to: at });
      }
      return identified(data, { moderators: data.count('moderators'), viewers: data.count('viewers'), from: data.string('from'), to: data.string('to') });
    },
  },
  MeetingParticipantsChanged: {
    schemaVersion: 1,
    parse: (data) =>
      identified(data, {
        nodeId: data.string('nodeId'),
        participantCount: data.number('participantCount'),
        moderatorCount: data.number('moderatorCount'),
        listenerCount: data.number('listenerCount'),
        voice: data.number('voice'),
        video: data.number('video'),
        running: data.boolean('running'),
        at: data.string('at'),
      }),
  },
  MeetingMoved: {
    schemaVersion: 1,
    parse: (data) =>
      identified(data, Object.assign({ from: data.string('from'), to: data.string('to'), cause: data.oneOf('cause', ['nodeOffline'] as const) }, nodeAnswer(data))),
  },
  MeetingEnded: {
    // `evidence` came with reconciliation; absent reads as null (no evidence was recorded).
    schemaVersion: 1,
    parse: (data) => {
      const evidence = data.nullableObject('evidence');
      return identified(data, {
        nodeId: data.nullableString('nodeId'),
        reason: data.oneOf('reason', MEETING_END_REASONS),
        evidence: evidence && { observedAt: evidence.string('observedAt'), lastSeenAt: evidence.nullableString('lastSeenAt'), detail: evidence.string('detail') },
      });
    },
  },
};
