/**
 * The archive layouts nodes send, read from entry paths alone (pure):
 * - Scalelite `<record_id>.tar` and BBBLB's per-format `tar.gz`: `<format>/<record_id>/…`, one
 *   `metadata.xml` per format directory;
 * - B3LB: the presentation directory's contents at the root (`./metadata.xml`, `./video/…`).
 */

/** Why an entry makes the whole archive unsafe: it could write outside the import area or is not a file. */
export type EntryRefusal = { refused: true; reason: string };

const ALLOWED_TYPES = new Set(['file', 'directory']);

/** The entry's path, normalised (no `./`), or why the archive is refused. Directories end without `/`. */
export function safeEntryPath(name: string, type: string | null | undefined): string | EntryRefusal {
  if (!ALLOWED_TYPES.has(type ?? 'file')) return { refused: true, reason: `entry ${JSON.stringify(name)} is a ${type}; only files and directories are accepted` };
  if (name.includes('\0') || name.includes('\\')) return { refused: true, reason: `entry ${JSON.stringify(name)} has a NUL or backslash in its name` };
  if (name.startsWith('/')) return { refused: true, reason: `entry ${JSON.stringify(name)} has an absolute path` };
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { refused: true, reason: `entry ${JSON.stringify(name)} climbs out with ..` };
  return segments.join('/');
}

/** One format of one recording in the archive: the files below `root`. */
export interface FormatGroup {
  /** Undefined for B3LB's root layout: the format and record id come from metadata.xml. */
  format: string | undefined;
  recordId: string | undefined;
  /** `presentation/<id>/` or `` (root layout). */
  root: string;
}

const FORMAT_METADATA = /^([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{1,128})\/metadata\.xml$/;

/** The format groups of an archive, by its `metadata.xml` files; empty when it has none. */
export function formatGroups(paths: readonly string[]): FormatGroup[] {
  if (paths.includes('metadata.xml')) return [{ format: undefined, recordId: undefined, root: '' }];
  const groups: FormatGroup[] = [];
  for (const path of paths) {
    const match = FORMAT_METADATA.exec(path);
    if (match) groups.push({ format: match[1], recordId: match[2], root: `${match[1]}/${match[2]}/` });
  }
  return groups.sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
}
