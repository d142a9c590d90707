import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb.js';
import type { EventStoreDBClient } from '@eventstore/db-client';

/** The client's protected members this adapter relies on (6.2.1: Client/index.js, `supports`, `capabilities`). */
interface ClientInternals {
  supports: (method: { path: string }, feature?: string) => Promise<boolean>;
  readonly capabilities: Promise<{ serverVersion: string }>;
}

/**
 * Makes appendToStream use the unary Append call even where the server offers BatchAppend. The 6.2.1
 * client's BatchAppend path (dist/streams/appendToStream/batchAppend.js) sends the deadline as the
 * client's absolute time, keeps one module-wide table of pending appends so one stream error rejects every
 * append in flight (and a late reply throws inside the stream's data handler), and gets "not ready" /
 * "busy" as UnknownError. Append has none of these: its deadline is a relative grpc-timeout, one call per
 * append, and NotHandled arrives as Unavailable. @kurrent/kurrentdb-client 1.3.1 fixes only the shared table.
 */
export function useUnaryAppend(client: EventStoreDBClient): void {
  const internals = client as unknown as ClientInternals;
  const supports = internals.supports;
  internals.supports = (method, feature) =>
    method.path === StreamsService.batchAppend.path ? Promise.resolve(false) : supports(method, feature);
}

/** The version ServerFeatures reports, or 'unknown' for a server without it (< 21.10). */
export async function serverVersion(client: EventStoreDBClient): Promise<string> {
  return (await (client as unknown as ClientInternals).capabilities).serverVersion;
}
