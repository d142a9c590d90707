import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SpentTokens } from './spentTokens.js';

/**
 * Signed, expiring links to a protected recording (Scalelite's protected recordings). A token binds one
 * recording and one format to an expiry and a nonce: `<expiry epoch s>.<nonce>.<base64url HMAC-SHA256 of
 * "recordId\nformat\nexpiry\nnonce">`, so any instance checks it without a lookup. getRecordings hands out
 * tokens that live `RECORDINGS_LINK_TTL_S`; the link `/recording/<id>/<format>?token=…` is opened once
 * (`consume`, as Scalelite's one-time token) and sets a cookie (a token of `RECORDINGS_PLAYBACK_SESSION_S`)
 * scoped to `/<format>/<recordId>`, so the player's own requests for the recording's files get through.
 */
export interface RecordingLinks {
  /** A token for `format` of `recordId`, valid for `seconds` from now. */
  token(recordId: string, format: string, seconds?: number): string;
  /** True when `token` was made here for this recording and format and has not expired (spent or not). */
  valid(token: string | undefined, recordId: string, format: string): boolean;
  /** As `valid`, and only the first time: opening a link spends its token. */
  consume(token: string | undefined, recordId: string, format: string): Promise<boolean>;
  /** The cookie that carries a playback session of `format` of `recordId`. */
  cookieName(recordId: string, format: string): string;
  readonly ttlSeconds: number;
  readonly sessionSeconds: number;
}

export interface RecordingLinkOptions {
  /** The instance-shared secret the key is derived from (`CALLBACK_SECRET`, else `ADMIN_JWT_SECRET`). */
  secret: string;
  ttlSeconds: number;
  sessionSeconds: number;
  /** The links already opened: Redis when configured, else this process. */
  spent: SpentTokens;
  now(): number;
}

const TOKEN = /^(\d{1,12})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/;

export function recordingLinks(options: RecordingLinkOptions): RecordingLinks {
  // Its own key: a link token can never be replayed as an end callback's MAC, nor the other way round.
  const key = createHmac('sha256', options.secret).update('bbb-ledger recording links').digest();
  const mac = (recordId: string, format: string, expires: number, nonce: string) => createHmac('sha256', key).update(`${recordId}\n${format}\n${expires}\n${nonce}`).digest();
  /** The token's expiry (ms) and nonce when it is genuine and unexpired for this recording and format. */
  const check = (token: string | undefined, recordId: string, format: string): { untilMs: number; nonce: string } | undefined => {
    const match = token === undefined ? null : TOKEN.exec(token);
    if (!match) return undefined;
    const untilMs = Number(match[1]) * 1000;
    if (untilMs <= options.now()) return undefined;
    const nonce = match[2]!;
    return timingSafeEqual(Buffer.from(match[3]!, 'base64url'), mac(recordId, format, untilMs / 1000, nonce)) ? { untilMs, nonce } : undefined;
  };
  return {
    ttlSeconds: options.ttlSeconds,
    sessionSeconds: options.sessionSeconds,
    token(recordId, format, seconds = options.ttlSeconds) {
      const expires = Math.floor(options.now() / 1000) + seconds;
      const nonce = randomBytes(12).toString('base64url');
      return `${expires}.${nonce}.${mac(recordId, format, expires, nonce).toString('base64url')}`;
    },
    valid: (token, recordId, format) => check(token, recordId, format) !== undefined,
    async consume(token, recordId, format) {
      const checked = check(token, recordId, format);
      return checked !== undefined && options.spent.spend(checked.nonce, checked.untilMs, options.now());
    },
    cookieName: (recordId, format) => `recording_${format}_${recordId}`,
  };
}
