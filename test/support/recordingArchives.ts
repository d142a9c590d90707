import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export interface ArchiveEntry {
  name: string;
  content?: string | Buffer;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device';
  linkname?: string;
}

/** A tar (gzip'd when asked) built entry by entry, as nodes (and attackers) send them. */
export async function makeTar(entries: ArchiveEntry[], gzip = false): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => void chunks.push(c as Buffer));
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const e of entries) {
    const type = e.type ?? 'file';
    const body = type === 'file' ? Buffer.from(e.content ?? '') : undefined;
    const header = { name: e.name, type, ...(e.linkname ? { linkname: e.linkname } : {}), ...(body ? { size: body.length } : {}) };
    await new Promise<void>((resolve, reject) => {
      const callback = (err?: Error | null) => (err ? reject(err) : resolve());
      if (body) pack.entry(header, body, callback);
      else pack.entry(header, callback).end('');
    });
  }
  pack.finalize();
  await done;
  const raw = Buffer.concat(chunks);
  return gzip ? gzipSync(raw) : raw;
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A published format's metadata.xml as BBB writes it (fields in BBB's order; the parser must not care). */
export function metadataXml(recordId: string, options: { format?: string; nodeMeetingID?: string; published?: boolean; name?: string; extraMeta?: string } = {}): string {
  const format = options.format ?? 'presentation';
  const link = format === 'presentation' ? `https://node.example/playback/presentation/2.3/${recordId}` : `https://node.example/playback/${format}/${recordId}/`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<recording>
  <id>${recordId}</id>
  <state>${options.published === false ? 'unpublished' : 'published'}</state>
  <published>${options.published === false ? 'false' : 'true'}</published>
  <start_time>1700000000000</start_time>
  <end_time>1700000120000</end_time>
  <participants>3</participants>
  <meeting id="${recordId}" externalId="${options.nodeMeetingID ?? 'acme-deadbeef'}" name="${options.name ?? 'Room One'}" breakout="false"/>
  <meta>
    <isBreakout>false</isBreakout>
    <meetingId>${options.nodeMeetingID ?? 'acme-deadbeef'}</meetingId>
    <meetingName>${options.name ?? 'Room One'}</meetingName>
    <bbb-origin>greenlight</bbb-origin>${options.extraMeta ?? ''}
  </meta>
  <playback>
    <format>${format}</format>
    <link>${link}</link>
    <processing_time>5429</processing_time>
    <duration>101014</duration>
    <extensions>
      <preview>
        <images>
          <image width="176" height="136" alt="Welcome &amp; hello">https://node.example/${format}/${recordId}/presentation/p1/thumbnails/thumb-1.png</image>
        </images>
      </preview>
    </extensions>
    <size>1234</size>
  </playback>
  <raw_size>7654321</raw_size>
</recording>`;
}

/** Scalelite's `<record_id>.tar`: every format under `<format>/<record_id>/`. */
export function scaleliteEntries(recordId: string, formats: string[] = ['presentation']): ArchiveEntry[] {
  return formats.flatMap((format) => [
    { name: `${format}/${recordId}/`, type: 'directory' as const },
    { name: `${format}/${recordId}/metadata.xml`, content: metadataXml(recordId, { format }) },
    { name: `${format}/${recordId}/video/webcams.webm`, content: Buffer.alloc(4096, 7) },
    { name: `${format}/${recordId}/presentation/p1/thumbnails/thumb-1.png`, content: Buffer.from('png') },
  ]);
}
