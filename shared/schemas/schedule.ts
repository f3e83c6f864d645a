import { z } from 'zod';
import { wellFormedString } from '../text.js';
import { SESSION_MINUTES, WEEKDAYS } from '../vocabulary.js';
import { sessionId } from './common.js';

export const weekday = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof weekday>;

/** Whether this runtime knows the IANA time zone (Intl refuses an unknown one). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** An exact instant, as ISO 8601 with a Z or an offset. */
const instant = z.iso.datetime({ offset: true });

/** A repeating slot: every `day` at `start` (local time in the schedule's zone), for `minutes`. */
export const weeklySlot = z.object({
  day: weekday,
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM, 00:00–23:59'),
  minutes: z.number().int().min(SESSION_MINUTES.min).max(SESSION_MINUTES.max),
});
export type WeeklySlot = z.infer<typeof weeklySlot>;

/** A one-off session with exact start and end instants (at most 12 hours). */
export const oneOffSession = z
  .object({ start: instant, end: instant })
  .refine(({ start, end }) => Date.parse(end) > Date.parse(start), 'end must be after start')
  .refine(({ start, end }) => Date.parse(end) - Date.parse(start) <= 12 * 3_600_000, 'a session lasts at most 12 hours');
export type OneOffSession = z.infer<typeof oneOffSession>;

/**
 * A group's schedule (facilitators set it over HTTP): weekly slots in the program's IANA time zone,
 * one-off sessions, and the ids of single occurrences that are cancelled.
 */
export const schedule = z.object({
  timeZone: wellFormedString().max(64).refine(isTimeZone, 'must be an IANA time zone such as America/New_York'),
  weekly: z.array(weeklySlot).max(28),
  oneOff: z.array(oneOffSession).max(100),
  cancelled: z.array(sessionId).max(500),
});
export type Schedule = z.infer<typeof schedule>;
