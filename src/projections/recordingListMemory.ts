import { isVisibleTo } from '../domain/recording/visibility.js';
import type { ImportEvent, RecordingEvent } from '../domain/recording/events.js';
import type { ImportStatus, RecordingListOp, RecordingPage, RecordingQuery, RecordingReadModel, RecordingView } from './recordingList.js';
import { MemoryCheckpointTarget } from './targets/memoryTarget.js';

interface TenantIndex {
  byId: Map<string, RecordingView>;
  /** Newest first (start time, then record id): built on the first read after a change. */
  sorted?: RecordingView[];
  /** Record ids in code-unit order, for prefix lookups by binary search. */
  ids?: string[];
}

/** Recordings and imports in this process, fed by a projection runner through `target`. */
export class InMemoryRecordingList implements RecordingReadModel {
  private readonly tenants = new Map<string, TenantIndex>();
  private readonly byId = new Map<string, RecordingView>();
  private readonly uploads = new Map<string, ImportStatus>();
  readonly target = new MemoryCheckpointTarget<RecordingListOp>((ops) => this.apply(ops));

  get(recordId: string): RecordingView | undefined {
    return this.byId.get(recordId);
  }

  find(query: RecordingQuery): RecordingPage {
    const index = this.tenants.get(query.viewer.tenant);
    if (!index) return { total: 0, recordings: [] };
    const candidates = query.recordIds ? this.byPrefixes(index, query.recordIds) : (index.sorted ??= [...index.byId.values()].sort(newestFirst));
    const meetingIDs = !query.recordIds && query.meetingIDs ? new Set(query.meetingIDs) : undefined;
    const matching = candidates.filter(
      (r) =>
        isVisibleTo(r, query.viewer) &&
        (query.states === 'any' || query.states.has(r.state)) &&
        (meetingIDs === undefined || meetingIDs.has(r.meetingID)) &&
        query.meta.every(([key, pattern]) => metaMatches(r.metadata, key, pattern)),
    );
    if (!query.page) return { total: matching.length, recordings: matching };
    return { total: matching.length, recordings: matching.slice(query.page.offset, query.page.offset + query.page.limit) };
  }

  imports(filter: { state?: ImportStatus['state'] }): ImportStatus[] {
    return [...this.uploads.values()].filter((i) => filter.state === undefined || i.state === filter.state).sort((a, b) => (a.uploadedAt < b.uploadedAt ? 1 : -1));
  }

  importOf(importId: string): ImportStatus | undefined {
    return this.uploads.get(importId);
  }

  apply(ops: RecordingListOp[]): void {
    for (const op of ops) {
      if (op.op === 'upload') this.applyImport(op.event, op.at);
      else this.applyRecording(op.event);
    }
  }

  private applyRecording(event: RecordingEvent): void {
    const current = this.byId.get(event.data.recordId);
    if (event.type === 'RecordingImported') {
      const { playback, importId: _i, nodeId: _n, published, replaced: _r, ...facts } = event.data;
      const formats = (current?.formats ?? []).filter((f) => f.format !== playback.format).concat(playback).sort((a, b) => (a.format < b.format ? -1 : 1));
      // The first import sets the facts; later formats add themselves only (state and metadata may have changed since).
      const view: RecordingView = current ? { ...current, formats } : { ...facts, metadata: { ...facts.metadata }, state: published ? 'published' : 'unpublished', protected: null, formats, renders: [] };
      return this.put(view);
    }
    if (!current) return;
    switch (event.type) {
      case 'RecordingPublished':
        return this.put({ ...current, state: current.state === 'deleted' ? 'deleted' : 'published' });
      case 'RecordingUnpublished':
        return this.put({ ...current, state: current.state === 'deleted' ? 'deleted' : 'unpublished' });
      case 'RecordingMetadataUpdated': {
        const metadata = { ...current.metadata, ...event.data.set };
        for (const key of event.data.removed) delete metadata[key];
        return this.put({ ...current, metadata });
      }
      case 'RecordingProtectionChanged':
        return this.put({ ...current, protected: event.data.protected });
      case 'RecordingDeleted':
        return this.put({ ...current, state: 'deleted' });
      // Retention ran out: gone from every answer, `state=any` and the admin API included (its files are gone too).
      case 'RecordingExpired':
        return this.remove(current);
      case 'RecordingRendered': {
        const { profile, file, durationSeconds } = event.data;
        const renders = current.renders.filter((r) => r.profile !== profile).concat({ profile, file, durationSeconds });
        return this.put({ ...current, renders });
      }
      case 'RecordingRenderRequested':
      case 'RecordingRenderFailed':
      case 'RecordingRenderDiscarded':
      case 'RecordingObjectsDeleted':
        return;
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  }

  private applyImport(event: ImportEvent, at: string): void {
    const current = this.uploads.get(event.data.importId);
    switch (event.type) {
      case 'RecordingUploaded': {
        const { importId, nodeId, source, bytes } = event.data;
        this.uploads.set(importId, { importId, nodeId, source, bytes, uploadedAt: at, state: 'pending', recordIds: [], reason: null, detail: null, quarantineKey: null });
        return;
      }
      case 'RecordingImportCompleted':
        if (current) this.uploads.set(current.importId, { ...current, state: 'imported', recordIds: [...event.data.recordIds] });
        return;
      case 'RecordingImportFailed': {
        const { reason, detail, recordIds, quarantineKey } = event.data;
        if (current) this.uploads.set(current.importId, { ...current, state: 'failed', recordIds: [...recordIds], reason, detail, quarantineKey });
        return;
      }
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  }

  private put(view: RecordingView): void {
    this.byId.set(view.recordId, view);
    let index = this.tenants.get(view.tenant);
    if (!index) this.tenants.set(view.tenant, (index = { byId: new Map() }));
    index.byId.set(view.recordId, view);
    delete index.sorted;
    delete index.ids;
  }

  private remove(view: RecordingView): void {
    this.byId.delete(view.recordId);
    const index = this.tenants.get(view.tenant);
    if (!index) return;
    index.byId.delete(view.recordId);
    delete index.sorted;
    delete index.ids;
  }

  /** Each prefix found by binary search in the sorted ids: a 10,000-entry list costs 10,000 lookups, not a scan each. */
  private byPrefixes(index: TenantIndex, prefixes: string[]): RecordingView[] {
    const ids = (index.ids ??= [...index.byId.keys()].sort());
    const found = new Set<string>();
    for (const prefix of prefixes) {
      if (prefix === '') continue;
      for (let i = lowerBound(ids, prefix); i < ids.length && ids[i]!.startsWith(prefix); i++) found.add(ids[i]!);
    }
    return [...found].map((id) => index.byId.get(id)!).sort(newestFirst);
  }
}

function lowerBound(sorted: string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

const newestFirst = (a: RecordingView, b: RecordingView): number => b.startTime - a.startTime || (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0);

/** BBB's recordingMatchesMetadata: `%` at the start and/or end is a wildcard; keys compare case-insensitively. */
export function metaMatches(metadata: Record<string, string>, key: string, pattern: string): boolean {
  const value = metadata[key] ?? Object.entries(metadata).find(([k]) => k.toLowerCase() === key)?.[1];
  if (value === undefined) return false;
  const starts = pattern.startsWith('%');
  const ends = pattern.length > 1 && pattern.endsWith('%');
  const core = pattern.slice(starts ? 1 : 0, ends ? -1 : undefined);
  if (starts && ends) return value.includes(core);
  if (starts) return value.endsWith(core);
  if (ends) return value.startsWith(core);
  return value === pattern;
}
