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
export const checkinRule = z.enum(['craving', 'jump', 'used']);
export type CheckinRule = z.infer<typeof checkinRule>;

// Client → server payloads.
export const checkinSend = checkinEntry
  .pick({ mood: true, craving: true, used: true, clientMsgId: true })
  .extend({ note: note.optional() });
/** Without `with`, reads the choice as it stands. */
export const checkinSharingPayload = z.object({ with: checkinSharing.optional() });

// Results.
export const checkinSendResult = z.object({ checkin: checkinEntry });
export const checkinSharingResult = z.object({ with: checkinSharing });

/** One day of a member's check-in trend (§8.2): UTC day, mean mood, highest craving, any use. */
export const checkinTrendDay = z.object({
  day: z.string(),
  checkins: z.number().int().positive(),
  mood: z.number(),
  craving: z.number().int(),
  used: z.boolean(),
});
export type CheckinTrendDay = z.infer<typeof checkinTrendDay>;
export const checkinTrendResult = z.object({ days: z.array(checkinTrendDay) });
