// Attendance arithmetic (§5.8): pure, no clock, no I/O, so every node computes the same record.
import type { AttendanceRecord, AttendanceSession, AttendanceSettings, AttendanceStatus } from '../../shared/index.js';
import type { RoomInterval } from '../store/store.js';

const MINUTE = 60_000;

/** The thresholds a group has until its facilitators set others. */
export const DEFAULT_ATTENDANCE_SETTINGS: AttendanceSettings = { lateAfterMin: 10, earlyLeaveMin: 10 };

export type RecordTimes = { firstJoined: number | null; lastLeft: number | null; ms: number; stretches: RoomInterval[] };

/**
 * A member's time in the room within a session: the intervals that overlap it (they never overlap
 * each other: the store keeps one per stretch in the room, across tabs and nodes), clipped to the
 * session and added. An open session runs to `now`, and so does an interval that still lasts.
 */
export function recordTimes(intervals: readonly RoomInterval[], session: AttendanceSession, now: number): RecordTimes {
  const end = session.end ?? now;
  const overlapping = intervals.filter((i) => i.start < end && (i.end ?? now) > session.start);
  const stretches = overlapping.map((i) => ({
    start: Math.max(i.start, session.start),
    // Still in the room: open while the session is; else to the session's end.
    end: i.end === null ? session.end : Math.min(i.end, end),
  }));
  const ms = stretches.reduce((sum, s) => sum + (s.end ?? now) - s.start, 0);
  if (!overlapping.length || ms <= 0) return { firstJoined: null, lastLeft: null, ms: 0, stretches: [] };
  return { firstJoined: overlapping[0]!.start, lastLeft: overlapping.at(-1)!.end, ms, stretches };
}

/**
 * absent: no time in the room; late: first in more than lateAfterMin after the start; left early:
 * the session is over and the member's last leave was more than earlyLeaveMin before its end.
 * Someone both late and early is late (the first thing that went wrong).
 */
export function statusOf(t: RecordTimes, session: AttendanceSession, settings: AttendanceSettings, now: number): AttendanceStatus {
  if (t.ms === 0 || t.firstJoined === null) return 'absent';
  if (t.firstJoined - session.start > settings.lateAfterMin * MINUTE) return 'late';
  const over = session.end !== null && session.end <= now;
  if (over && t.lastLeft !== null && session.end! - t.lastLeft > settings.earlyLeaveMin * MINUTE) return 'left_early';
  return 'present';
}

/** Minutes with one decimal. */
export const minutesOf = (ms: number) => Math.round(ms / 6_000) / 10;

const CSV_HEADER = [
  'session',
  'userId',
  'name',
  'firstJoined',
  'lastLeft',
  'minutes',
  'waitingMinutes',
  'status',
  'computedStatus',
  'corrected',
  'note',
];

/**
 * One cell: a value a spreadsheet would run as a formula (= + - @, or a tab or carriage return
 * first) gets a leading apostrophe; one with a comma, quote or line break is quoted, quotes doubled.
 */
function cell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const instant = (t: number | null) => (t === null ? '' : new Date(t).toISOString());

/** The records as CSV (RFC 4180, CRLF, a header row): the JSON's values, instants as ISO 8601 (UTC). */
export function attendanceCsv(session: AttendanceSession, records: readonly AttendanceRecord[]): string {
  const rows = records.map((r) => [
    session.id,
    r.userId,
    r.name,
    instant(r.firstJoined),
    instant(r.lastLeft),
    r.minutes,
    r.waitingMinutes,
    r.status,
    r.computedStatus,
    r.corrected ? 'yes' : '',
    r.corrected?.note,
  ]);
  return [CSV_HEADER, ...rows].map((row) => row.map(cell).join(',') + '\r\n').join('');
}
