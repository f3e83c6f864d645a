import { z } from 'zod';
import { normaliseText, wellFormedString } from '../text.js';
import { MAX_NOTE_CHARS, MUTE_MINUTES, REPORT_REASONS, SLOW_MODE_SECONDS } from '../vocabulary.js';
import { attendanceStatus } from './attendance.js';
import { checkinRule } from './checkins.js';
import { alertLifecycle, conversation, entityId, groupRole, userId } from './common.js';

const groupId = entityId;
const reason = wellFormedString().max(500);

// Facilitator events (§5); served by the moderation capability.
export const modMute = z.object({ groupId, userId, minutes: z.number().int().min(MUTE_MINUTES.min).max(MUTE_MINUTES.max).optional() });
export const modTarget = z.object({ groupId, userId });
export const modBan = z.object({ groupId, userId, reason: reason.optional() });
export const modDelete = z.object({ groupId, messageId: entityId, reason: reason.optional() });
export const modLock = z.object({ groupId, locked: z.boolean() });
export const modSlowmode = z.object({ groupId, seconds: z.number().int().min(SLOW_MODE_SECONDS.min).max(SLOW_MODE_SECONDS.max) });
export const modPin = z.object({ groupId, messageId: entityId.nullable() });
export const modSession = z.object({ groupId, open: z.boolean() });
export const modWaitingRoom = z.object({ groupId, waitingRoom: z.boolean() });
/** One person waiting (`userId`), or everyone waiting (`all: true`). */
export const modAdmit = z.union([z.object({ groupId, userId }), z.object({ groupId, all: z.literal(true) })]);
export const modQuiet = z.object({ groupId, quiet: z.boolean() });

export const reportReason = z.enum(REPORT_REASONS);
export const report = z.object({
  conversation,
  messageId: entityId,
  reason: reportReason,
  note: z
    .string()
    .max(2000)
    .transform((s) => normaliseText(s))
    .pipe(z.string().max(MAX_NOTE_CHARS))
    .optional(),
});
export const reportResult = z.object({ reportId: entityId });

export const modNoticeEvent = z.object({
  groupId,
  action: z.enum(['muted', 'unmuted', 'removed', 'banned']),
  until: z.number().optional(),
  reason: z.string().optional(),
});
/**
 * A report or crisis alert for a group's facilitators (with `groupId`), or, with `scope: 'program'`
 * and no `groupId`, a crisis alert for the program's admins; then `reportId` is the program
 * alert's id (`POST /api/alerts/:id/resolve`).
 */
export const modAlertEvent = z.object({
  scope: z.literal('program').optional(),
  groupId: groupId.optional(),
  partnershipId: entityId.optional(),
  kind: z.enum(['report', 'crisis']),
  reportId: entityId,
  messageId: entityId,
  userId,
});

/** What the audit log records for each moderation action and enrolment change (append-only, newest first over HTTP). */
export const auditAction = z.enum([
  'mute',
  'unmute',
  'remove',
  'ban',
  'unban',
  'delete',
  'lock',
  'unlock',
  'waiting_room_on',
  'waiting_room_off',
  'admit',
  'turn_away',
  'slowmode',
  'pin',
  'unpin',
  'quiet_on',
  'quiet_off',
  'session_open',
  'session_close',
  'session_extend',
  'session_cancel',
  'schedule_set',
  'session_opened',
  'session_closed',
  'lower_hand',
  'resolve_report',
  'acknowledge_alert',
  'resolve_alert',
  'enrol',
  'change_role',
  'unenrol',
  'set_agreement',
  'checkin_rules',
  'attendance_correct',
  'attendance_settings',
  'edit_group',
  'end_partnership',
]);
export type AuditAction = z.infer<typeof auditAction>;
export const auditEntry = z.object({
  /** 1, 2, 3 … per group, in the order actions happened */
  seq: z.number().int().positive(),
  groupId,
  at: z.number(),
  /** `system` (id 'system'): a scheduled session opening or closing by itself */
  actor: z.object({ id: userId, name: z.string(), role: z.enum(['facilitator', 'admin', 'system']) }),
  action: auditAction,
  targetUserId: userId.optional(),
  messageId: entityId.optional(),
  reportId: entityId.optional(),
  reason: z.string().optional(),
  /** the session an opening, closing, extension or cancellation concerns */
  sessionId: entityId.optional(),
  /** mute minutes, slow-mode seconds, minutes a session was extended by, the agreement's new version */
  value: z.number().optional(),
  /** the target's group role after an enrol or change_role */
  role: groupRole.optional(),
  /** the status an attendance_correct set (its note stays with the record) */
  status: attendanceStatus.optional(),
  /** the pairing an end_partnership ended (its two partners: `GET /api/groups/:groupId/partnerships?status=all`) */
  partnershipId: entityId.optional(),
});
export type AuditEntry = z.infer<typeof auditEntry>;

/** A report by a member, or a crisis alert raised by the safety check; both wait in the group's queue. */
export const queuedReport = z.object({
  id: entityId,
  groupId,
  kind: z.enum(['report', 'crisis', 'checkin']),
  /** the message's conversation and id (absent for check-in alerts, which concern no message) */
  conversation: conversation.optional(),
  messageId: entityId.optional(),
  /** who wrote the message, or who checked in */
  userId,
  /** a check-in alert's check-in (absent for rule silence: no check-in to name) and the rule it tripped (§6.1) */
  checkinId: entityId.optional(),
  rule: checkinRule.optional(),
  /** who reported it (absent for crisis alerts) */
  reporterId: userId.optional(),
  reason: reportReason.optional(),
  note: z.string().optional(),
  createdAt: z.number(),
  status: z.enum(['open', 'resolved']),
  resolvedBy: userId.optional(),
  resolvedAt: z.number().optional(),
  ...alertLifecycle,
});
export type QueuedReport = z.infer<typeof queuedReport>;

/**
 * A member muted in a group (`until` null: until a facilitator unmutes them), by the name and role
 * the group knows them by (a facilitator's mute is an admin's to lift).
 */
export const mutedPerson = z.object({ userId, name: z.string(), role: groupRole, until: z.number().nullable() });
/** Someone banned from a group; `name` is their user id when they were never enrolled. */
export const bannedPerson = z.object({ userId, name: z.string() });
/** `GET /api/groups/:groupId/moderation`: the members' mutes in force and the bans, each by name. */
export const moderationListResult = z.object({ mutes: z.array(mutedPerson), bans: z.array(bannedPerson) });
export type MutedPerson = z.infer<typeof mutedPerson>;
export type BannedPerson = z.infer<typeof bannedPerson>;
