import type { JsonValue, RecordedEvent } from '../eventstore/port.js';

/** One event as an auditor reads it: what happened, to which stream, when, who did it and why. */
export interface AuditEntry {
  streamId: string;
  type: string;
  revision: number;
  position: string;
  /** When the command was decided (metadata.at). */
  at: string;
  /** When the store recorded it. */
  recordedAt: string;
  actor: string;
  correlationId: string;
  causationId: string;
  schemaVersion: number;
  eventId: string;
  data: JsonValue;
}

export function toAuditEntry(event: RecordedEvent): AuditEntry {
  const { metadata } = event;
  return {
    streamId: event.streamId,
    type: event.type,
    revision: Number(event.revision),
    position: event.position,
    at: metadata.at,
    recordedAt: event.recordedAt.toISOString(),
    actor: metadata.actor,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
    schemaVersion: metadata.schemaVersion,
    eventId: event.id,
    data: redactSecrets(event.data),
  };
}

export const REDACTED = '[redacted]';

/**
 * Node and tenant secrets are in the log (NodeRegistered, TenantSecretAdded) and in folded state; an audit
 * view shows that a secret was set, never its value. Any field named `secret` is replaced, at any depth.
 */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => redactSecrets(v)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = key === 'secret' ? REDACTED : redactSecrets(v);
  return out as T;
}
