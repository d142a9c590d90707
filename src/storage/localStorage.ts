import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { checkedKey, contentTypeOf, type ByteRange, type ObjectStorage, type StoredObject } from './objectStorage.js';

/**
 * Objects as files under `root` (`RECORDINGS_DIR`, the embedded default). Written to a temporary name beside
 * the target and renamed, so a reader never sees half a file and a crash leaves no truncated object.
 */
export class LocalObjectStorage implements ObjectStorage {
  readonly kind = 'local';

  constructor(private readonly root: string) {}

  async put(key: string, body: Readable): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = join(dirname(path), `.${randomUUID()}.part`);
    try {
      await pipeline(body, createWriteStream(temporary, { flags: 'wx' }));
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject | undefined> {
    const path = this.pathOf(key);
    const size = await this.size(key);
    if (size === undefined) return undefined;
    const body = createReadStream(path, range ? { start: range.start, end: range.end } : {});
    return { body, size, contentType: contentTypeOf(key) };
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? info.size : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async move(from: string, to: string): Promise<void> {
    const target = this.pathOf(to);
    await mkdir(dirname(target), { recursive: true });
    await rename(this.pathOf(from), target);
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<number> {
    let count = 0;
    for await (const _ of this.list(prefix)) count++;
    await rm(this.pathOf(prefix.replace(/\/$/, '')), { recursive: true, force: true });
    return count;
  }

  async *list(prefix: string): AsyncIterable<{ key: string; size: number; modified: Date }> {
    const dir = this.pathOf(prefix.replace(/\/$/, ''));
    let entries;
    try {
      entries = await readdir(dir, { recursive: true, withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.endsWith('.part')) continue;
      const path = join(entry.parentPath, entry.name);
      const info = await stat(path);
      yield { key: relative(this.root, path).split(sep).join('/'), size: info.size, modified: info.mtime };
    }
  }

  async signedUrl(): Promise<undefined> {
    return undefined;
  }

  private pathOf(key: string): string {
    return join(this.root, ...checkedKey(key).split('/'));
  }
}
