import { ValidationError } from '../domain/errors.js';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * An ISO-8601 instant with a zone (`2026-11-23T10:00:00Z`, `…+01:00`), not after `now`: the log holds no
 * future to fold. @throws ValidationError naming `parameter`
 */
export function parsePastInstant(raw: string | undefined, parameter: string, now: Date): Date {
  if (raw === undefined || raw === '') throw new ValidationError(`${parameter} is required: an ISO-8601 instant such as 2026-11-23T10:00:00Z`, parameter);
  const match = INSTANT.exec(raw);
  const instant = new Date(raw);
  if (!match || Number.isNaN(instant.getTime()) || !validCalendarDay(match[1]!, match[2]!, match[3]!) || Number(match[4]) > 23 || Number(match[5]) > 59 || Number(match[6] ?? 0) > 59) {
    throw new ValidationError(`${parameter} "${raw}" is not an ISO-8601 instant with a time zone, such as 2026-11-23T10:00:00Z`, parameter);
  }
  if (instant.getTime() > now.getTime()) throw new ValidationError(`${parameter} ${raw} is in the future (now is ${now.toISOString()})`, parameter);
  return instant;
}

/** A UTC calendar day `YYYY-MM-DD`. @throws ValidationError naming `parameter` */
export function parseDay(raw: string | undefined, parameter: string): string {
  const match = raw === undefined ? null : DAY.exec(raw);
  if (!match || !validCalendarDay(match[1]!, match[2]!, match[3]!)) {
    throw new ValidationError(`${parameter} "${raw ?? ''}" is not a day YYYY-MM-DD`, parameter);
  }
  return raw!;
}

function validCalendarDay(year: string, month: string, day: string): boolean {
  const d = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return d.getUTCFullYear() === Number(year) && d.getUTCMonth() === Number(month) - 1 && d.getUTCDate() === Number(day);
}
