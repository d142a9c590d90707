import type { NodeAdminState } from '../node/events.js';

/**
 * A cordoned node drains into disabled, a decommissioned one into removed, once nothing of ours runs or
 * is being placed there (Scalelite's cordon: disabled by itself when its load reaches 0).
 */
export function drainDue(node: { adminState: NodeAdminState; removed: boolean; ours: ReadonlyMap<string, unknown> }): boolean {
  return (node.adminState === 'cordoned' || node.adminState === 'decommissioned') && !node.removed && node.ours.size === 0;
}
