/**
 * The one source of "now" for every date computation (overdue invoices, warranty days,
 * metric windows, asset age). Tests and scenarios pin it so answers do not drift with the
 * calendar.
 */
export interface Clock {
  now(): Date;
}

/** The dataset's own "today": the instant scenarios and golden tests pin the clock to. */
export const DATASET_NOW = '2025-10-05T12:00:00Z';

const MS_PER_DAY = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A clock that reads the real time. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock frozen at one instant. */
export function fixedClock(instant: Date | string): Clock {
  const date = typeof instant === 'string' ? parseInstant(instant) : new Date(instant.getTime());
  const ms = date.getTime();
  return { now: () => new Date(ms) };
}

/**
 * Parses an ISO-8601 instant. A bare `YYYY-MM-DD` means midnight UTC. Throws a RangeError
 * naming the bad value, so a wrong `HELPDESK_NOW` fails loudly instead of meaning "now".
 */
export function parseInstant(text: string): Date {
  const trimmed = text.trim();
  const hasZone = /(?:[zZ]|[+-]\d{2}:?\d{2})$/.test(trimmed);
  const candidate = DAY_PATTERN.test(trimmed) ? `${trimmed}T00:00:00Z` : hasZone ? trimmed : `${trimmed}Z`;
  const date = new Date(candidate);
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed) || Number.isNaN(date.getTime())) {
    throw new RangeError(`Invalid instant "${text}": expected ISO-8601 such as ${DATASET_NOW} or 2025-10-05`);
  }
  return date;
}

/**
 * The clock a process should use: pinned when `pinned` (from HELPDESK_NOW or --now) is set,
 * otherwise the real time.
 */
export function clockFrom(pinned: string | undefined): Clock {
  return pinned && pinned.trim() !== '' ? fixedClock(pinned) : systemClock;
}

/** Milliseconds since the epoch of a calendar day at 00:00 UTC, or undefined if not a real day. */
export function dayStart(day: string): number | undefined {
  const match = DAY_PATTERN.exec(day);
  if (!match) return undefined;
  const [, y, m, d] = match;
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  const back = new Date(ms);
  if (back.getUTCDate() !== Number(d) || back.getUTCMonth() !== Number(m) - 1) return undefined;
  return ms;
}

/** True when `day` is a real calendar date written as YYYY-MM-DD. */
export function isCalendarDay(day: string): boolean {
  return dayStart(day) !== undefined;
}

/** Whole days from `fromMs` to `toMs`, floored (−44.5 days is −45, as a calendar count should be). */
export function floorDays(fromMs: number, toMs: number): number {
  return Math.floor((toMs - fromMs) / MS_PER_DAY);
}

/** The calendar day (UTC) of an instant, as YYYY-MM-DD. */
export function formatDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The instant `days` days before `instant`. */
export function daysBefore(instant: Date, days: number): Date {
  return new Date(instant.getTime() - days * MS_PER_DAY);
}
