// A group's sessions from its schedule: pure arithmetic over instants (no I/O, no clock), so every
// node computes the same occurrences with the same ids. Local times become instants with Intl
// only: a local time that does not exist (the spring-forward gap) moves forward by the gap, and
// an ambiguous one (the autumn repeat) takes the first instant.
import { WEEKDAYS, type Schedule, type ScheduledSession } from '../../shared/index.js';
import type { SessionOverride } from '../store/store.js';

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time in the zone at `utcMs`, as if it were UTC (epoch ms, whole seconds). */
function wallClock(timeZone: string, utcMs: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(utcMs)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day, p.hour, p.minute, p.second);
}

/** The zone's offset from UTC at `utcMs`, in ms (local − UTC). */
export function offsetAt(timeZone: string, utcMs: number): number {
  const whole = Math.floor(utcMs / 1000) * 1000;
  return wallClock(timeZone, whole) - whole;
}

/**
 * The instant a local wall-clock time (given as if it were UTC, epoch ms) names in the zone. Zones
 * change their offset at most once within a day on either side, so the offsets a day before and a
 * day after are the only candidates.
 */
export function localToUtc(timeZone: string, local: number): number {
  const before = offsetAt(timeZone, local - DAY_MS);
  const after = offsetAt(timeZone, local + DAY_MS);
  const fits = [local - before, local - after].filter((t) => t + offsetAt(timeZone, t) === local);
  // Two fits: the autumn repeat, take the first. None: the spring gap; the offset in force before
  // it reads the time as that many ms later on the clock after it, i.e. moved forward by the gap.
  return fits.length ? Math.min(...fits) : local - before;
}

/** A session's id from its start instant: the same on every node. */
export function sessionIdAt(start: number): string {
  return `s${start}`;
}

/** The scheduled occurrences (weekly slots and one-offs, less cancelled ones) that overlap [from, to), by start. */
export function occurrences(schedule: Schedule, from: number, to: number): ScheduledSession[] {
  const byId = new Map<string, ScheduledSession>();
  const add = (start: number, end: number) => {
    const id = sessionIdAt(start);
    if (end > from && start < to && !byId.has(id)) byId.set(id, { id, start, end });
  };
  if (schedule.weekly.length) {
    // Every local date the range touches, one day either side for sessions that cross midnight.
    const first = Math.floor(wallClock(schedule.timeZone, from) / DAY_MS) * DAY_MS - DAY_MS;
    const last = wallClock(schedule.timeZone, to) + DAY_MS;
    for (let day = first; day <= last; day += DAY_MS) {
      const weekday = WEEKDAYS[(new Date(day).getUTCDay() + 6) % 7];
      for (const slot of schedule.weekly) {
        if (slot.day !== weekday) continue;
        const [h, m] = slot.start.split(':').map(Number);
        const start = localToUtc(schedule.timeZone, day + (h! * 60 + m!) * 60_000);
        add(start, start + slot.minutes * 60_000);
      }
    }
  }
  for (const o of schedule.oneOff) add(Date.parse(o.start), Date.parse(o.end));
  const cancelled = new Set(schedule.cancelled);
  return [...byId.values()].filter((s) => !cancelled.has(s.id)).sort((a, b) => a.start - b.start);
}

/**
 * The sessions the room follows over [from, to): the occurrences with their overrides applied,
 * plus sessions opened by hand (overrides whose id is no occurrence), as windows that never
 * overlap: a session that starts inside an earlier one starts when that one ends (and is dropped
 * when nothing is left of it), so at any instant at most one session is open.
 */
export function sessionWindows(
  schedule: Schedule | null,
  overrides: Record<string, SessionOverride>,
  from: number,
  to: number,
): ScheduledSession[] {
  const cancelled = new Set(schedule?.cancelled ?? []);
  const all = new Map<string, ScheduledSession>();
  // Occurrences overrides may have moved into or out of the range: look a day beyond it each side.
  for (const s of schedule ? occurrences(schedule, from - DAY_MS, to + DAY_MS) : []) all.set(s.id, s);
  for (const [id, o] of Object.entries(overrides)) if (!cancelled.has(id)) all.set(id, { id, start: o.start, end: o.end });
  const windows: ScheduledSession[] = [];
  let lastEnd = -Infinity;
  for (const s of [...all.values()].sort((a, b) => a.start - b.start || a.end - b.end)) {
    const start = Math.max(s.start, lastEnd);
    if (s.end <= start) continue;
    lastEnd = s.end;
    if (s.end > from && start < to) windows.push({ id: s.id, start, end: s.end });
  }
  return windows;
}
