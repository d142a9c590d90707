/**
 * Creates this process let through that no MeetingCreated (or abandonment) has answered yet: counted against a
 * hard meeting limit at once, so a burst of creates at the start of a lesson cannot all pass a limit of two.
 * Forgotten when the meeting's outcome reaches the log, or after `ttlMs` (a create that never finished).
 */
export class PendingCreates {
  private readonly pending = new Map<string, { tenant: string; scope: string; at: number }>();
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  has(scope: string, meetingID: string): boolean {
    this.expire();
    return this.pending.has(keyOf(scope, meetingID));
  }

  /** In flight for a tenant (all its scopes) or one scope. */
  of(key: string): number {
    this.expire();
    return this.counts.get(key) ?? 0;
  }

  add(tenant: string, scope: string, meetingID: string): void {
    const key = keyOf(scope, meetingID);
    if (this.pending.has(key)) return;
    this.pending.set(key, { tenant, scope, at: this.now() });
    this.count(tenant, scope, 1);
  }

  settle(scope: string, meetingID: string): void {
    const key = keyOf(scope, meetingID);
    const entry = this.pending.get(key);
    if (!entry) return;
    this.pending.delete(key);
    this.count(entry.tenant, entry.scope, -1);
  }

  /** Oldest first (a Map keeps insertion order), so this stops at the first one still young. */
  private expire(): void {
    const limit = this.now() - this.ttlMs;
    for (const [key, entry] of this.pending) {
      if (entry.at > limit) return;
      this.pending.delete(key);
      this.count(entry.tenant, entry.scope, -1);
    }
  }

  private count(tenant: string, scope: string, by: number): void {
    for (const key of tenant === scope ? [tenant] : [tenant, scope]) {
      const next = (this.counts.get(key) ?? 0) + by;
      if (next === 0) this.counts.delete(key);
      else this.counts.set(key, next);
    }
  }
}

const keyOf = (scope: string, meetingID: string): string => `${scope}\n${meetingID}`;
