import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { PreviewImage } from './events.js';

/** What a format's metadata.xml says (BBB's RecMeta, §7.3), element order ignored. */
export interface RecordingMetadata {
  id: string;
  state: string;
  published: boolean;
  startTime: number;
  endTime: number;
  participants: number;
  rawSize: number;
  meeting: { id: string | undefined; externalId: string | undefined; name: string | undefined; breakout: boolean };
  /** `<meta>` children, as written (keys lower-cased by BBB already). */
  meta: Record<string, string>;
  format: string | undefined;
  link: string | undefined;
  processingTimeMs: number;
  durationMs: number;
  size: number;
  /** Preview images, `url` as in the file (absolute on the node). */
  previews: Array<Omit<PreviewImage, 'path'> & { url: string }>;
}

export class MetadataError extends Error {
  readonly code = 'BAD_METADATA';
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name, path) => path === 'recording.playback.extensions.preview.images.image',
});

type Node = Record<string, unknown>;

const textOf = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && value !== null && '#text' in value) return textOf((value as Node)['#text']);
  return undefined;
};

const numberOf = (value: unknown): number => {
  const n = Number(textOf(value) ?? '');
  return Number.isFinite(n) && n >= 0 ? n : 0;
};

const object = (value: unknown): Node => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Node) : {});

/** @throws MetadataError when the text is not XML or has no `<recording><id>`. */
export function parseMetadataXml(xml: string): RecordingMetadata {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new MetadataError(`metadata.xml is not XML: ${valid.err.msg} (line ${valid.err.line})`);
  const recording = object(object(parser.parse(xml)).recording);
  const id = textOf(recording.id);
  if (!id) throw new MetadataError('metadata.xml has no <recording><id>');
  const meeting = object(recording.meeting);
  const meta: Record<string, string> = {};
  for (const [key, value] of Object.entries(object(recording.meta))) meta[key] = textOf(value) ?? '';
  const playback = object(recording.playback);
  const images = object(object(object(playback.extensions).preview).images).image;
  const previews = (Array.isArray(images) ? images : []).map((image) => {
    const node = object(typeof image === 'string' ? { '#text': image } : image);
    return { width: textOf(node['@width']) ?? '', height: textOf(node['@height']) ?? '', alt: textOf(node['@alt']) ?? '', url: textOf(node) ?? '' };
  });
  const state = textOf(recording.state) ?? 'published';
  return {
    id,
    // BBB and the video format write `available` for published.
    state: state === 'available' ? 'published' : state,
    published: (textOf(recording.published) ?? 'true') === 'true',
    startTime: numberOf(recording.start_time),
    endTime: numberOf(recording.end_time),
    participants: Math.floor(numberOf(recording.participants)),
    rawSize: Math.floor(numberOf(recording.raw_size)),
    meeting: {
      id: textOf(meeting['@id']),
      externalId: textOf(meeting['@externalId']),
      name: textOf(meeting['@name']),
      breakout: textOf(meeting['@breakout']) === 'true' || meta.isBreakout === 'true',
    },
    meta,
    format: textOf(playback.format),
    link: textOf(playback.link),
    processingTimeMs: numberOf(playback.processing_time),
    durationMs: numberOf(playback.duration),
    size: Math.floor(numberOf(playback.size)),
    previews: previews.filter((p) => p.url !== ''),
  };
}

/** A node's preview URL as a path below the format directory, or undefined when it points elsewhere. */
export function previewPath(url: string, format: string, recordId: string): string | undefined {
  let path: string;
  try {
    path = new URL(url, 'http://node.invalid').pathname;
  } catch {
    return undefined;
  }
  const prefix = `/${format}/${recordId}/`;
  if (!path.startsWith(prefix)) return undefined;
  const rest = decodeURIComponent(path.slice(prefix.length));
  return rest.split('/').some((s) => s === '' || s === '..' || s === '.') ? undefined : rest;
}

/** Where our host serves the format's player: bbb-playback for presentation, the format directory otherwise. */
export function playbackPathOf(format: string, recordId: string): string {
  return format === 'presentation' ? `/playback/presentation/2.3/${recordId}` : `/${format}/${recordId}/`;
}
