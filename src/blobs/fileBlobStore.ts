import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { blobRefOf, digestOf, type BlobStore } from './blobStore.js';

/**
 * Blobs as files under `dir` (embedded default: `<data dir>/blobs`), at `<dir>/<2 hex>/<64 hex>`. A blob is
 * written to a temporary name and renamed, so a reader never sees half a file and a crash leaves no
 * truncated blob under its real name.
 */
export class FileBlobStore implements BlobStore {
  constructor(private readonly dir: string) {}

  async put(bytes: Uint8Array): Promise<string> {
    const ref = blobRefOf(bytes);
    const digest = digestOf(ref)!;
    const folder = join(this.dir, digest.slice(0, 2));
    await mkdir(folder, { recursive: true });
    const temporary = join(folder, `.${digest}.${randomUUID()}.tmp`);
    try {
      await writeFile(temporary, bytes, { flag: 'wx' });
      await rename(temporary, join(folder, digest));
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return ref;
  }

  async get(ref: string): Promise<Buffer | undefined> {
    const digest = digestOf(ref);
    if (!digest) return undefined;
    try {
      return await readFile(join(this.dir, digest.slice(0, 2), digest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}
