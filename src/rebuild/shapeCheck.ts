import type { Redis } from 'ioredis';
import { globEscape } from './redisSwap.js';
import type { RedisReadModel } from './redisReadModels.js';

/** Records decoded per check: one SCAN page, so a model of any size costs each check about the same. */
const RECORDS_PER_CHECK = 100;

/**
 * Whether a shared model in Redis holds what this code writes (src/projections/sharedShape.ts): the shape
 * marker stored with its checkpoint, and its records, decoded a page per check so that, round after round,
 * every record is read. Answers why the model is not this shape, or undefined.
 */
export class ShapeCheck {
  private cursor = '0';

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly model: RedisReadModel,
  ) {}

  /** The marker: absent (nothing committed yet, or written before markers existed) reads as shape 1, like records. */
  async marker(): Promise<string | undefined> {
    const stored = (await this.redis.get(`${this.prefix}${this.model.shape.markerSuffix}`)) ?? '1';
    return stored === String(this.model.shape.version) ? undefined : `it was written by shape ${stored}, this instance writes shape ${this.model.shape.version}`;
  }

  /** Every record, page by page (at start, before the model runs). */
  async allRecords(): Promise<string | undefined> {
    this.cursor = '0';
    do {
      const problem = await this.nextRecords();
      if (problem) return problem;
    } while (this.cursor !== '0');
    return undefined;
  }

  /** The next page of records; wraps around at the end. */
  async nextRecords(): Promise<string | undefined> {
    const [next, keys] = await this.redis.scan(this.cursor, 'MATCH', `${globEscape(this.prefix)}${this.model.shape.recordPattern}`, 'COUNT', RECORDS_PER_CHECK);
    this.cursor = next;
    if (keys.length === 0) return undefined;
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hgetall(key);
    const results = (await pipeline.exec()) ?? [];
    for (let i = 0; i < keys.length; i++) {
      const [error, hash] = results[i] ?? [new Error('no reply'), null];
      const key = keys[i]!;
      // WRONGTYPE: a key of the model's pattern that is no hash was not written by this shape either.
      if (error) return `${key} cannot be read as a record (${error.message})`;
      try {
        this.model.shape.decode(key, hash as Record<string, string>);
      } catch (problem) {
        return problem instanceof Error ? problem.message : String(problem);
      }
    }
    return undefined;
  }
}
