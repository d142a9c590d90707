/** Stream naming, one function per aggregate, so ESDB's `$ce-node` category projection works. */

import { nodeMeetingIdOf } from '../domain/meeting/meetingKey.js';

export const NODE_STREAM_PREFIX = 'node-';

export const nodeStreamId = (nodeId: string): string => `${NODE_STREAM_PREFIX}${nodeId}`;

export const TENANT_STREAM_PREFIX = 'tenant-';

export const tenantStreamId = (tenant: string): string => `${TENANT_STREAM_PREFIX}${tenant}`;

export const MEETING_STREAM_PREFIX = 'meeting-';

/** `meeting-<scope>-<sha1(meetingID)>`: a repeated create of the same meeting by the same scope hits the same stream. */
export const meetingStreamId = (scope: string, meetingID: string): string => `${MEETING_STREAM_PREFIX}${nodeMeetingIdOf(scope, meetingID)}`;

export const DELIVERY_STREAM_PREFIX = 'delivery-';

/** `delivery-<deliveryId>`: one stream per outgoing delivery (an end callback, later a hook message). */
export const deliveryStreamId = (deliveryId: string): string => `${DELIVERY_STREAM_PREFIX}${deliveryId}`;
