import { z } from 'zod';
import { CHECKIN_CRAVING, CHECKIN_MOOD } from '../vocabulary.js';
import { clientMsgId, entityId } from './common.js';
import { note } from './partners.js';

/**
 * Who sees a person's own check-ins (§6.1): their active partners, the staff of their groups, or
 * no one. It starts at 'none': this is health data, shared only by the person's explicit choice.
 */
export const checkinSharing = z.enum(['partners', 'staff', 'none']);
export type CheckinSharing = z.infer<typeof checkinSharing>;

/** One entry of a person's own check-in log (§6.1). */
export const checkinEntry = z.object({
  id: entityId,
  clientMsgId,
  at: z.number(),
  mood: z.number().int().min(CHECKIN_MOOD.min).max(CHECKIN_MOOD.max),
  craving: z.number().int().min(CHECKIN_CRAVING.min).max(CHECKIN_CRAVING.max),
  /** Used since the previous check-in. */
  used: z.boolean(),
  note: z.string().optional(),
});
export type Checkin = z.infer<typeof checkinEntry>;

/**
 * The rules a check-in shared with staff can trip (§6.1): craving at or above the threshold, a
 * craving jump since the previous check-in, use since the last one.
 */
export const checkinRule = z.enum(['craving', 'jump', 'used', 'silence']);
export type CheckinRule = z.infer<typeof checkinRule>;

/** The longest silence window a group may set: 30 days. */
export const MAX_SILENCE_HOURS = 720;

/**
 * A group's check-in alert rules (§6.1): `craving` at or above, a `jump` of at least, `used`, and
 * `silenceHours` without a check-in from someone who opted in to daily check-ins (decimals
 * allowed, so a window can be seconds long). null turns a rule off.
 */
export const checkinRules = z.object({
  craving: z.number().int().min(CHECKIN_CRAVING.min).max(CHECKIN_CRAVING.max).nullable(),
  jump: z
    .number()
    .int()
    .min(1)
    .max(CHECKIN_CRAVING.max - CHECKIN_CRAVING.min)
    .nullable(),
  used: z.boolean(),
  silenceHours: z.number().positive().max(MAX_SILENCE_HOURS).nullable(),
});
export type CheckinRules = z.infer<typeof checkinRules>;
/** What a group has set (`PUT /api/groups/:groupId/checkin-rules`); an absent field takes the default. */
export const checkinRulesBody = checkinRules.partial();
export type CheckinRulesSet = z.infer<typeof checkinRulesBody>;
/** The rules in force in the group, and the defaults (configuration) its unset fields take. */
export const checkinRulesResult = z.object({ rules: checkinRules, defaults: checkinRules });

// Client → server payloads.
export const checkinSend = checkinEntry
  .pick({ mood: true, craving: true, used: true, clientMsgId: true })
  .extend({ note: note.optional() });
/** Without `with`, reads the choice as it stands. */
export const checkinSharingPayload = z.object({ with: checkinSharing.optional() });
/** Opting in to daily check-ins (the silence rule, §6.1); without `on`, reads the choice. */
export const checkinDailyPayload = z.object({ on: z.boolean().optional() });

// Results.
export const checkinSendResult = z.object({ checkin: checkinEntry });
export const checkinSharingResult = z.object({ with: checkinSharing });
export const checkinDailyResult = z.object({ on: z.boolean() });

/** One day of a member's check-in trend (§8.2): UTC day, mean mood, highest craving, any use. */
export const checkinTrendDay = z.object({
  day: z.string(),
  checkins: z.number().int().positive(),
  mood: z.number(),
  craving: z.number().int(),
  used: z.boolean(),
});
export type CheckinTrendDay = z.infer<typeof checkinTrendDay>;
/** A trend is an export of health data: it carries the redisclosure notice (42 CFR §2.32) in the document. */
export const checkinTrendResult = z.object({ notice: z.string(), days: z.array(checkinTrendDay) });
