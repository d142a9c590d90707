/**
 * Identical reads in flight at the same moment share one query. Every subscription of a process is woken by
 * the same append and usually reads the same page after the same position; filters apply after the read,
 * so one round trip (and one decoding of the rows) serves them all. The result is shared: read-only.
 */
export class SharedReads<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  read(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const started = load().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}
