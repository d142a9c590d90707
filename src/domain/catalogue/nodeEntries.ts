import { ALL_CHECKSUM_ALGORITHMS } from '../bbb/checksum.js';
import type { NodeEvent } from '../node/events.js';
import type { CatalogueEntries, Fields } from './fields.js';

const nodeIdOnly = (data: Fields) => ({ nodeId: data.string('nodeId') });

export const NODE_ENTRIES: CatalogueEntries<NodeEvent> = {
  NodeRegistered: {
    // v2 added checksumAlgorithm; v1 nodes were never called by us, so they get the default.
    schemaVersion: 2,
    parse: (data, version) => ({
      nodeId: data.string('nodeId'),
      url: data.string('url'),
      secret: data.string('secret'),
      checksumAlgorithm: version === 1 ? 'sha256' : data.oneOf('checksumAlgorithm', ALL_CHECKSUM_ALGORITHMS),
      tags: data.strings('tags'),
      loadFactor: data.number('loadFactor'),
    }),
  },
  NodeEnabled: { schemaVersion: 1, parse: nodeIdOnly },
  NodeCordoned: { schemaVersion: 1, parse: nodeIdOnly },
  // Written without a reason before the drain saga existed: those were all operators' decisions.
  NodeDisabled: { schemaVersion: 1, parse: (data) => ({ nodeId: data.string('nodeId'), reason: data.optionalOneOf('reason', ['operator', 'drained'] as const) ?? 'operator' }) },
  NodeDecommissioned: { schemaVersion: 1, parse: nodeIdOnly },
  NodeRemoved: { schemaVersion: 1, parse: (data) => ({ nodeId: data.string('nodeId'), reason: data.oneOf('reason', ['drained'] as const) }) },
  NodeLoadReported: {
    schemaVersion: 1,
    parse: (data) => {
      const memory = data.nullableNumber('memory');
      return {
        nodeId: data.string('nodeId'),
        meetings: data.number('meetings'),
        participants: data.number('participants'),
        voice: data.number('voice'),
        video: data.number('video'),
        breakoutMeetings: data.number('breakoutMeetings'),
        cpu: data.nullableNumber('cpu'),
        ...(memory === null ? {} : { memory }),
      };
    },
  },
  NodeReportedUnknownMeeting: {
    schemaVersion: 1,
    parse: (data) => ({
      nodeId: data.string('nodeId'),
      nodeMeetingID: data.string('nodeMeetingID'),
      internalMeetingID: data.string('internalMeetingID'),
      name: data.string('name'),
      createTime: data.number('createTime'),
      participantCount: data.number('participantCount'),
      explanation: data.oneOf('explanation', ['notPlacedByUs', 'endedHere'] as const),
      detail: data.string('detail'),
    }),
  },
  NodeTagsChanged: { schemaVersion: 1, parse: (data) => ({ nodeId: data.string('nodeId'), tags: data.strings('tags') }) },
  NodeCapacityChanged: { schemaVersion: 1, parse: (data) => ({ nodeId: data.string('nodeId'), maxLoad: data.nullableNumber('maxLoad') }) },
  NodeHealthChanged: {
    schemaVersion: 1,
    parse: (data) => ({
      nodeId: data.string('nodeId'),
      health: data.oneOf('health', ['available', 'unstable', 'offline'] as const),
      previous: data.oneOf('previous', ['unknown', 'available', 'unstable', 'offline'] as const),
      reason: data.oneOf('reason', ['probeSucceeded', 'timeout', 'connection', 'http', 'checksumError', 'badXml'] as const),
      detail: data.string('detail'),
    }),
  },
};
