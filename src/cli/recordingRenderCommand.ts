import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { handleRecordingCommand } from '../commands/decider/recordingCommands.js';
import { DomainError } from '../domain/errors.js';
import type { EventStore } from '../eventstore/port.js';
import { RENDER_PROFILE_NAMES } from '../render/renderProfiles.js';
import type { Write } from './historyCommands.js';

export interface RenderCommandOptions {
  /** `RENDER_PROFILES`: rendered when no `--profile` is given. */
  renderProfiles: readonly string[];
  now(): Date;
  newId(): string;
  /** Who asks, as the events' actor. */
  actor: string;
}

export const RENDER_USAGE = 'usage: recordings render <recordID> [--profile video|composite …]\n';

/**
 * `recordings render <recordID> [--profile p …]`: asks for the profiles (default RENDER_PROFILES) to be rendered
 * again, as the admin API's POST …/render does; the render process of the running server picks them up.
 */
export async function recordingRenderCommand(argv: string[], store: EventStore, out: Write, err: Write, options: RenderCommandOptions): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { profile: { type: 'string', multiple: true } } });
  if (positionals.length !== 1) return (err(RENDER_USAGE), 2);
  const known: readonly string[] = RENDER_PROFILE_NAMES;
  const profiles = values.profile ?? [...options.renderProfiles];
  const unknown = profiles.filter((p) => !known.includes(p));
  if (unknown.length > 0) return (err(`unknown render profile(s) ${unknown.join(', ')}; known are ${RENDER_PROFILE_NAMES.join(', ')}\n`), 2);
  if (profiles.length === 0) return (err('RENDER_PROFILES is none: name the profiles with --profile video\n'), 2);
  const id = options.newId();
  try {
    const result = await handleRecordingCommand(store, { type: 'RequestRerender', data: { recordId: positionals[0]!, profiles } }, { actor: options.actor, correlationId: id, causationId: id, commandId: id, now: options.now() });
    const requested = result.events.flatMap((e) => (e.type === 'RecordingRenderRequested' ? [e.data.profile] : []));
    for (const profile of profiles) out(`${profile}\t${requested.includes(profile) ? 'requested' : 'already underway'}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    err(`${error.message}\n`);
    return 1;
  }
}

export const cliRenderOptions = (renderProfiles: readonly string[]): RenderCommandOptions => ({
  renderProfiles,
  now: () => new Date(),
  newId: randomUUID,
  actor: `cli:${userInfo().username}`,
});
