import { renderResponse, successResponse } from '../../domain/bbb/responses.js';
import type { BbbError } from './bbbReply.js';

/** The refusals of the meeting calls: bbb-web 2.5+ keys and messages, Scalelite's where BBB has no equivalent. */
export const MEETING_ERRORS = {
  /** Scalelite: create found no eligible node, or every one failed. */
  noServers: { key: 'internalError', message: 'Could not find any available servers.' },
  serverFull: { key: 'serverFull', message: 'All servers are full at the moment, so the meeting cannot start now. Please try again in a few minutes.' },
  /** Scalelite: a create forwarded to the meeting's node got no usable answer. */
  createFailed: { key: 'internalError', message: 'Unable to create meeting on server.' },
  /** Scalelite: any other call forwarded to the meeting's node got no usable answer. */
  accessFailed: { key: 'internalError', message: 'Unable to access meeting on server.' },
  notFound: { key: 'notFound', message: 'A meeting with that ID does not exist' },
  /** bbb-web reports this for a join of an unknown meeting (HashMap order; seen in bigbluebutton#22979). */
  forciblyEnded: { key: 'meetingForciblyEnded', message: 'You can not join a meeting that has already been forcibly ended' },
  missingFullName: { key: 'missingParamFullName', message: 'You must provide your name' },
  chatMeetingNotFound: { key: 'meetingNotFound', message: 'Meeting not found' },
  missingRecordId: { key: 'missingParamRecordID', message: 'You must specify a recordID.' },
  missingPublish: { key: 'missingParamPublish', message: 'You must specify a publish value true or false.' },
  recordingsNotFound: { key: 'notFound', message: 'We could not find recordings' },
} as const satisfies Record<string, BbbError>;

/**
 * Scalelite's refusal when nodes are up but none carries a tag the create requires (`meta_server-tag=a!`);
 * several required tags are named as they are written, `;`-separated.
 */
export function serverTagUnavailable(tags: readonly string[]): BbbError {
  return { key: 'serverTagUnavailable', message: `There is no available server with the required tag=${tags.join(';')}.` };
}

/** bbb-web's insert-document.ftlx (2.6–3.0.0-beta) has no messageKey for an unknown meeting. */
export function insertDocumentNotFoundXml(meetingID: string): string {
  return renderResponse({ returncode: 'FAILED', message: `Meeting with id [${meetingID}] not found.` });
}

export function notRunningXml(): string {
  return successResponse({ running: 'false' });
}

/**
 * bbb-web's getRecordings answer when nothing matches, with `<recordings></recordings>` written out as its
 * template does (the shared builder would write `<recordings/>`).
 */
export function noRecordingsXml(): string {
  return '<response><returncode>SUCCESS</returncode><recordings></recordings><messageKey>noRecordings</messageKey><message>There are no recordings for the meeting(s).</message></response>';
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * A node's XML with the node meeting ID replaced by the client's, wherever it occurs (the `<meetingID>`
 * element, insertDocument's "Meeting with id […]" message). Exact: `<scope>-<40 hex>` occurs nowhere else,
 * and the internal meeting ID derives from it by another sha1, so the scoped ID never leaks.
 */
export function withClientMeetingId(xml: string, nodeMeetingID: string, meetingID: string): string {
  return xml.replaceAll(nodeMeetingID, meetingID.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!));
}
