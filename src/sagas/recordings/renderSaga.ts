import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { map, mergeMap } from 'rxjs';
import { v5 as uuidv5 } from 'uuid';
import type { RecordingCommand } from '../../domain/recording/commands.js';
import type { EffectContext as CommandContext } from '../process/ports.js';
import type { SagaCommands } from '../process/sagaCommands.js';
import { RECORDING_STREAM_PREFIX } from '../../domain/streams.js';
import type { DomainEvent } from '../../domain/eventCatalogue.js';
import { renderFormatName } from '../../domain/recording/renderFormat.js';
import type { EventStore } from '../../eventstore/port.js';
import type { Logger } from '../../logging.js';
import type { FfmpegTools } from '../../render/findFfmpeg.js';
import { renderFailureOutcome } from '../../render/renderOutcome.js';
import { renderRecording } from '../../render/renderRecording.js';
import type { RenderProfileName } from '../../render/renderProfiles.js';
import type { RetryPolicy } from '../../retryPolicy.js';
import { STORAGE_KEYS, type ObjectStorage } from '../../storage/objectStorage.js';
import { runSaga, type RunningSaga } from '../runSaga.js';
import { measured } from './extractArchive.js';
import { evolveRenderView, reactToRenderEvent, renderKey, type RenderEffect, type RenderTask, type RenderView } from './renderProcess.js';
import { RENDER_NAMESPACE } from '../../domain/ids.js';

export const RENDER_SAGA = 'recordingRender';

export interface RenderSagaOptions {
  store: EventStore;
  /** Command handlers, injected from the composition root (src/processPorts.ts sagaCommands). */
  commands: Pick<SagaCommands, 'recording'>;
  logger: Logger;
  storage: ObjectStorage;
  tools: FfmpegTools;
  profiles: readonly RenderProfileName[];
  workRoot: string;
  concurrency: number;
  timeoutMs: number;
  retry: RetryPolicy;
  now(): Date;
  stillHolds(): boolean;
}

/** The render process: each imported presentation, each RENDER_PROFILES profile, rendered once with retries. */
export function runRenderSaga(options: RenderSagaOptions): RunningSaga {
  const view: RenderView = new Map();
  const shutdown = new AbortController();
  // Renders under way by renderKey: a recording deleted or expired meanwhile kills its ffmpeg.
  const underway = new Map<string, AbortController>();
  const cancelRendersOf = (event: DomainEvent): void => {
    if (event.type !== 'RecordingDeleted' && event.type !== 'RecordingExpired') return;
    for (const [key, controller] of underway) if (key.startsWith(renderKey(event.data.recordId, ''))) controller.abort();
  };
  const log = options.logger.child({ saga: RENDER_SAGA });
  const running = runSaga<RenderEffect>({
    name: RENDER_SAGA,
    store: options.store,
    logger: options.logger,
    streamPrefixes: [RECORDING_STREAM_PREFIX],
    saga: (events$) =>
      events$.pipe(
        map((event: DomainEvent) => (evolveRenderView(view, event, options.profiles), cancelRendersOf(event), event)),
        mergeMap((event) => reactToRenderEvent(event, options.profiles)),
      ),
    nodeIdOf: (effect) => renderKey(effect.recordId, effect.profile),
    contextOf: (effect) => {
      const id = uuidv5(renderKey(effect.recordId, effect.profile), RENDER_NAMESPACE);
      return { actor: `saga:${RENDER_SAGA}`, correlationId: id, causationId: id, commandId: id };
    },
    perform: async (effect, context) => {
      const task = view.get(renderKey(effect.recordId, effect.profile));
      if (!task || task.status === 'rendered' || task.status === 'gone' || !options.stillHolds()) return [];
      const key = renderKey(effect.recordId, effect.profile);
      const controller = new AbortController();
      underway.set(key, controller);
      try {
        return await renderWithRetries(options, task, context, AbortSignal.any([shutdown.signal, controller.signal]), log);
      } finally {
        underway.delete(key);
      }
    },
    describe: (effect) => `render ${effect.profile} of ${effect.recordId}`,
    now: options.now,
    concurrency: options.concurrency,
  });
  return {
    async stop() {
      shutdown.abort();
      await running.stop();
    },
  };
}

async function renderWithRetries(options: RenderSagaOptions, task: RenderTask, context: CommandContext, signal: AbortSignal, log: Logger): Promise<DomainEvent[]> {
  const { recordId, tenant } = task.owner;
  const events: DomainEvent[] = [];
  // A round an operator asked for must not reuse the first round's command (and so event) ids.
  const round = task.round === 0 ? context.commandId : uuidv5(`${context.commandId}:round:${task.round}`, RENDER_NAMESPACE);
  const send = async (command: RecordingCommand, step: string) =>
    events.push(...(await options.commands.recording(command, { ...context, commandId: uuidv5(`${round}:${step}`, RENDER_NAMESPACE) })).events);
  for (let attempt = task.attempts + 1; ; attempt++) {
    if (isGone(task) || signal.aborted) return events;
    await send({ type: 'RequestRender', data: { recordId, profile: task.profile, attempt } }, `request:${attempt}`);
    const workDir = join(options.workRoot, `render-${recordId}-${task.profile}-${attempt}`);
    try {
      // 1. the presentation's files from storage, 2. ffmpeg, 3. the MP4 into storage, 4. the event.
      await fetchInputs(options.storage, task, join(workDir, 'in'));
      const outFile = join(workDir, `${recordId}.mp4`);
      const started = Date.now();
      const result = await renderRecording({ inputDir: join(workDir, 'in'), profile: task.profile as RenderProfileName, outFile, timeoutMs: options.timeoutMs, signal, tools: options.tools });
      // Deleted or expired while ffmpeg ran: nothing is stored. Should it go between here and the event, the
      // event is RecordingRenderDiscarded and the object deletion process removes the MP4.
      if (isGone(task)) return events;
      const path = `${recordId}.mp4`;
      const meter = measured();
      await options.storage.put(STORAGE_KEYS.formatFile(tenant, recordId, renderFormatName(task.profile), path), createReadStream(outFile).pipe(meter.stream), { contentType: 'video/mp4' });
      const { bytes, sha256 } = meter.result();
      const before = events.length;
      await send({ type: 'RecordRendered', data: { recordId, profile: task.profile, file: { path, bytes, sha256 }, durationSeconds: result.durationSeconds } }, `rendered:${attempt}`);
      if (events.slice(before).some((e) => e.type === 'RecordingRenderDiscarded')) {
        log.info({ recordId, profile: task.profile }, 'render finished after its recording went: discarded, its MP4 deleted by the object deletion process');
        return events;
      }
      // Before the event comes back through the subscription: a second effect for the task (an import's and an operator's request replayed) finds it done.
      task.status = 'rendered';
      log.info({ recordId, profile: task.profile, bytes, seconds: result.durationSeconds, realtime: result.durationSeconds / ((Date.now() - started) / 1000) }, 'recording rendered');
      return events;
    } catch (error) {
      const outcome = renderFailureOutcome(error, attempt, options.retry, Math.random);
      if (outcome.kind === 'notAttempted') return events;
      await send({ type: 'RecordRenderFailed', data: { recordId, profile: task.profile, attempt, reason: outcome.reason, detail: outcome.detail.slice(0, 2000) } }, `failed:${attempt}`);
      log.warn({ recordId, profile: task.profile, attempt, reason: outcome.reason, retryInMs: outcome.next.retry ? outcome.next.delayMs : null }, 'recording render failed');
      if (!outcome.next.retry) return events;
      await sleep(outcome.next.delayMs, undefined, { signal }).catch(() => undefined);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
}

/** Read through a function: the subscription marks the task gone while this render awaits. */
const isGone = (task: RenderTask): boolean => task.status === 'gone';

async function fetchInputs(storage: ObjectStorage, task: RenderTask, dir: string): Promise<void> {
  const { tenant, recordId } = task.owner;
  for (const file of task.files) {
    const object = await storage.get(STORAGE_KEYS.formatFile(tenant, recordId, 'presentation', file.path));
    if (!object) continue;
    const target = join(dir, ...file.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await pipeline(object.body, createWriteStream(target));
  }
}
