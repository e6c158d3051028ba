/**
 * Europe/Madrid's calendar, for every use case that needs it: the daily
 * watch's day, hour and days left (docs/architecture.md, "The daily watch"),
 * the export's file name, reported dates without an offset. Computed with
 * Intl, so summer time needs no table.
 */

const DAY_MS = 86_400_000;

const parts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Madrid",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Madrid's wall clock at an instant. */
export function madridWall(ms: number): Wall {
  const p = Object.fromEntries(parts.formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]));
  return {
    year: p.year ?? 1970,
    month: p.month ?? 1,
    day: p.day ?? 1,
    hour: p.hour ?? 0,
    minute: p.minute ?? 0,
    second: p.second ?? 0,
  };
}

/** The Madrid calendar day of an instant, YYYY-MM-DD (the key of watch_runs). */
export function madridDay(ms: number): string {
  const w = madridWall(ms);
  return `${w.year}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

/** A running number of Madrid calendar days, so that a difference is a count of days. */
function dayNumber(ms: number): number {
  const w = madridWall(ms);
  return Date.UTC(w.year, w.month - 1, w.day) / DAY_MS;
}

/** Whole Madrid calendar days from `now` to `then` (0 on the same day, negative when past). */
export function madridDaysBetween(now: number, then: number): number {
  return dayNumber(then) - dayNumber(now);
}

/** The instant Madrid's wall clock reads `hour`:00 on the day `days` after the day of `ms`. */
export function madridTime(ms: number, days: number, hour: number): number {
  const w = madridWall(ms);
  const wall = Date.UTC(w.year, w.month - 1, w.day + days, hour);
  // The offset is +1 or +2 hours; take it at the guess, then again at the result (a change of offset in between).
  let at = wall - offsetAt(wall);
  at = wall - offsetAt(at);
  return at;
}

/** How far Madrid's wall clock is ahead of UTC at an instant. */
function offsetAt(ms: number): number {
  const w = madridWall(ms);
  const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The next instant, after `now`, at which Madrid's clock reads `hour`:00. */
export function nextWatchTime(now: number, hour: number): number {
  for (let days = 0; days <= 2; days++) {
    const at = madridTime(now, days, hour);
    if (at > now) return at;
  }
  return now + DAY_MS;
}

export const DAYS = DAY_MS;
