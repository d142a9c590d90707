import type { Context } from 'koa';
import { replyError, replyXml } from './bbbReply.js';
import { MEETING_ERRORS, noRecordingsXml } from './meetingAnswers.js';
import type { MeetingCall } from './meetingCalls.js';

type RecordingCallName = 'getRecordings' | 'publishRecordings' | 'deleteRecordings' | 'updateRecordings' | 'getRecordingTextTracks' | 'putRecordingTextTrack';

/**
 * The recording calls until recordings land: this balancer has none yet, so it answers as a BBB server
 * without recordings would — bbb-web's keys and messages, JSON where bbb-web answers JSON.
 */
export async function recordingCall({ ctx, request }: MeetingCall, call: RecordingCallName): Promise<void> {
  const recordID = request.params.get('recordID');
  const hasRecordId = recordID !== undefined && recordID !== '';
  switch (call) {
    case 'getRecordings':
      return replyXml(ctx, noRecordingsXml());
    case 'publishRecordings':
      if (!hasRecordId) return replyError(ctx, MEETING_ERRORS.missingRecordId);
      if (!request.params.get('publish')) return replyError(ctx, MEETING_ERRORS.missingPublish);
      return replyError(ctx, MEETING_ERRORS.recordingsNotFound);
    case 'deleteRecordings':
    case 'updateRecordings':
      return replyError(ctx, hasRecordId ? MEETING_ERRORS.recordingsNotFound : MEETING_ERRORS.missingRecordId);
    case 'getRecordingTextTracks':
      // bbb-web answers the missing parameter as XML (`invalid`), the rest as JSON.
      if (!hasRecordId) return replyError(ctx, MEETING_ERRORS.missingRecordId);
      return replyJson(ctx, { returncode: 'FAILED', messageKey: 'noRecordings', message: `No recording found for ${recordID}` });
    case 'putRecordingTextTrack':
      if (!hasRecordId) return replyJson(ctx, { returncode: 'FAILED', messageKey: 'paramError', message: 'Missing param recordID.' });
      return replyJson(ctx, { returncode: 'FAILED', messageKey: 'noRecordings', message: `No recording found for ${recordID}` });
    default: {
      const unknown: never = call;
      return unknown;
    }
  }
}

function replyJson(ctx: Context, response: Record<string, string>): void {
  ctx.status = 200;
  ctx.body = JSON.stringify({ response });
  ctx.set('Content-Type', 'application/json');
  ctx.set('Cache-Control', 'no-cache');
}
