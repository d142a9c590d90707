import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { RenderInputs, TimeWindow } from './renderProfiles.js';
import { RenderError } from './renderError.js';

/**
 * The files of a published `presentation` recording that rendering reads. BBB writes `.mp4` copies next to
 * the `.webm` ones when `video_formats` includes mp4; they decode faster, so they win.
 */
export async function findRenderInputs(inputDir: string): Promise<Omit<RenderInputs, 'durationSeconds'>> {
  const webcams = await firstExisting(inputDir, ['video/webcams.mp4', 'video/webcams.webm']);
  if (webcams === undefined) {
    throw new RenderError('noInput', `${inputDir} has no video/webcams.mp4 or video/webcams.webm; only a presentation-format recording can be rendered`);
  }
  const deskshare = await firstExisting(inputDir, ['deskshare/deskshare.mp4', 'deskshare/deskshare.webm']);
  const deskshareWindows = deskshare === undefined ? undefined : await readDeskshareWindows(join(inputDir, 'deskshare.xml'));
  return { webcams, deskshare, deskshareWindows };
}

async function firstExisting(dir: string, candidates: string[]): Promise<string | undefined> {
  for (const candidate of candidates) {
    const path = join(dir, candidate);
    try {
      await access(path);
      return path;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

async function readDeskshareWindows(path: string): Promise<TimeWindow[] | undefined> {
  let xml: string;
  try {
    xml = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  return parseDeskshareWindows(xml);
}

/**
 * `<recording id="deskshare_events"><event start_timestamp="10.0" stop_timestamp="40.5" …/></recording>`,
 * seconds of the playback timeline. Unreadable XML or nonsense events give `undefined`: the deskshare file is
 * then shown whole, which is what it holds anyway (it is blank outside the windows).
 */
export function parseDeskshareWindows(xml: string): TimeWindow[] | undefined {
  let doc: unknown;
  try {
    doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'event' }).parse(xml);
  } catch {
    return undefined;
  }
  const events = (doc as { recording?: { event?: unknown } } | undefined)?.recording?.event;
  if (!Array.isArray(events)) return undefined;
  const windows: TimeWindow[] = [];
  for (const event of events as Array<Record<string, unknown>>) {
    const start = Number(event.start_timestamp);
    const end = Number(event.stop_timestamp);
    if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || end < start) return undefined;
    windows.push({ start, end });
  }
  return windows;
}
