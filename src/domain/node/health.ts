/**
 * Node health as hysteresis over probe results (after BBBLB's mark_error/mark_success), so one lost poll
 * neither sends meetings away from a node nor one lucky answer sends them back to a sick one.
 */

export const NODE_HEALTHS = ['unknown', 'available', 'unstable', 'offline'] as const;

export type NodeHealth = (typeof NODE_HEALTHS)[number];

export type ProbeFailureReason = 'timeout' | 'connection' | 'http' | 'checksumError' | 'badXml';

export type ProbeResult = { ok: true } | { ok: false; reason: ProbeFailureReason; detail: string };

export interface HealthThresholds {
  /** Consecutive failures that make a node offline (`HEALTH_FAIL_THRESHOLD`). */
  failThreshold: number;
  /** Consecutive successes that bring an unstable or offline node back (`HEALTH_RECOVER_THRESHOLD`). */
  recoverThreshold: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = { failThreshold: 3, recoverThreshold: 5 };

/** Consecutive results of one kind; one of the two is always 0 once a probe has run. */
export interface ProbeStreak {
  failures: number;
  successes: number;
}

export const NO_STREAK: ProbeStreak = { failures: 0, successes: 0 };

export interface HealthTrack extends ProbeStreak {
  health: NodeHealth;
}

export function extendStreak(streak: ProbeStreak, result: ProbeResult): ProbeStreak {
  return result.ok ? { failures: 0, successes: streak.successes + 1 } : { failures: streak.failures + 1, successes: 0 };
}

/**
 * available → unstable on the first failure → offline after `failThreshold` consecutive failures;
 * unstable or offline → available after `recoverThreshold` consecutive successes. A node never seen
 * healthy (`unknown`) is available on its first success and offline (never "unstable": it was never
 * stable) after `failThreshold` failures.
 */
export function nextHealth(track: HealthTrack, result: ProbeResult, thresholds: HealthThresholds): HealthTrack {
  const streak = extendStreak(track, result);
  return { ...streak, health: healthAfter(track.health, streak, thresholds) };
}

function healthAfter(health: NodeHealth, streak: ProbeStreak, { failThreshold, recoverThreshold }: HealthThresholds): NodeHealth {
  if (streak.successes > 0) {
    if (health === 'unknown' || health === 'available') return 'available';
    return streak.successes >= recoverThreshold ? 'available' : health;
  }
  if (streak.failures >= failThreshold) return 'offline';
  return health === 'available' ? 'unstable' : health;
}
