import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../logging.js';

export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
  /** First line of `ffmpeg -version`, for the start log and the admin API. */
  version?: string;
}

/**
 * The ffmpeg and ffprobe executables on `PATH` (both are needed: ffprobe measures inputs and checks the
 * output), or undefined when either is missing or does not run: then rendering is off.
 */
export async function findFfmpeg(path: string | undefined = process.env.PATH): Promise<FfmpegTools | undefined> {
  const dirs = (path ?? '').split(delimiter).filter((d) => d !== '');
  const ffmpeg = await onPath('ffmpeg', dirs);
  const ffprobe = await onPath('ffprobe', dirs);
  if (ffmpeg === undefined || ffprobe === undefined) return undefined;
  try {
    const { stdout } = await promisify(execFile)(ffmpeg, ['-hide_banner', '-version'], { timeout: 10_000 });
    return { ffmpeg, ffprobe, version: stdout.split('\n')[0]?.trim() };
  } catch {
    return undefined;
  }
}

async function onPath(name: string, dirs: string[]): Promise<string | undefined> {
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** The one start log line saying whether recordings will be rendered, and if not, what to do about it. */
export function logRenderAvailability(logger: Logger, tools: FfmpegTools | undefined, profiles: readonly string[]): void {
  if (profiles.length === 0) {
    logger.info({ component: 'render' }, 'rendering off: RENDER_PROFILES is none');
  } else if (tools === undefined) {
    logger.warn(
      { component: 'render', profiles },
      'rendering off: no ffmpeg and ffprobe on PATH; recordings are imported and played back without MP4s. Install ffmpeg (Debian: apt-get install ffmpeg) and restart to render them',
    );
  } else {
    logger.info({ component: 'render', profiles, ffmpeg: tools.ffmpeg, version: tools.version }, 'rendering on');
  }
}
