import type { Logger } from './logging.js';

/** Whether a backing store (event store, Redis, statistics database) answers, as its last calls found it. */
export type Availability = { available: true } | { available: false; since: string; reason: string };

/**
 * Follows one store through the outcomes of its calls and logs only the changes of state: one warning when
 * it goes down (with what to check), one line when it is back, however many requests failed in between.
 */
export class AvailabilityMonitor {
  private down: { since: Date; reason: string } | undefined;
  /** Outages so far: a call answered after an outage began, but sent before it, proves nothing about now. */
  private outages = 0;

  constructor(
    private readonly logger: Logger,
    /** What the log lines and /health call it, e.g. `event store (postgres)`. */
    readonly name: string,
    /** What an operator should check while it is down. */
    private readonly hint: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  succeeded(): void {
    if (!this.down) return;
    const downMs = this.now().getTime() - this.down.since.getTime();
    this.down = undefined;
    this.logger.info({ store: this.name, downMs }, `${this.name} is available again after ${Math.round(downMs / 1000)} s`);
  }

  failed(error: unknown): void {
    if (this.down) return;
    const reason = error instanceof Error ? error.message : String(error);
    this.down = { since: this.now(), reason };
    this.outages++;
    this.logger.warn({ store: this.name, reason }, `${this.name} is unavailable (${reason}); requests that need it are refused until it answers again. ${this.hint}`);
  }

  current(): Availability {
    return this.down ? { available: false, since: this.down.since.toISOString(), reason: this.down.reason } : { available: true };
  }

  /** Reports the outcome of `call`: a failure that `isOutage` recognises marks the store down. */
  async observe<T>(call: Promise<T>, isOutage: (error: unknown) => boolean): Promise<T> {
    // A store going down (a server shutting down) can still finish calls sent before: those do not end the
    // outage, or the state would flap and be logged again for one outage.
    const outagesBefore = this.outages;
    const answered = () => {
      if (this.outages === outagesBefore) this.succeeded();
    };
    try {
      const result = await call;
      answered();
      return result;
    } catch (error) {
      if (isOutage(error)) this.failed(error);
      else answered();
      throw error;
    }
  }
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * A failure of the way to a store rather than of the request: refused or lost connections, deadlines
 * (pg's query and connect timeouts, ioredis' command timeout, a closed or reconnecting client), and the
 * server saying it is shutting down, starting or full. Recognised by shape, so no driver is imported here.
 */
export function isOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if ((error as { code?: unknown }).code === 'STORE_UNAVAILABLE') return true;
  // EventStoreDB's client: its errors carry a `type`.
  const type = (error as { type?: unknown }).type;
  if (type === 'timeout' || type === 'deadline-exceeded' || type === 'unavailable') return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
  // PostgreSQL: admin shutdown / crash / cannot connect now (57P0x), connection exceptions (08xxx), too many connections.
  if (typeof code === 'string' && /^(57P0[1-4]|08[0-9A-Z]{3}|53300)$/.test(code)) return true;
  return /Query read timeout|timeout exceeded when trying to connect|Connection terminated|connection error and is not queryable|Command timed out|Connection is closed|Stream isn't writeable|max retries per request/i.test(error.message);
}
