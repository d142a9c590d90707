import type { Viewer } from './commands.js';
import type { RecordingOwner } from './events.js';

/**
 * Tenant scoping of recordings: another tenant's recording does not exist for the viewer; a sub-secret's
 * scope (`acme-007`) sees its own scope only; the tenant's main scope (`acme`) and operators see them all.
 */
export function isVisibleTo(owner: Pick<RecordingOwner, 'tenant' | 'scope'>, viewer: Viewer): boolean {
  if (owner.tenant !== viewer.tenant) return false;
  return viewer.scope === null || viewer.scope === viewer.tenant || viewer.scope === owner.scope;
}

/** Whether a recording's links are signed: its own `protect` (updateRecordings) wins over the tenant's default. */
export function protectionOf(recording: { protected: boolean | null }, tenantDefault: boolean): boolean {
  return recording.protected ?? tenantDefault;
}
