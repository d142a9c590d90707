/**
 * Every namespace of a deterministic id (uuid v5): an id derived from what it keys, so a retried command,
 * reaction or request appends nothing new. One place, so no two derivations share a namespace by accident.
 * The values are part of the log: changing one makes a retry after an upgrade append its events again.
 */

/** Events a decider command appends: `<commandId>:<index>` (src/commands/decider/handleCommand.ts toNewEvent). */
export const COMMAND_EVENT_NAMESPACE = '5f1d8a52-3c1e-4f3e-9a57-1d9f0c2b7e11';
/** A poll observation appended without a revision (NodeLoadReported, MeetingParticipantsChanged): `<commandId>:0`. */
export const OBSERVED_EVENT_NAMESPACE = '8d3b1f0a-6c2e-4e7a-b5d9-0f4a2c8e1b73';
/** The MeetingJoined of one meeting's join window: `<commandId>:0`, the window's command id. */
export const JOIN_EVENT_NAMESPACE = '2c0f6f7e-1d5b-4b8e-a1c4-7f3e9d2a6b50';
/** A TenantLimitExceeded the limits saga appends when usage crosses a limit: `<commandId>:0`. */
export const LIMIT_EVENT_NAMESPACE = '2b6f4c1e-9d3a-4e58-a7c2-5e0b8f1d3a64';
/** A TenantLimitExceeded the front door records for a refused call: from the window entry's fresh id. */
export const LIMIT_HIT_NAMESPACE = 'c0a3e1f4-7b52-4d19-8e6a-3f1b9d2c5a70';
/** The fleet's poll reactions: the correlation id from the poll's id, the command id from the reaction's own id. */
export const POLL_NAMESPACE = '4e9c2b7a-1f3d-4c8e-9a6b-2d7f0e5c3a19';
/** Failover work: from the offline event's id (a move) or `<nodeId>/<internalMeetingID>` (a stale copy), and each move/end step. */
export const FAILOVER_NAMESPACE = '0b7e3c52-9d41-4f6a-8c2e-5a1f7d3b9e60';
/** The autoscale stream's events: `<stream>:<revision>`, so two instances deciding the same step collide. */
export const AUTOSCALE_NAMESPACE = '0d3c6f0e-5b8a-4f7e-9c21-7a4be2d9f5a1';
/** The delivery process's commands (attempt, dead letter, recording-ready request): from the effect's id. */
export const DELIVERY_NAMESPACE = '9a3e5c71-2b4d-4f80-8e6a-1c7d3f9b2e45';
/** The hook fan-out's RequestHookDelivery: from the delivery id. */
export const HOOK_FAN_OUT_NAMESPACE = '4c2f9e1a-7b3d-4e8a-9f60-2d1c5b7a8e93';
/** The render process: from `<recordId>/<profile>` and each step of a render attempt. */
export const RENDER_NAMESPACE = '6c2e9b41-7d3a-4f5e-8b1c-0a9d2e4f6b73';
/** The import process: from the import id and each recording command it issues. */
export const IMPORT_NAMESPACE = '9b3c1f0e-6a2d-4e8b-b7c5-3d1e0f9a2c64';
/** The retention process's commands (a recording expired, its files removed): from the effect's id. */
export const RETENTION_NAMESPACE = '3f6d2a81-5c4e-4b9a-9e27-8d1c0b6a5f43';
/** The object deletion process's ConfirmObjectsDeleted: from `<recordId>:<generation>`. */
export const OBJECT_DELETION_NAMESPACE = '7a1e4c93-2d6b-4f08-b5e1-9c3d7f2a6e15';
/** The import id of an archive in the spool directory: `<file name>:<size>:<mtime>`. */
export const SPOOL_NAMESPACE = '3f6d2a9e-8c1b-4e7a-a5d0-6b9e2c4f1a83';
/** A node registration with an Idempotency-Key: `node:<key>` (its node id) and `command:<key>` (its command id). */
export const IDEMPOTENCY_NAMESPACE = '0b6a3c4e-8f7d-4a51-9a3e-6f2d1c0b9e84';
