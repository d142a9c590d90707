import { sanitize } from '../bbb/checksum.js';
import { ValidationError } from '../errors.js';

/** bbb-web's MeetingIDConstraint plus its controller check: 2–256 characters, no comma, nothing to sanitise. */
export function validMeetingId(meetingID: string): string {
  if (meetingID.length < 2 || meetingID.length > 256) {
    throw new ValidationError('meeting ID must be between 2 and 256 characters', 'meetingID');
  }
  if (meetingID.includes(',')) throw new ValidationError("meeting ID cannot contain ','", 'meetingID');
  if (sanitize(meetingID) !== meetingID) {
    throw new ValidationError('meeting ID must not have control characters or surrounding whitespace', 'meetingID');
  }
  return meetingID;
}

const META_PARAM = /^meta_[a-zA-Z][a-zA-Z0-9-]*$/;

/** The `meta_*` create parameters as BBB stores them: lower-cased keys without the prefix. */
export function metadataOf(params: Readonly<Record<string, string>>): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (META_PARAM.test(key)) metadata[key.slice(5).toLowerCase()] = value;
  }
  return metadata;
}
