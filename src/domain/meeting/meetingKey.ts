import { hash } from 'node:crypto';

/**
 * The meeting's name on its node, and the suffix of its stream: `<scope>-<sha1(meetingID)>`. Always a valid
 * BBB meeting ID (lower-case letters, digits and '-', well within 2–256 characters, never a comma), never
 * the same for two scopes, and it does not reveal the client's meeting ID to the node.
 */
export function nodeMeetingIdOf(scope: string, meetingID: string): string {
  return `${scope}-${hash('sha1', meetingID)}`;
}
