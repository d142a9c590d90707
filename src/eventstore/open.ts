import type { Logger } from '../logging.js';
import { MemoryEventStore } from './memory/memoryEventStore.js';
import { openPgliteEventStore } from './postgres/pglite.js';
import { PostgresEventStore } from './postgres/postgresEventStore.js';
import type { EventStore } from './port.js';

/** Where events live, parsed from `EVENTSTORE`. */
export type EventStoreLocation =
  | { kind: 'memory' }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'postgres'; connectionString: string }
  | { kind: 'esdb'; connectionString: string };

export const EVENTSTORE_HELP =
  'EVENTSTORE must be one of: memory | pglite:<data dir> | postgres://user@host:port/db | esdb://host:2113?tls=false';

/** @throws Error naming EVENTSTORE and the accepted forms when the value is not one of them. */
export function parseEventStoreLocation(value: string): EventStoreLocation {
  const v = value.trim();
  if (v === 'memory') return { kind: 'memory' };
  if (v.startsWith('pglite:') && v.length > 'pglite:'.length) return { kind: 'pglite', dataDir: v.slice('pglite:'.length) };
  if (/^postgres(ql)?:\/\/.+/.test(v)) return { kind: 'postgres', connectionString: v };
  if (/^esdb(\+discover)?:\/\/.+/.test(v)) return { kind: 'esdb', connectionString: v };
  throw new Error(`"${value}" is not understood. ${EVENTSTORE_HELP}`);
}

/** How the store is reached; `timeoutMs` bounds every call (EVENTSTORE_TIMEOUT_MS), unbounded when absent. */
export interface EventStoreTuning {
  timeoutMs?: number;
}

/** @throws Error saying which EVENTSTORE could not be opened (password hidden) and what to check. */
export async function openEventStore(location: EventStoreLocation, logger: Logger, tuning: EventStoreTuning = {}): Promise<EventStore> {
  try {
    return await openAdapter(location, logger, tuning);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const where = location.kind === 'memory' ? 'memory' : location.kind === 'pglite' ? `pglite:${location.dataDir}` : redact(location.connectionString);
    const hint =
      location.kind === 'pglite'
        ? 'check that the data directory is writable and not used by another running bbb-ledger'
        : 'check that the server is running, reachable from here, and that the credentials are right';
    throw new Error(`cannot open the event store EVENTSTORE=${where}: ${reason}; ${hint}`, { cause: error });
  }
}

/** EventStoreDB bounds each call by the connection string's `defaultDeadline`; one the operator wrote wins. */
export function withDefaultDeadline(connectionString: string, timeoutMs: number | undefined): string {
  if (timeoutMs === undefined || /[?&]defaultDeadline=/i.test(connectionString)) return connectionString;
  return `${connectionString}${connectionString.includes('?') ? '&' : '?'}defaultDeadline=${timeoutMs}`;
}

function redact(connectionString: string): string {
  return connectionString.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

async function openAdapter(location: EventStoreLocation, logger: Logger, { timeoutMs }: EventStoreTuning): Promise<EventStore> {
  switch (location.kind) {
    case 'memory':
      logger.warn('EVENTSTORE=memory: events are lost when the process stops');
      return new MemoryEventStore();
    case 'pglite':
      return openPgliteEventStore({ dataDir: location.dataDir, logger });
    case 'postgres':
      return PostgresEventStore.open({ connectionString: location.connectionString, logger, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    case 'esdb': {
      // Loaded on demand: the gRPC client is only paid for by deployments that use it.
      const { EsdbEventStore } = await import('./esdb/esdbEventStore.js');
      return EsdbEventStore.connect({ connectionString: withDefaultDeadline(location.connectionString, timeoutMs), logger });
    }
  }
}
