/**
 * Wakes this process's subscriptions when something was appended. A hint only: correctness comes from
 * re-reading the store, so a missed or spurious wake-up costs latency, never events.
 */
export class AppendSignal {
  private readonly listeners = new Set<AppendListener>();
  private scheduled = false;

  /**
   * Wakes the listeners once the appends of this event-loop turn are done, so a burst of appends (joins under
   * load) is read as one page per subscription instead of one page per event.
   */
  notify(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      for (const listener of this.listeners) listener.poke();
    });
  }

  /** A listener remembers a notify that came while its subscription was busy, so no wake-up is lost. */
  listen(): AppendListener {
    const listener = new AppendListener(() => this.listeners.delete(listener));
    this.listeners.add(listener);
    return listener;
  }
}

export class AppendListener {
  private pending = false;
  private wake: (() => void) | undefined;

  constructor(private readonly unregister: () => void) {}

  poke(): void {
    this.pending = true;
    this.wake?.();
  }

  /** Resolves at once if poked since the last wait, else on the next poke, after `timeoutMs`, or on abort. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wake = undefined;
        this.pending = false;
        resolve();
      };
      if (this.pending || signal?.aborted) return done();
      timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  close(): void {
    this.wake?.();
    this.unregister();
  }
}
