/** Stream naming, one function per aggregate, so ESDB's `$ce-node` category projection works. */

export const NODE_STREAM_PREFIX = 'node-';

export const nodeStreamId = (nodeId: string): string => `${NODE_STREAM_PREFIX}${nodeId}`;

export const TENANT_STREAM_PREFIX = 'tenant-';

export const tenantStreamId = (tenant: string): string => `${TENANT_STREAM_PREFIX}${tenant}`;
