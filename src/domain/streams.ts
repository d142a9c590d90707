/** Stream naming, one function per aggregate, so ESDB's `$ce-node` category projection works. */

import { nodeMeetingIdOf } from '../domain/meeting/meetingKey.js';

export const NODE_STREAM_PREFIX = 'node-';

export const nodeStreamId = (nodeId: string): string => `${NODE_STREAM_PREFIX}${nodeId}`;

export const TENANT_STREAM_PREFIX = 'tenant-';

export const tenantStreamId = (tenant: string): string => `${TENANT_STREAM_PREFIX}${tenant}`;

export const MEETING_STREAM_PREFIX = 'meeting-';

/** `meeting-<scope>-<sha1(meetingID)>`: a repeated create of the same meeting by the same scope hits the same stream. */
export const meetingStreamId = (scope: string, meetingID: string): string => `${MEETING_STREAM_PREFIX}${nodeMeetingIdOf(scope, meetingID)}`;

export const RECORDING_STREAM_PREFIX = 'recording-';

/** `recording-<recordId>`: the record id is the node's internal meeting ID, unique across the fleet. */
export const recordingStreamId = (recordId: string): string => `${RECORDING_STREAM_PREFIX}${recordId}`;

export const IMPORT_STREAM_PREFIX = 'import-';

/** `import-<importId>`: one upload, before anyone knows which recordings it holds. */
export const importStreamId = (importId: string): string => `${IMPORT_STREAM_PREFIX}${importId}`;
export const LIMITS_STREAM_PREFIX = 'limits-';

/** `limits-<tenant>`: what the tenant's limits did (TenantLimitExceeded, Reached, Cleared); observations only. */
export const limitsStreamId = (tenant: string): string => `${LIMITS_STREAM_PREFIX}${tenant}`;
export const DELIVERY_STREAM_PREFIX = 'delivery-';

/** `delivery-<deliveryId>`: one stream per outgoing delivery (an end callback, later a hook message). */
export const deliveryStreamId = (deliveryId: string): string => `${DELIVERY_STREAM_PREFIX}${deliveryId}`;
