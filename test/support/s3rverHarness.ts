import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { S3ObjectStorage, type S3Settings } from '../../src/storage/s3Storage.js';

/** A real S3-compatible server in this process (s3rver) with one bucket, and a store pointed at it. */
export async function startS3rver(bucket = 'recordings'): Promise<{ settings: S3Settings; storage: S3ObjectStorage; stop(): Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const address = (await server.run()) as AddressInfo;
  const settings: S3Settings = {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  };
  return {
    settings,
    storage: new S3ObjectStorage(settings),
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
