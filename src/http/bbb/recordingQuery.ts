import type { Viewer } from '../../domain/recording/commands.js';
import type { RecordingQuery, RecordingStateName } from '../../projections/recordingList.js';
import type { BbbError } from './bbbReply.js';

/** The recording calls' refusals beyond the meeting calls' (meetingAnswers.ts). */
export const RECORDING_ERRORS = {
  /** bbb-web's IsBooleanConstraint wording; Scalelite would have stored any value as true. */
  invalidProtect: { key: 'validationError', message: 'Protect must be a boolean value (true or false)' },
} as const satisfies Record<string, BbbError>;

/** bbb-web's IsBooleanValidator: `true`/`false` (any case) or `1`/`0`; absent or empty is undefined (Scalelite's `present?`). */
export function booleanParam(value: string | undefined): boolean | undefined | 'invalid' {
  if (value === undefined || value === '') return undefined;
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === '1') return true;
  if (lower === 'false' || lower === '0') return false;
  return 'invalid';
}

const KNOWN_STATES: ReadonlySet<string> = new Set(['published', 'unpublished', 'deleted']);
const DEFAULT_STATES: ReadonlySet<RecordingStateName> = new Set(['published', 'unpublished']);
const MAX_LIMIT = 100;

/** A BBB comma list: blanks dropped, each value trimmed. */
export function commaList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((v) => v.trim()).filter((v) => v !== '');
  return items.length > 0 ? items : undefined;
}

/** `meta_<key>` parameters, keys lower-cased as bbb-web does. */
export function metaParams(params: ReadonlyMap<string, string>): Array<[string, string]> {
  const meta: Array<[string, string]> = [];
  for (const [name, value] of params) if (name.startsWith('meta_') && name.length > 5) meta.push([name.slice(5).toLowerCase(), value]);
  return meta;
}

/**
 * getRecordings' parameters by bbb-web's rules (§5.10): `recordID` prefixes win over `meetingID`s; `state` a
 * list or `any` (default published + unpublished; states this balancer never holds match nothing); `limit`
 * clamped to 1..100, pagination only with a valid one; a bad `offset` is 0.
 */
export function recordingQueryOf(params: ReadonlyMap<string, string>, viewer: Viewer): RecordingQuery {
  const stateList = commaList(params.get('state'))?.map((s) => s.toLowerCase());
  let states: RecordingQuery['states'] = DEFAULT_STATES;
  if (stateList?.includes('any')) states = 'any';
  else if (stateList) states = new Set(stateList.filter((s): s is RecordingStateName => KNOWN_STATES.has(s)));
  const limitText = params.get('limit');
  const limit = limitText !== undefined && /^-?\d{1,9}$/.test(limitText.trim()) ? Math.min(MAX_LIMIT, Math.max(1, Number(limitText.trim()))) : undefined;
  const offsetText = params.get('offset')?.trim();
  const offset = offsetText !== undefined && /^\d{1,9}$/.test(offsetText) ? Number(offsetText) : 0;
  return {
    viewer,
    recordIds: commaList(params.get('recordID')),
    meetingIDs: commaList(params.get('meetingID')),
    states,
    meta: metaParams(params).filter(([, value]) => value !== ''),
    page: limit === undefined ? undefined : { offset, limit },
  };
}
