import { Gauge } from 'prom-client';
import { decodeEvent } from '../domain/eventCatalogue.js';
import { IMPORT_STREAM_PREFIX, RECORDING_STREAM_PREFIX } from '../domain/streams.js';
import type { RecordedEvent } from '../eventstore/port.js';
import type { ProjectionDefinition } from '../projections/projection.js';
import { MemoryCheckpointTarget } from '../projections/targets/memoryTarget.js';
import { PREFIX, type Metrics, type QueueReading } from './registry.js';

/**
 * What the metrics count of recordings, as deltas applied once per event (the in-process target skips what it
 * has seen): stored bytes per format and render, and the queues of imports and renders with when each item
 * joined. `at` is the event's time (epoch ms).
 */
export type RecordingUsageOp =
  | { op: 'format'; recordId: string; tenant: string; format: string; bytes: number; presentation: boolean; at: number }
  | { op: 'rendered'; recordId: string; profile: string; bytes: number }
  | { op: 'renderAsked'; recordId: string; profile: string; at: number }
  | { op: 'renderFailed'; recordId: string; profile: string }
  | { op: 'gone'; recordId: string }
  | { op: 'uploaded'; importId: string; at: number }
  | { op: 'importDone'; importId: string };

export function projectRecordingUsage(recorded: RecordedEvent): RecordingUsageOp[] {
  const event = decodeEvent(recorded);
  const at = Date.parse(recorded.metadata.at);
  switch (event.type) {
    case 'RecordingImported': {
      const { recordId, tenant, playback } = event.data;
      const bytes = playback.files.reduce((sum, f) => sum + f.bytes, 0);
      return [{ op: 'format', recordId, tenant, format: playback.format, bytes, presentation: playback.format === 'presentation', at }];
    }
    case 'RecordingRendered':
      return [{ op: 'rendered', recordId: event.data.recordId, profile: event.data.profile, bytes: event.data.file.bytes }];
    case 'RecordingRenderRequested':
      return [{ op: 'renderAsked', recordId: event.data.recordId, profile: event.data.profile, at }];
    case 'RecordingRenderFailed':
      return [{ op: 'renderFailed', recordId: event.data.recordId, profile: event.data.profile }];
    case 'RecordingDeleted':
    case 'RecordingExpired':
      return [{ op: 'gone', recordId: event.data.recordId }];
    case 'RecordingUploaded':
      return [{ op: 'uploaded', importId: event.data.importId, at }];
    case 'RecordingImportCompleted':
    case 'RecordingImportFailed':
      return [{ op: 'importDone', importId: event.data.importId }];
    default:
      return [];
  }
}

export const recordingUsageProjection: ProjectionDefinition<RecordingUsageOp> = {
  name: 'metricsRecordings',
  filter: { streamPrefixes: [RECORDING_STREAM_PREFIX, IMPORT_STREAM_PREFIX] },
  project: projectRecordingUsage,
};

interface Stored {
  tenant: string;
  /** Format or `render-<profile>` → bytes. */
  parts: Map<string, number>;
}

/**
 * Recordings and their bytes per tenant as running totals, and the import and render queues in the order
 * items joined them (a Map keeps insertion order, so the oldest is the first): a scrape reads O(tenants).
 * `renderProfiles` (RENDER_PROFILES): an imported presentation owes one render of each.
 */
export class RecordingUsage {
  readonly tenants = new Map<string, { recordings: number; bytes: number }>();
  private readonly stored = new Map<string, Stored>();
  private readonly imports = new Map<string, number>();
  private readonly renders = new Map<string, number>();
  readonly target = new MemoryCheckpointTarget<RecordingUsageOp>((ops) => this.apply(ops));

  constructor(private readonly renderProfiles: readonly string[]) {}

  apply(ops: RecordingUsageOp[]): void {
    for (const op of ops) {
      switch (op.op) {
        case 'format': {
          let entry = this.stored.get(op.recordId);
          if (!entry) {
            entry = { tenant: op.tenant, parts: new Map() };
            this.stored.set(op.recordId, entry);
            this.total(op.tenant).recordings += 1;
          }
          this.setPart(entry, op.format, op.bytes);
          if (op.presentation) for (const profile of this.renderProfiles) if (!this.renders.has(`${op.recordId}\n${profile}`)) this.renders.set(`${op.recordId}\n${profile}`, op.at);
          break;
        }
        case 'rendered': {
          const entry = this.stored.get(op.recordId);
          if (entry) this.setPart(entry, `render-${op.profile}`, op.bytes);
          this.renders.delete(`${op.recordId}\n${op.profile}`);
          break;
        }
        case 'renderAsked':
          if (this.stored.has(op.recordId) && !this.renders.has(`${op.recordId}\n${op.profile}`)) this.renders.set(`${op.recordId}\n${op.profile}`, op.at);
          break;
        case 'renderFailed':
          this.renders.delete(`${op.recordId}\n${op.profile}`);
          break;
        case 'gone': {
          const entry = this.stored.get(op.recordId);
          if (!entry) break;
          const total = this.total(entry.tenant);
          total.recordings -= 1;
          for (const bytes of entry.parts.values()) total.bytes -= bytes;
          this.stored.delete(op.recordId);
          for (const key of this.renders.keys()) if (key.startsWith(`${op.recordId}\n`)) this.renders.delete(key);
          break;
        }
        case 'uploaded':
          this.imports.set(op.importId, op.at);
          break;
        case 'importDone':
          this.imports.delete(op.importId);
          break;
      }
    }
  }

  importQueue(now: number): QueueReading {
    return reading(this.imports, now);
  }

  renderQueue(now: number): QueueReading {
    return reading(this.renders, now);
  }

  private setPart(entry: Stored, part: string, bytes: number): void {
    this.total(entry.tenant).bytes += bytes - (entry.parts.get(part) ?? 0);
    entry.parts.set(part, bytes);
  }

  private total(tenant: string): { recordings: number; bytes: number } {
    let total = this.tenants.get(tenant);
    if (!total) this.tenants.set(tenant, (total = { recordings: 0, bytes: 0 }));
    return total;
  }
}

function reading(queue: Map<string, number>, now: number): QueueReading {
  const oldest = queue.values().next();
  return { depth: queue.size, oldestAgeSeconds: oldest.done ? 0 : Math.max(0, (now - oldest.value) / 1000) };
}

/** `bbb_ledger_tenant_recordings` and `…_recording_bytes`, read from the model at scrape time. */
export function registerRecordingGauges(metrics: Metrics, usage: RecordingUsage): void {
  const registers = [metrics.registry];
  const perTenant = (name: string, help: string, key: 'recordings' | 'bytes') =>
    new Gauge({
      name: `${PREFIX}${name}`,
      help,
      labelNames: ['tenant'],
      registers,
      collect() {
        this.reset();
        for (const [tenant, total] of usage.tenants) this.set({ tenant }, total[key]);
      },
    });
  perTenant('tenant_recordings', 'Recordings a tenant has, published and unpublished (deleted and expired ones not), counted from the log.', 'recordings');
  perTenant('tenant_recording_bytes', 'Bytes stored for a tenant\'s recordings: the files of every imported format and every rendered MP4, from the log.', 'bytes');
}
