import { isOutage } from '../../availability.js';
import type { JoinRole, MeetingIdentity } from '../../domain/meeting/events.js';
import type { EventStore } from '../../eventstore/port.js';
import type { Logger } from '../../logging.js';
import { appendMeetingJoined } from './appendObserved.js';

/** Runs `run` once after `ms`; the returned function cancels it. Tests pass a manual one. */
export type JoinRecorderTimer = (run: () => void, ms: number) => () => void;

export interface JoinRecorderOptions {
  store: Pick<EventStore, 'append'>;
  logger: Logger;
  /** `JOIN_RECORD_WINDOW_MS`: joins of one meeting within this long become one MeetingJoined. */
  windowMs: number;
  /** Most meetings with joins waiting in one window; a full window is appended at once. Default 10,000. */
  maxPendingMeetings?: number;
  /** Wait before the one retry of a failed append; default the window. */
  retryDelayMs?: number;
  now(): Date;
  newId(): string;
  timer?: JoinRecorderTimer;
}

interface PendingJoins {
  meeting: MeetingIdentity;
  moderators: number;
  viewers: number;
  from: Date;
  to: Date;
  /** The first join's request id: the event's correlation id. */
  correlationId: string;
}

export const DEFAULT_MAX_PENDING_MEETINGS = 10_000;

const realTimer: JoinRecorderTimer = (run, ms) => {
  const handle = setTimeout(run, ms);
  // A pending window must not keep a stopping process alive: stop() flushes it.
  handle.unref();
  return () => clearTimeout(handle);
};

/**
 * Takes joins off the request path: the join handler hands each one over synchronously and redirects at once;
 * the joins of a meeting are counted over a window and appended as ONE MeetingJoined per meeting per window.
 * Counting must never cost the user the join, so a failed append is logged and retried once, never thrown.
 * Memory is bounded: at most `maxPendingMeetings` meetings wait in the window and as many in flight; beyond
 * that, joins are dropped (and logged): the next poll of the node brings the counts back.
 */
export class JoinRecorder {
  private pending = new Map<string, PendingJoins>();
  private cancelWindow: (() => void) | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private inFlightMeetings = 0;
  private droppedInWindow = 0;
  private stopped = false;
  private readonly max: number;
  private readonly timer: JoinRecorderTimer;

  constructor(private readonly options: JoinRecorderOptions) {
    this.max = options.maxPendingMeetings ?? DEFAULT_MAX_PENDING_MEETINGS;
    this.timer = options.timer ?? realTimer;
  }

  /** Meetings whose joins wait for the next window or are being appended (bbb_ledger_saga_queue_depth{saga="joins"}). */
  get waiting(): number {
    return this.pending.size + this.inFlightMeetings;
  }

  /** Counts one join; returns at once. `correlationId` is the join request's id. */
  record(meeting: MeetingIdentity, role: JoinRole, correlationId: string): void {
    if (this.stopped) return this.drop(meeting, 'stopped');
    const key = `${meeting.scope}\n${meeting.meetingID}`;
    const now = this.options.now();
    let joins = this.pending.get(key);
    if (!joins) {
      if (this.pending.size >= this.max) {
        if (this.inFlightMeetings >= this.max) return this.drop(meeting, 'full');
        this.appendWindow();
      }
      const { tenant, scope, meetingID } = meeting;
      joins = { meeting: { tenant, scope, meetingID }, moderators: 0, viewers: 0, from: now, to: now, correlationId };
      this.pending.set(key, joins);
    }
    if (role === 'MODERATOR') joins.moderators += 1;
    else joins.viewers += 1;
    joins.to = now;
    this.cancelWindow ??= this.timer(() => {
      this.cancelWindow = undefined;
      this.appendWindow();
    }, this.options.windowMs);
  }

  /** Appends the window now and resolves once everything handed over so far is stored (or given up on). */
  async flush(): Promise<void> {
    this.appendWindow();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** Flushes; joins handed over afterwards are dropped. Call before the event store closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.flush();
  }

  private appendWindow(): void {
    this.cancelWindow?.();
    this.cancelWindow = undefined;
    if (this.droppedInWindow > 0) {
      this.options.logger.warn({ dropped: this.droppedInWindow }, 'join recorder: joins dropped, the event store is not keeping up');
      this.droppedInWindow = 0;
    }
    if (this.pending.size === 0) return;
    const window = [...this.pending.values()];
    this.pending = new Map();
    this.inFlightMeetings += window.length;
    const appended = Promise.all(window.map((joins) => this.appendWithRetry(joins))).then(() => {
      this.inFlightMeetings -= window.length;
      this.inFlight.delete(appended);
    });
    this.inFlight.add(appended);
  }

  private async appendWithRetry(joins: PendingJoins): Promise<void> {
    const { meeting, moderators, viewers, from, to, correlationId } = joins;
    // One command id for both attempts: if the first was stored after all, the retry stores nothing new.
    const context = { actor: `tenant:${meeting.scope}`, correlationId, causationId: correlationId, now: this.options.now(), commandId: this.options.newId() };
    const append = () => appendMeetingJoined(this.options.store, meeting, { moderators, viewers }, { from, to }, context);
    const about = { tenant: meeting.tenant, scope: meeting.scope, meetingID: meeting.meetingID, moderators, viewers };
    try {
      await append();
      return;
    } catch (error) {
      // During a store outage its monitor has said so once; one line per meeting and window would drown it.
      this.options.logger[isOutage(error) ? 'debug' : 'warn']({ err: error, ...about }, 'join recorder: could not append MeetingJoined, retrying once');
    }
    await new Promise<void>((resolve) => this.timer(resolve, this.options.retryDelayMs ?? this.options.windowMs));
    try {
      await append();
    } catch (error) {
      this.options.logger[isOutage(error) ? 'debug' : 'error']({ err: error, ...about }, 'join recorder: MeetingJoined lost; the next poll of the node corrects the counts');
    }
  }

  private drop(meeting: MeetingIdentity, why: 'stopped' | 'full'): void {
    if (why === 'stopped') {
      this.options.logger.warn({ scope: meeting.scope, meetingID: meeting.meetingID }, 'join recorder: join after stop not recorded');
      return;
    }
    this.droppedInWindow += 1;
  }
}
