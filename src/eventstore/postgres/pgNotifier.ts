import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../../logging.js';
import type { AppendSignal } from '../appendSignal.js';
import { query } from './pgClient.js';

export interface PgNotifierOptions {
  pool: pg.Pool;
  /** Connection settings for the dedicated LISTEN connection (a pooled client could be handed out). */
  clientConfig: pg.ClientConfig;
  channel: string;
  /** Woken when another process announces an append. */
  signal: AppendSignal;
  logger: Logger;
  /** At most one NOTIFY per this many ms from this process. */
  debounceMs?: number;
}

const MAX_RECONNECT_DELAY_MS = 10_000;

/**
 * Cross-process wake-ups. NOTIFY is sent after commit, on its own and debounced: a NOTIFY inside the
 * append transaction would take the cluster-wide notify-queue lock at every commit. Notifications are
 * hints only; subscriptions poll anyway, so a lost connection costs latency, never events.
 */
export class PgNotifier {
  private readonly id = randomUUID();
  private readonly debounceMs: number;
  private listener: pg.Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private coolingTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private dirty = false;
  private closed = false;

  constructor(private readonly options: PgNotifierOptions) {
    this.debounceMs = options.debounceMs ?? 20;
  }

  /** Resolves once listening; a failure is logged and retried in the background, not thrown. */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Call after an append committed. */
  appended(): void {
    if (this.closed) return;
    if (this.coolingTimer) {
      this.dirty = true;
      return;
    }
    this.send();
    this.coolingTimer = setTimeout(() => {
      this.coolingTimer = undefined;
      if (this.dirty) {
        this.dirty = false;
        this.appended();
      }
    }, this.debounceMs);
    this.coolingTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.coolingTimer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  private send(): void {
    const { pool, channel, logger } = this.options;
    query(pool, 'SELECT pg_notify($1, $2)', [channel, this.id]).catch((error: unknown) => {
      if (this.closed) return;
      logger.warn(
        { err: error, channel },
        'could not send the append notification; subscribers in other processes will see the new events at their next poll (within about 1 s)',
      );
    });
  }

  private async connect(): Promise<void> {
    const { clientConfig, channel, signal, logger } = this.options;
    const client = new pg.Client(clientConfig);
    let down = false;
    const onDown = (error: Error | undefined) => {
      if (down) return;
      down = true;
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
      if (this.closed) return;
      // Once per outage: the reconnect attempts that follow are not news.
      if (this.failures === 0) logger.warn(
        { err: error, channel, attempt: this.failures + 1 },
        'lost the LISTEN connection to PostgreSQL; subscriptions fall back to polling every second until it is back. Reconnecting; if this repeats, check the server and network',
      );
      this.scheduleReconnect();
    };
    client.on('error', onDown);
    client.on('end', () => onDown(undefined));
    client.on('notification', (message) => {
      if (message.channel === channel && message.payload !== this.id) signal.notify();
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${channel}"`);
    } catch (error) {
      onDown(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.closed || down) {
      if (!down) await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    if (this.failures > 0) logger.info({ channel }, 'listening for append notifications again');
    this.failures = 0;
    // Anything appended while we were not listening would otherwise wait for the next poll.
    signal.notify();
  }

  private scheduleReconnect(): void {
    const delay = Math.min(MAX_RECONNECT_DELAY_MS, 100 * 2 ** this.failures);
    this.failures += 1;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
    this.reconnectTimer.unref();
  }
}
