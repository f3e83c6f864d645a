import { z } from 'zod';
import { wellFormedString } from '../text.js';
import { sessionId, userId } from './common.js';

// Attendance (§5.8): who was in the room during each session, and for how long.

export const attendanceStatus = z.enum(['present', 'late', 'left_early', 'absent']);
export type AttendanceStatus = z.infer<typeof attendanceStatus>;

/** A group's thresholds, in whole minutes. */
export const attendanceSettings = z.object({
  /** first joined more than this after the start: late */
  lateAfterMin: z.number().int().min(0).max(240),
  /** last left more than this before the end: left early */
  earlyLeaveMin: z.number().int().min(0).max(240),
});
export type AttendanceSettings = z.infer<typeof attendanceSettings>;

/** A session attendance is kept for: `end` null while it is open. */
export const attendanceSession = z.object({ id: sessionId, start: z.number(), end: z.number().nullable() });
export type AttendanceSession = z.infer<typeof attendanceSession>;

/** A facilitator's correction of one record. */
export const attendanceCorrectionBody = z.object({
  status: attendanceStatus,
  note: wellFormedString().max(500).optional(),
});
export const attendanceCorrection = attendanceCorrectionBody.extend({
  by: z.object({ id: userId, name: z.string() }),
  at: z.number(),
});
export type AttendanceCorrection = z.infer<typeof attendanceCorrection>;

export const attendanceRecord = z.object({
  userId,
  name: z.string(),
  /** the start of the first time in the room that overlaps the session; null when absent */
  firstJoined: z.number().nullable(),
  /** the end of the last time in the room that overlaps the session; null when absent or still there */
  lastLeft: z.number().nullable(),
  /** time in the room within the session (the union across tabs and nodes), one decimal */
  minutes: z.number().nonnegative(),
  /** the stretches in the room that make up `minutes`, clipped to the session, oldest first; `end` null while it lasts */
  stretches: z.array(z.object({ start: z.number(), end: z.number().nullable() })),
  /** time in the waiting room within the session, kept apart (as the waiting room reports it), one decimal */
  waitingMinutes: z.number().nonnegative(),
  /** the correction's status when corrected, else computedStatus */
  status: attendanceStatus,
  computedStatus: attendanceStatus,
  corrected: attendanceCorrection.optional(),
});
export type AttendanceRecord = z.infer<typeof attendanceRecord>;

export const attendanceResult = z.object({ session: attendanceSession, settings: attendanceSettings, records: z.array(attendanceRecord) });
export type AttendanceResult = z.infer<typeof attendanceResult>;
/** Attendance over HTTP is an export of records: it carries the redisclosure notice (42 CFR §2.32) in the document. */
export const attendanceExport = attendanceResult.extend({ notice: z.string() });
/** `csv`: the same records as CSV; absent: by the Accept header (text/csv), else JSON. */
export const attendanceQuery = z.object({ format: z.enum(['json', 'csv']).optional() });
export const attendanceSessionsResult = z.object({ sessions: z.array(attendanceSession), settings: attendanceSettings });
export const attendanceSettingsResult = z.object({ settings: attendanceSettings });
export const attendanceCorrectionResult = z.object({ record: attendanceRecord });
