import { blobRefOf, type BlobStore } from './blobStore.js';

/** Blobs in this process, for tests and `EVENTSTORE=memory`. */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();

  async put(bytes: Uint8Array): Promise<string> {
    const ref = blobRefOf(bytes);
    if (!this.blobs.has(ref)) this.blobs.set(ref, Buffer.from(bytes));
    return ref;
  }

  async get(ref: string): Promise<Buffer | undefined> {
    const stored = this.blobs.get(ref);
    return stored && Buffer.from(stored);
  }
}
