import type { Readable } from 'node:stream';
import { CopyObjectCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { checkedKey, contentTypeOf, StorageUnavailableError, type ByteRange, type ObjectStorage, type StoredObject } from './objectStorage.js';

export interface S3Settings {
  endpoint: string | undefined;
  bucket: string;
  region: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  forcePathStyle: boolean;
}

/** 8 MiB parts, two in flight: an upload holds ~16 MiB whatever its size. */
const PART_SIZE = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

/** Objects in one S3 bucket (`S3_*`); large bodies go up as multipart uploads (lib-storage). */
export class S3ObjectStorage implements ObjectStorage {
  readonly kind = 's3';
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    const { endpoint, region, accessKeyId, secretAccessKey, forcePathStyle } = settings;
    this.client = new S3Client({
      region,
      forcePathStyle,
      ...(endpoint ? { endpoint } : {}),
      ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    });
  }

  async put(key: string, body: Readable, options?: { contentType?: string }): Promise<void> {
    const params = { Bucket: this.settings.bucket, Key: checkedKey(key), Body: body, ContentType: options?.contentType ?? contentTypeOf(key) };
    await this.call(`put ${key}`, () => new Upload({ client: this.client, params, partSize: PART_SIZE, queueSize: PARTS_IN_FLIGHT, leavePartsOnError: false }).done());
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject | undefined> {
    const command = new GetObjectCommand({ Bucket: this.settings.bucket, Key: checkedKey(key), ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) });
    const answer = await this.call(`get ${key}`, () => this.client.send(command), true);
    if (!answer) return undefined;
    const size = range ? Number(answer.ContentRange?.split('/')[1] ?? answer.ContentLength) : Number(answer.ContentLength);
    return { body: answer.Body as Readable, size, contentType: answer.ContentType };
  }

  async size(key: string): Promise<number | undefined> {
    const answer = await this.call(`head ${key}`, () => this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: checkedKey(key) })), true);
    return answer ? Number(answer.ContentLength) : undefined;
  }

  async move(from: string, to: string): Promise<void> {
    const Bucket = this.settings.bucket;
    const source = `${Bucket}/${checkedKey(from).split('/').map(encodeURIComponent).join('/')}`;
    await this.call(`copy ${from}`, () => this.client.send(new CopyObjectCommand({ Bucket, Key: checkedKey(to), CopySource: source })));
    await this.delete(from);
  }

  async delete(key: string): Promise<void> {
    await this.call(`delete ${key}`, () => this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: checkedKey(key) })));
  }

  async deletePrefix(prefix: string): Promise<number> {
    let count = 0;
    let batch: { Key: string }[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const Objects = batch;
      batch = [];
      await this.call(`delete ${prefix}`, () => this.client.send(new DeleteObjectsCommand({ Bucket: this.settings.bucket, Delete: { Objects, Quiet: true } })));
    };
    for await (const { key } of this.list(prefix)) {
      batch.push({ Key: key });
      count++;
      if (batch.length === 1000) await flush();
    }
    await flush();
    return count;
  }

  async *list(prefix: string): AsyncIterable<{ key: string; size: number; modified: Date }> {
    let token: string | undefined;
    do {
      const command = new ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: checkedKey(prefix.replace(/\/$/, '')) + '/', ContinuationToken: token });
      const page = await this.call(`list ${prefix}`, () => this.client.send(command));
      for (const item of page.Contents ?? []) {
        if (item.Key) yield { key: item.Key, size: Number(item.Size ?? 0), modified: item.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  signedUrl(key: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.settings.bucket, Key: checkedKey(key) }), { expiresIn: expiresInSeconds });
  }

  /** S3's own refusals pass through; a store that does not answer becomes StorageUnavailableError; 404 → undefined when asked. */
  private async call<T>(what: string, run: () => Promise<T>, missingIsUndefined: true): Promise<T | undefined>;
  private async call<T>(what: string, run: () => Promise<T>): Promise<T>;
  private async call<T>(what: string, run: () => Promise<T>, missingIsUndefined = false): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      if (missingIsUndefined && error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404)) return undefined;
      if (error instanceof S3ServiceException && (error.$metadata.httpStatusCode ?? 500) < 500) throw error;
      throw new StorageUnavailableError(`S3 ${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}
