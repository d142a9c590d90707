import { renderFormatName } from '../recording/renderFormat.js';
import type { RecordingView } from '../recording/view.js';

/**
 * getRecordings' answer, element for element as bbb-web's RecMetaResponse writes it (§7.1): recordID,
 * meetingID, internalMeetingID, name, isBreakout, published, state, startTime, endTime, participants, rawSize,
 * metadata, size, playback, data, with Scalelite's `protected` after `published`. Written as strings: a 10,000-recording answer must not build a DOM.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escape = (value: string | number | boolean): string => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const element = (name: string, value: string | number | boolean): string => `<${name}>${escape(value)}</${name}>`;

/** An XML element name BBB could have written; other metadata keys are left out rather than break the XML. */
const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

/** Every URL path segment encoded, `/` kept. */
const pathOf = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

/**
 * `token(format)`: a protected recording, whose URLs carry a signed, expiring `token` (Scalelite's shape: the
 * player, or a rendered MP4, is reached through `/recording/<id>/<format>?token=…`, which is opened once and
 * starts a playback session); preview images carry one too.
 */
export type LinkToken = (format: string) => string;

function formatXml(base: string, r: RecordingView, token: LinkToken | undefined): string {
  // One token per format: the link and its thumbnails share it (the thumbnails do not spend it).
  const tokens = new Map<string, string>();
  const signed = (format: string): string => {
    if (!token) return '';
    let query = tokens.get(format);
    if (query === undefined) tokens.set(format, (query = `?token=${encodeURIComponent(token(format))}`));
    return query;
  };
  const nodeFormats = r.formats.map((f) => {
    const previews = f.previews.map(
      (p) => `<image width="${escape(p.width)}" height="${escape(p.height)}" alt="${escape(p.alt)}">${escape(`${base}/${pathOf(f.format)}/${pathOf(r.recordId)}/${pathOf(p.path)}${signed(f.format)}`)}</image>`,
    );
    const url = token ? `${base}/recording/${pathOf(r.recordId)}/${pathOf(f.format)}${signed(f.format)}` : base + f.playbackPath;
    return (
      '<format>' +
      element('type', f.format) +
      element('url', url) +
      element('processingTime', Math.floor(f.processingTimeMs)) +
      element('length', Math.floor(f.durationMs / 60000)) +
      element('size', f.size) +
      (previews.length > 0 ? `<preview><images>${previews.join('')}</images></preview>` : '') +
      '</format>'
    );
  });
  const rendered = r.renders.map(
    (v) =>
      '<format>' +
      element('type', v.profile) +
      element('url', token ? `${base}/recording/${pathOf(r.recordId)}/${pathOf(renderFormatName(v.profile))}${signed(renderFormatName(v.profile))}` : `${base}/${pathOf(renderFormatName(v.profile))}/${pathOf(r.recordId)}/${pathOf(v.file.path)}`) +
      element('processingTime', 0) +
      element('length', Math.floor(v.durationSeconds / 60)) +
      element('size', v.file.bytes) +
      '</format>',
  );
  return nodeFormats.join('') + rendered.join('');
}

export function recordingXml(base: string, r: RecordingView, token?: LinkToken): string {
  const metadata = Object.entries(r.metadata)
    .filter(([key]) => ELEMENT_NAME.test(key))
    .map(([key, value]) => element(key, value))
    .join('');
  const size = r.formats.reduce((sum, f) => sum + f.size, 0) + r.renders.reduce((sum, v) => sum + v.file.bytes, 0);
  return (
    '<recording>' +
    element('recordID', r.recordId) +
    element('meetingID', r.meetingID) +
    element('internalMeetingID', r.internalMeetingID) +
    element('name', r.name) +
    element('isBreakout', r.isBreakout) +
    element('published', r.state === 'published') +
    // Scalelite's addition, where Scalelite writes it: whether the links are signed.
    element('protected', token !== undefined) +
    element('state', r.state) +
    element('startTime', r.startTime) +
    element('endTime', r.endTime) +
    element('participants', r.participants) +
    element('rawSize', r.rawSize) +
    `<metadata>${metadata}</metadata>` +
    element('size', size) +
    `<playback>${formatXml(base, r, token)}</playback>` +
    '<data/>' +
    '</recording>'
  );
}

/** bbb-web's answer when nothing matches (RecMetaXmlHelper, verbatim). */
export const NO_RECORDINGS_XML =
  '<response><returncode>SUCCESS</returncode><recordings></recordings><messageKey>noRecordings</messageKey><message>There are no recordings for the meeting(s).</message></response>';

/** `render` may be a cache of recordingXml (views are immutable, so one per view and base stays right). */
export function recordingsResponse(base: string, recordings: readonly RecordingView[], page?: { offset: number; limit: number; total: number }, render: (base: string, r: RecordingView) => string = recordingXml): string {
  const pagination = page
    ? `<pagination><pageable><offset>${page.offset}</offset><limit>${page.limit}</limit><paged>true</paged><unpaged>false</unpaged></pageable><totalElements>${page.total}</totalElements><empty>${recordings.length === 0}</empty></pagination>`
    : '';
  if (recordings.length === 0) return NO_RECORDINGS_XML.replace('</response>', `${pagination}</response>`);
  return `<response><returncode>SUCCESS</returncode><recordings>${recordings.map((r) => render(base, r)).join('')}</recordings>${pagination}</response>`;
}
