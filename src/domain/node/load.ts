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
export function nodeLoadOf(meetings: readonly NodeMeeting[], cpu: number | null, memory: number | null = null): NodeLoad {
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
  const load = { meetings: main, participants, voice, video, breakoutMeetings: meetings.length - main, cpu };
  return memory === null ? load : { ...load, memory };
}

export function isMaterialLoadChange(previous: NodeLoad | null, next: NodeLoad, materiality: LoadMateriality): boolean {
  if (previous === null) return true;
  if (previous.meetings !== next.meetings || previous.breakoutMeetings !== next.breakoutMeetings) return true;
  const counts = ['participants', 'voice', 'video'] as const;
  if (counts.some((key) => materialCount(previous[key], next[key], materiality))) return true;
  if ((previous.cpu === null) !== (next.cpu === null)) return true;
  if ((previous.memory === undefined) !== (next.memory === undefined)) return true;
  return materialShare(previous.cpu, next.cpu, materiality) || materialShare(previous.memory ?? null, next.memory ?? null, materiality);
}

/** CPU and memory shares move materially by `cpuPoints` percentage points. */
function materialShare(before: number | null, after: number | null, { cpuPoints }: LoadMateriality): boolean {
  // In hundredths of a point, so 0.6 - 0.5 is 10 points and not 9.999….
  return before !== null && after !== null && Math.round(Math.abs(after - before) * 10_000) >= cpuPoints * 100;
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
  return parseNodeResources(text, plainScale).cpu;
}

/** The load endpoint's CPU as parseCpuLoad reads it, and the memory share our agent's JSON adds (`"memory":0.63`). */
export function parseNodeResources(text: string, plainScale: number): { cpu: number | null; memory: number | null } {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return { cpu: finiteShare(Number(trimmed) / plainScale), memory: null };
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (typeof parsed === 'object' && parsed !== null) {
      const { cpu, memory } = parsed as { cpu?: unknown; memory?: unknown };
      return { cpu: typeof cpu === 'number' ? finiteShare(cpu) : null, memory: typeof memory === 'number' ? finiteShare(memory) : null };
    }
  } catch {
    // neither a number nor our agent's JSON
  }
  return { cpu: null, memory: null };
}

const finiteShare = (value: number): number | null => (Number.isFinite(value) && value >= 0 ? Math.round(value * 10_000) / 10_000 : null);
