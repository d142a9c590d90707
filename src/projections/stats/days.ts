const DAY_MS = 86_400_000;

// Events come in time order, so most calls fall on the day of the previous one: a replay's hot path.
let lastDay = { start: NaN, day: '' };

/** The UTC calendar day of an instant, `YYYY-MM-DD`. */
export function dayOf(ms: number): string {
  if (ms >= lastDay.start && ms < lastDay.start + DAY_MS) return lastDay.day;
  const day = new Date(ms).toISOString().slice(0, 10);
  if (Number.isFinite(ms)) lastDay = { start: Math.floor(ms / DAY_MS) * DAY_MS, day };
  return day;
}

/** How many milliseconds of `[fromMs, toMs)` fall on each UTC day, in order; nothing for an empty span. */
export function splitByDay(fromMs: number, toMs: number): Array<{ day: string; ms: number }> {
  const parts: Array<{ day: string; ms: number }> = [];
  let start = fromMs;
  while (start < toMs) {
    const end = Math.min(toMs, (Math.floor(start / DAY_MS) + 1) * DAY_MS);
    parts.push({ day: dayOf(start), ms: end - start });
    start = end;
  }
  return parts;
}
