import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring links to a protected tenant's recordings (Scalelite's protected recordings, stateless:
 * any instance checks a link, nothing is stored). A token binds one recording and one format to an expiry:
 * `<expiry epoch s>.<base64url HMAC-SHA256 of "recordId\nformat\nexpiry">`. getRecordings hands out tokens
 * that live `RECORDINGS_LINK_TTL_S`; opening one sets a cookie (a token of `RECORDINGS_PLAYBACK_SESSION_S`)
 * scoped to `/<format>/<recordId>`, so the player's own requests for the recording's files get through.
 */
export interface RecordingLinks {
  /** A token for `format` of `recordId`, valid for `seconds` from now. */
  token(recordId: string, format: string, seconds?: number): string;
  /** True when `token` was made here for this recording and format and has not expired. */
  valid(token: string | undefined, recordId: string, format: string): boolean;
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
  now(): number;
}

export function recordingLinks(options: RecordingLinkOptions): RecordingLinks {
  // Its own key: a link token can never be replayed as an end callback's MAC, nor the other way round.
  const key = createHmac('sha256', options.secret).update('bbb-ledger recording links').digest();
  const mac = (recordId: string, format: string, expires: number) => createHmac('sha256', key).update(`${recordId}\n${format}\n${expires}`).digest();
  return {
    ttlSeconds: options.ttlSeconds,
    sessionSeconds: options.sessionSeconds,
    token(recordId, format, seconds = options.ttlSeconds) {
      const expires = Math.floor(options.now() / 1000) + seconds;
      return `${expires}.${mac(recordId, format, expires).toString('base64url')}`;
    },
    valid(token, recordId, format) {
      const match = token === undefined ? null : /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
      if (!match) return false;
      const expires = Number(match[1]);
      if (expires * 1000 <= options.now()) return false;
      return timingSafeEqual(Buffer.from(match[2]!, 'base64url'), mac(recordId, format, expires));
    },
    cookieName: (recordId, format) => `recording_${format}_${recordId}`,
  };
}
