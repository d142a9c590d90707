/**
 * Render profiles: which MP4 is made from a published `presentation` recording, as ffmpeg arguments.
 * The commands are the ones tested on Debian's ffmpeg 5.1 in ../shared/reference/bbb-recordings.md §4.4
 * (recipes A and B). Each rendered profile becomes one more playback `<format>` whose `<type>` is its name.
 */

/** One deskshare window of `deskshare.xml`, in seconds of the recording timeline. */
export interface TimeWindow {
  start: number;
  end: number;
}

/** What a recording directory holds that a profile can use (paths are absolute). */
export interface RenderInputs {
  /** `video/webcams.mp4` or `.webm`: the webcam mosaic plus the meeting's mixed audio, full length. */
  webcams: string;
  /** `deskshare/deskshare.mp4` or `.webm`, timeline-aligned (empty outside the share windows); absent if nobody shared. */
  deskshare: string | undefined;
  /** From `deskshare.xml`; absent = the deskshare file is shown for its whole length. */
  deskshareWindows: TimeWindow[] | undefined;
  /** Length of the recording, from probing the webcams file. */
  durationSeconds: number;
}

export interface RenderProfile {
  name: RenderProfileName;
  /** Shown in logs and the admin API. */
  description: string;
  /** ffmpeg arguments between the global options and the output file. */
  args(inputs: RenderInputs): string[];
}

export const RENDER_PROFILE_NAMES = ['video', 'composite'] as const;
export type RenderProfileName = (typeof RENDER_PROFILE_NAMES)[number];

// libx264 veryfast/crf 28 is BBB's own video format setting within 2 points, at ~100–300 MB/h for slides and cams.
const H264_AAC = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '28', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '96k'];
// moov atom first, so a browser can start playing (and seek by ranges) before the whole file arrived.
const MP4 = ['-movflags', '+faststart', '-f', 'mp4'];

/** Recipe A: the webcam mosaic and the audio, transcoded. Always possible. */
const video: RenderProfile = {
  name: 'video',
  description: 'webcams and audio (H.264/AAC MP4)',
  args: (inputs) => [
    '-i', inputs.webcams,
    '-map', '0:v:0', '-map', '0:a:0?',
    // libx264 with yuv420p needs even dimensions.
    '-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2,setsar=1',
    ...H264_AAC, ...MP4,
  ],
};

/**
 * Recipe B: 1280×720, the deskshare in the left 960×720 during its windows, the webcams top right in
 * 320×240, audio from the webcams file. A recording without deskshare renders as `video` does: a white
 * canvas with a small webcam tile would only be a worse copy of it.
 */
const composite: RenderProfile = {
  name: 'composite',
  description: 'deskshare with webcams beside it, 1280x720 (H.264/AAC MP4)',
  args: (inputs) => {
    if (inputs.deskshare === undefined) return video.args(inputs);
    const box = (w: number, h: number) => `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=white,setsar=1`;
    const filter = [
      'color=c=white:s=1280x720:r=15[bg]',
      `[1:v]${box(960, 720)}[ds]`,
      `[0:v]${box(320, 240)}[cam]`,
      `[bg][ds]overlay=x=0:y=0:eof_action=pass${enableDuring(inputs.deskshareWindows)}[t1]`,
      '[t1][cam]overlay=x=960:y=0:eof_action=pass[v]',
    ].join(';');
    return [
      '-i', inputs.webcams, '-i', inputs.deskshare,
      '-filter_complex', filter,
      '-map', '[v]', '-map', '0:a:0?',
      // The white background never ends; the recording's length does.
      '-t', inputs.durationSeconds.toFixed(3),
      ...H264_AAC, ...MP4,
    ];
  },
};

function enableDuring(windows: TimeWindow[] | undefined): string {
  if (windows === undefined) return '';
  if (windows.length === 0) return ":enable='0'";
  return `:enable='${windows.map((w) => `between(t,${w.start},${w.end})`).join('+')}'`;
}

export const RENDER_PROFILES: Record<RenderProfileName, RenderProfile> = { video, composite };

export class RenderProfilesError extends Error {
  readonly code = 'RENDER_PROFILES_INVALID';
}

/**
 * `RENDER_PROFILES`: comma-separated profile names, rendered in this order for each imported recording.
 * Absent = `video`; `none` = render nothing. Unknown or repeated names are an error naming the known ones.
 */
export function parseRenderProfiles(raw: string | undefined): RenderProfileName[] {
  if (raw === undefined || raw.trim() === '') return ['video'];
  if (raw.trim() === 'none') return [];
  const names: RenderProfileName[] = [];
  for (const part of raw.split(',').map((p) => p.trim())) {
    const name = RENDER_PROFILE_NAMES.find((n) => n === part);
    if (name === undefined) throw new RenderProfilesError(`"${part}" is not a render profile; use ${RENDER_PROFILE_NAMES.join(', ')} or none, comma-separated`);
    if (names.includes(name)) throw new RenderProfilesError(`"${part}" is listed twice`);
    names.push(name);
  }
  return names;
}
