import { SignJWT } from 'jose';
import { RECORDING_READY_CONTENT_TYPE, recordingReadyUrlOf, withoutRecordingReadyUrls } from '../domain/delivery/recordingReady.js';

export { RECORDING_READY_METAS } from '../domain/delivery/recordingReady.js';

/**
 * The recording-ready callback as BBB sends it (bbb-api-reference.md §8.3; post_publish_recording_ready_callback.rb)
 * and Scalelite re-sends it (RecordingReadyNotifierService): a form POST with one field, `signed_parameters`,
 * a JWT with header `{"alg":"HS256","typ":"JWT"}` and payload `{"meeting_id", "record_id"}` only (ruby-jwt adds
 * no iat or exp), signed with the secret the client knows: the tenant's, never the node's.
 */
export async function signRecordingReady(claims: { meetingId: string; recordId: string }, secret: string): Promise<string> {
  return new SignJWT({ meeting_id: claims.meetingId, record_id: claims.recordId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}

/** The POST body and its content type for deliver(). */
export function recordingReadyForm(signedParameters: string): { body: string; headers: Record<string, string> } {
  return {
    body: new URLSearchParams({ signed_parameters: signedParameters }).toString(),
    headers: { 'content-type': RECORDING_READY_CONTENT_TYPE },
  };
}

/**
 * Takes the recording-ready URL out of a create's parameters: the node must not call it (it would sign with
 * the node's secret, which the client does not know); bbb-ledger calls it after the import instead.
 */
export function takeRecordingReadyUrl(params: ReadonlyMap<string, string>): { url: string | undefined; rest: Map<string, string> } {
  return { url: recordingReadyUrlOf(Object.fromEntries(params)), rest: new Map(withoutRecordingReadyUrls([...params])) };
}
