const DAY_MS = 86_400_000;

/** The UTC calendar day of an instant, `YYYY-MM-DD`. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
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
