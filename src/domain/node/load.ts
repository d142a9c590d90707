import type { NodeMeeting } from '../bbb/getMeetingsResponse.js';
import type { NodeLoadReported } from './events.js';

/** What one poll saw on a node: the data of a NodeLoadReported without the node id. */
export type NodeLoad = Omit<NodeLoadReported['data'], 'nodeId'>;

/**
 * When a new poll is worth an event. Any change of the meeting or breakout count is; participants,
 * voice and video must move by at least `participantsAbsolute` AND by `participantsPercent` of the
 * last report (so 3 → 5 users is material on a quiet node, 400 → 402 is not); CPU by `cpuPoints`
 * percentage points. Gaining or losing a CPU figure is material.
 */
export interface LoadMateriality {
  /** `LOAD_REPORT_MIN_PARTICIPANTS`, default 2. */
  participantsAbsolute: number;
  /** `LOAD_REPORT_MIN_PERCENT`, default 5. */
  participantsPercent: number;
  /** `LOAD_REPORT_CPU_POINTS`, default 10 (0.10 of the 0–1 scale). */
  cpuPoints: number;
}

export const DEFAULT_LOAD_MATERIALITY: LoadMateriality = { participantsAbsolute: 2, participantsPercent: 5, cpuPoints: 10 };

/** Breakout rooms are not meetings of their own for load: their users are counted in the parent by BBB. */
export function nodeLoadOf(meetings: readonly NodeMeeting[], cpu: number | null): NodeLoad {
  let main = 0;
  let participants = 0;
  let voice = 0;
  let video = 0;
  for (const m of meetings) {
    if (m.isBreakout) continue;
    main++;
    participants += m.participantCount;
    voice += m.voiceParticipantCount;
    video += m.videoCount;
  }
  return { meetings: main, participants, voice, video, breakoutMeetings: meetings.length - main, cpu };
}

export function isMaterialLoadChange(previous: NodeLoad | null, next: NodeLoad, materiality: LoadMateriality): boolean {
  if (previous === null) return true;
  if (previous.meetings !== next.meetings || previous.breakoutMeetings !== next.breakoutMeetings) return true;
  const counts = ['participants', 'voice', 'video'] as const;
  if (counts.some((key) => materialCount(previous[key], next[key], materiality))) return true;
  if ((previous.cpu === null) !== (next.cpu === null)) return true;
  // In hundredths of a point, so 0.6 - 0.5 is 10 points and not 9.999….
  return previous.cpu !== null && next.cpu !== null && Math.round(Math.abs(next.cpu - previous.cpu) * 10_000) >= materiality.cpuPoints * 100;
}

function materialCount(before: number, after: number, { participantsAbsolute, participantsPercent }: LoadMateriality): boolean {
  const delta = Math.abs(after - before);
  if (delta === 0) return false;
  // From or to zero always matters: an empty node and one with users are placed differently.
  if (before === 0 || after === 0) return true;
  return delta >= participantsAbsolute && (delta * 100) / before >= participantsPercent;
}

/**
 * A load endpoint's answer as a 0–1 CPU share: our agent's JSON `{"cpu":0.42}`, or a plain number divided by
 * `plainScale` (`NODE_LOAD_PLAIN_SCALE`; B3LB's b3lb-load answers utilisation × 10000). Anything else: null.
 */
export function parseCpuLoad(text: string, plainScale: number): number | null {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return finiteShare(Number(trimmed) / plainScale);
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (typeof parsed === 'object' && parsed !== null && 'cpu' in parsed && typeof parsed.cpu === 'number') return finiteShare(parsed.cpu);
  } catch {
    // neither a number nor our agent's JSON
  }
  return null;
}

const finiteShare = (value: number): number | null => (Number.isFinite(value) && value >= 0 ? Math.round(value * 10_000) / 10_000 : null);
