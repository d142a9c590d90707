import { createHash } from 'node:crypto';
import type { MeetingCreated } from '../meeting/events.js';
import type { RecordingImported } from '../recording/events.js';

/**
 * bbb-webhooks' message format, so a receiver written for it works unchanged. One message per POST: the form
 * fields are `domain`, `event` (a JSON array holding the message) and `timestamp` (epoch ms), and the URL gets
 * `checksum` = sha1(callbackURL + JSON of those three fields + secret) appended, as bbb-webhooks' callback
 * emitter computes it. The secret is the hook's own (the secret set that created it).
 */

export type HookEventID = 'meeting-created' | 'meeting-ended' | 'user-joined' | 'user-left' | 'rap-publish-ended';

export type HookMessage = { data: { type: 'event'; id: HookEventID; attributes: { meeting: Record<string, unknown> } & Record<string, unknown>; event: { ts: number } } };
type Message = HookMessage;

const numberOr = (value: string | undefined, fallback: number): number => (value !== undefined && /^\d+$/.test(value) ? Number(value) : fallback);

export function meetingCreatedMessage(data: MeetingCreated['data'], ts: number): Message {
  const params = data.params ?? {};
  const meeting = {
    'internal-meeting-id': data.internalMeetingID,
    'external-meeting-id': data.meetingID,
    name: data.name,
    'is-breakout': params.isBreakout === 'true',
    duration: numberOr(params.duration, 0),
    'create-time': data.createTime,
    'create-date': new Date(data.createTime).toUTCString(),
    'moderator-pass': data.moderatorPW ?? '',
    'viewer-pass': data.attendeePW ?? '',
    record: params.record === 'true',
    'voice-conf': data.voiceBridge,
    'dial-number': data.dialNumber,
    'max-users': numberOr(params.maxParticipants, 0),
    metadata: { ...data.metadata },
  };
  return { data: { type: 'event', id: 'meeting-created', attributes: { meeting }, event: { ts } } };
}

export function meetingEndedMessage(internalMeetingID: string, meetingID: string, ts: number): Message {
  return { data: { type: 'event', id: 'meeting-ended', attributes: { meeting: { 'internal-meeting-id': internalMeetingID, 'external-meeting-id': meetingID } }, event: { ts } } };
}

export type SeatRole = 'MODERATOR' | 'VIEWER';

/**
 * bbb-webhooks' `user-joined`/`user-left`, for one seat of a count change. bbb-ledger records counts, never who:
 * the user is anonymous, and `internal-user-id` names a seat (`<meeting>-m3`: the third moderator seat) so a
 * receiver that pairs joined with left by id stays balanced.
 */
export function userSeatMessage(id: 'user-joined' | 'user-left', internalMeetingID: string, meetingID: string, role: SeatRole, seat: number, ts: number): Message {
  const seatId = `${internalMeetingID}-${role === 'MODERATOR' ? 'm' : 'v'}${seat}`;
  const user = id === 'user-joined' ? { 'internal-user-id': seatId, 'external-user-id': seatId, name: '', role, presenter: false } : { 'internal-user-id': seatId, 'external-user-id': seatId, role };
  return { data: { type: 'event', id, attributes: { meeting: { 'internal-meeting-id': internalMeetingID, 'external-meeting-id': meetingID }, user }, event: { ts } } };
}

/** bbb-webhooks' `rap-publish-ended` for one imported format; `publicUrl` (PUBLIC_URL) makes its playback link absolute. */
export function rapPublishEndedMessage(data: RecordingImported['data'], ts: number, publicUrl: string | undefined): Message {
  const { playback } = data;
  const recording = {
    name: data.name,
    'is-breakout': data.isBreakout,
    'start-time': data.startTime,
    'end-time': data.endTime,
    size: playback.size,
    'raw-size': data.rawSize,
    metadata: { ...data.metadata },
    playback: { format: playback.format, ...(publicUrl ? { link: `${publicUrl.replace(/\/+$/, '')}${playback.playbackPath}` } : {}), 'processing-time': playback.processingTimeMs, duration: playback.durationMs },
  };
  const attributes = {
    meeting: { 'internal-meeting-id': data.internalMeetingID, 'external-meeting-id': data.meetingID },
    'record-id': data.recordId,
    success: true,
    'step-time': playback.processingTimeMs,
    workflow: playback.format,
    recording,
  };
  return { data: { type: 'event', id: 'rap-publish-ended', attributes, event: { ts } } };
}

/** The URL (checksum appended) and form body of one message to `callbackURL`, signed with `secret`. */
export function signedHookPost(callbackURL: string, secret: string, domain: string, message: Message, timestamp: number): { url: string; body: string } {
  const fields = { domain, event: `[${JSON.stringify(message)}]`, timestamp };
  const checksum = createHash('sha1').update(`${callbackURL}${JSON.stringify(fields)}${secret}`).digest('hex');
  const separator = callbackURL.includes('?') ? '&' : '?';
  const body = new URLSearchParams({ domain, event: fields.event, timestamp: String(timestamp) }).toString();
  return { url: `${callbackURL}${separator}checksum=${checksum}`, body };
}
