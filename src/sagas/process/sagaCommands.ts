import type { Readable } from 'node:stream';
import type { DeliveryCommand } from '../../domain/delivery/decide.js';
import type { DomainEvent } from '../../domain/eventCatalogue.js';
import type { ImportCommand, RecordingCommand } from '../../domain/recording/commands.js';
import type { EffectContext } from './ports.js';

/** An archive found in the recordings spool directory, to become an import. */
export interface SpooledArchive {
  importId: string;
  contentType: string;
  body: Readable;
  maxBytes: number;
  expectedBytes: number;
}

/**
 * The command handlers the sagas not yet on the process runtime call (deliveries, hook fan-out, limits,
 * import, render, spool watcher): injected from the composition root (src/processPorts.ts sagaCommands),
 * so no saga imports src/commands. Each returns what the saga logs or reads back.
 */
export interface SagaCommands {
  delivery(command: DeliveryCommand, context: EffectContext): Promise<{ events: DomainEvent[] }>;
  recording(command: RecordingCommand, context: EffectContext): Promise<{ events: DomainEvent[] }>;
  import(command: ImportCommand, context: EffectContext): Promise<{ events: DomainEvent[] }>;
  /** Streams the archive into storage, then appends RecordingUploaded (src/commands/workflows/recordingUpload.ts). */
  stageSpooled(archive: SpooledArchive, context: EffectContext): Promise<unknown>;
  /** Appends one event without an expected revision; its id derives from the context's command id in `namespace`. */
  appendUnchecked(streamId: string, event: DomainEvent, context: EffectContext, namespace: string): Promise<void>;
}
