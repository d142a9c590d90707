/**
 * At most `limit` renders at once in this process, the rest wait in arrival order. ffmpeg takes every core
 * it is given, so two renders on a 2-core node already compete with the API; the limit is RENDER_CONCURRENCY.
 * (A saga in RxJS gets the same from mergeMap(…, limit); this is for callers outside a pipeline: the CLI,
 * the bench.)
 */
export interface ConcurrencyLimit {
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly running: number;
  readonly waiting: number;
}

export function concurrencyLimit(limit: number): ConcurrencyLimit {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
  let running = 0;
  const queue: Array<() => void> = [];
  // A freed slot passes straight to the next waiter, so a newcomer cannot slip in between.
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else running--;
  };
  return {
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (running >= limit) await new Promise<void>((resolve) => queue.push(resolve));
      else running++;
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
