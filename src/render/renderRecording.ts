import { rename, rm, stat } from 'node:fs/promises';
import { runTool } from './ffmpegProcess.js';
import type { FfmpegTools } from './findFfmpeg.js';
import { progressReader, type RenderProgress } from './ffmpegProgress.js';
import { RenderError } from './renderError.js';
import { findRenderInputs } from './renderInputs.js';
import { RENDER_PROFILES, type RenderProfile, type RenderProfileName } from './renderProfiles.js';

export interface RenderRequest {
  /** The published `presentation/<recordID>` directory (metadata.xml, video/, deskshare/ …). */
  inputDir: string;
  profile: RenderProfileName | RenderProfile;
  /** Where the MP4 goes; it appears only complete (written as `<outFile>.part`, renamed at the end). */
  outFile: string;
  /** Longest the whole render (probe included) may take; past it ffmpeg is killed. */
  timeoutMs: number;
  /** Aborting kills ffmpeg too (shutdown, a deleted recording). */
  signal?: AbortSignal;
  onProgress?: (progress: RenderProgress) => void;
  /** From findFfmpeg(); default the `ffmpeg` and `ffprobe` on PATH. */
  tools?: FfmpegTools;
}

export interface RenderResult {
  bytes: number;
  durationSeconds: number;
}

/**
 * Renders one recording with one profile: probe the length, run ffmpeg as a child process, check what it
 * wrote. On any failure the partial output is deleted and a RenderError says why, with ffmpeg's last words.
 */
export async function renderRecording(request: RenderRequest): Promise<RenderResult> {
  const { ffmpeg, ffprobe } = request.tools ?? { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' };
  const profile = typeof request.profile === 'string' ? RENDER_PROFILES[request.profile] : request.profile;
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const partFile = `${request.outFile}.part`;

  // 1. What is there, and how long it is (progress is a share of this; the composite stops at it).
  const found = await findRenderInputs(request.inputDir);
  const durationSeconds = await probeDuration(ffprobe, found.webcams, signal);
  const inputs = { ...found, durationSeconds };

  // 2. ffmpeg, reporting progress blocks on stdout and only errors on stderr.
  const read = progressReader(durationSeconds);
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-progress', 'pipe:1', '-y', ...profile.args(inputs), partFile];
  try {
    await runTool(ffmpeg, args, {
      signal,
      what: `ffmpeg (profile ${profile.name}, ${request.inputDir})`,
      onStdoutLine: (line) => {
        const progress = read(line);
        if (progress) request.onProgress?.(progress);
      },
    });
    // 3. Only a file ffprobe can read counts as rendered.
    const rendered = await probeDuration(ffprobe, partFile, signal);
    const { size } = await stat(partFile);
    await rename(partFile, request.outFile);
    return { bytes: size, durationSeconds: rendered };
  } catch (error) {
    await rm(partFile, { force: true });
    throw error;
  }
}

/** Length in seconds of a media file, from its container (ffprobe `format=duration`). */
export async function probeDuration(ffprobe: string, file: string, signal: AbortSignal): Promise<number> {
  const { stdout } = await runTool(ffprobe, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', file], {
    signal,
    what: `ffprobe ${file}`,
    keepStdout: true,
  });
  const seconds = Number.parseFloat(stdout.trim());
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new RenderError('ffmpegFailed', `ffprobe found no duration in ${file} (got "${stdout.trim()}"); the file is damaged or not media`);
  }
  return seconds;
}
