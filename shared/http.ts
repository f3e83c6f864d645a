import { z } from 'zod';
import { wellFormedString } from './text.js';
import { EXTEND_MINUTES } from './vocabulary.js';
import { displayName, enrolment, globalRole, group, groupRole, member, message, scheduledSession, userId } from './schemas/common.js';
import { schedule } from './schemas/schedule.js';
import {
  attendanceCorrectionBody,
  attendanceCorrectionResult,
  attendanceQuery,
  attendanceExport,
  attendanceSessionsResult,
  attendanceSettings,
  attendanceSettingsResult,
} from './schemas/attendance.js';
import { checkinEntry, checkinRulesBody, checkinRulesResult, checkinSharing, checkinTrendResult } from './schemas/checkins.js';
import { acceptance, agreement, agreementText } from './schemas/agreement.js';
import { auditAction, auditEntry, moderationListResult, queuedReport } from './schemas/moderation.js';
import { invite, partnership } from './schemas/partners.js';
import { alertListResult, programAlert, safetyResourcesEvent } from './schemas/safety.js';
import { pushKeyResult } from './schemas/push.js';
import {
  accessLogQuery,
  accessLogResult,
  alertDisclosuresQuery,
  disclosureBody,
  disclosureResult,
  disclosuresQuery,
  disclosuresResult,
} from './schemas/access.js';

// HTTP bodies of §8.
export const createGroupBody = z.object({
  name: wellFormedString()
    .max(200)
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1).max(80)),
  description: wellFormedString().max(1000).optional(),
  schedule: wellFormedString().max(200).optional(),
  earlierMessages: z.enum(['private', 'shared']).optional(),
});
/** `PATCH /api/groups/:groupId`: a new name, description or both, by the rules of `POST /api/groups`. */
export const editGroupBody = createGroupBody
  .pick({ name: true, description: true })
  .partial()
  .refine((b) => b.name !== undefined || b.description !== undefined, 'give a name, a description or both');
export const enrolBody = z.object({ role: groupRole, name: displayName.optional() });
export const demoAuthBody = z.object({ name: displayName, role: globalRole.default('participant') });

export const groupResult = z.object({ group });
export const groupListResult = z.object({ groups: z.array(group) });
export const groupWithMembersResult = z.object({ group, members: z.array(member) });
export const enrolResult = z.object({ member: enrolment });
/** `PUT /api/groups/:groupId/agreement`: the text of the next version (§3 normalising, 1–4000 characters). */
export const agreementBody = z.object({ text: agreementText });
/** The current version; `null` when the group has none (nobody is asked to accept anything). */
export const agreementResult = z.object({ agreement: agreement.nullable() });
export const setAgreementResult = z.object({ agreement });
export const acceptancesResult = z.object({ acceptances: z.array(acceptance) });
/** What a route answers when there is nothing to say: `{}`. */
export const emptyResult = z.object({});
export const demoAuthResult = z.object({
  token: z.string(),
  user: z.object({ id: z.string(), name: z.string(), role: globalRole }),
  demoGroupId: z.string(),
});
/** `GET /auth/demo`: whether this server is in demo mode (the sign-in page offers the demo form). */
export const demoStatusResult = z.object({ demo: z.boolean() });
/** `GET /api/client-config`: how the browser client behaves on this server (§10). */
export const clientConfigResult = z.object({
  /** seconds without activity before the page signs out, a warning first; 0: never */
  idleLogoffSec: z.number().int().min(0),
});
export type ClientConfig = z.infer<typeof clientConfigResult>;

/** A group's schedule (§5.6) and its coming sessions (the current one first, at most 10). */
export const scheduleResult = z.object({ schedule: schedule.nullable(), sessions: z.array(scheduledSession) });
/** Minutes to move the open session's end later. */
export const extendSessionBody = z.object({ minutes: z.number().int().min(EXTEND_MINUTES.min).max(EXTEND_MINUTES.max) });

export const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** entries older than this seq: pass the last seq of the previous page */
  beforeSeq: z.coerce.number().int().positive().optional(),
  /** only entries of this action */
  action: auditAction.optional(),
  /** only entries this person made or that concern them (`actor.id` or `targetUserId`) */
  person: userId.optional(),
});
export const auditResult = z.object({ entries: z.array(auditEntry), hasMore: z.boolean() });
export const reportsQuery = z.object({ status: z.enum(['open', 'all']).default('open') });
/** A queued report as the queue lists it: with the group message (possibly deleted); always null for a partner message. */
export const reportWithMessage = queuedReport.extend({ message: message.nullable() });
export type ReportWithMessage = z.infer<typeof reportWithMessage>;
export const reportsResult = z.object({ reports: z.array(reportWithMessage) });
export const resolveReportBody = z.object({ note: wellFormedString().max(500).optional() });
export const reportResultBody = z.object({ report: queuedReport });
/** `GET /api/alerts` (admins): the program's queue of crisis alerts no facilitator could receive. */
/** A program alert as admins list it: with the writer's display name, looked up when listed (null when gone). */
export const programAlertView = programAlert.extend({ userName: z.string().nullable() });
export type ProgramAlertView = z.infer<typeof programAlertView>;
export const programAlertsResult = z.object({ alerts: z.array(programAlertView) });
export const programAlertResult = z.object({ alert: programAlert });

export const createPartnershipBody = z.object({
  userIds: z.tuple([userId, userId]).refine(([a, b]) => a !== b, 'a partnership joins two different people'),
});
export const partnershipResult = z.object({ partnership });
/** `GET /api/groups/:groupId/partnerships`: the active pairings (default), or ended ones too. */
export const groupPartnershipsQuery = z.object({ status: z.enum(['active', 'all']).default('active') });
/** The pairings whose two partners are both enrolled in the group, oldest first: who and since when, never what they wrote. */
export const groupPartnershipsResult = z.object({ partnerships: z.array(partnership) });

/** One of the caller's messages as exported: who reacted is theirs to tell, so only how many. */
export const exportedMessage = message
  .omit({ reactions: true })
  .extend({ reactionCounts: z.record(z.string(), z.number().int().nonnegative()).optional() });
export type ExportedMessage = z.infer<typeof exportedMessage>;

/**
 * `GET /api/me/export` (§8.5): what is kept about the caller, and no one else's id except the
 * partner's: groups without their creator, reactions as counts, invites without the other person
 * (partner:list names them).
 */
export const myDataResult = z.object({
  /** The redisclosure notice of 42 CFR §2.32 (shared/notice.ts), in the document itself. */
  notice: z.string(),
  user: z.object({ id: userId, name: z.string(), role: globalRole }),
  groups: z.array(
    z.object({
      group: group.omit({ createdBy: true }),
      enrolment,
      muted: z.boolean(),
      banned: z.boolean(),
      /** The version of the group's agreement they last accepted, and when (§5.1); absent when none. */
      agreementAccepted: acceptance.pick({ version: true, at: true }).optional(),
    }),
  ),
  /** Groups they were unenrolled from: their messages there are below too. */
  formerGroupIds: z.array(z.string()),
  /** Partnerships with the other person reduced to their id: their name is theirs. */
  partnerships: z.array(
    z.object({
      id: z.string(),
      partnerId: userId,
      createdAt: z.number(),
      status: partnership.shape.status,
      myLastReadSeq: z.number().int().nonnegative(),
    }),
  ),
  /** Pending invites; a note only on those the caller sent. */
  invites: z.array(
    z.object({
      id: z.string(),
      direction: z.enum(['sent', 'received']),
      note: z.string().optional(),
      createdAt: z.number(),
      status: invite.shape.status,
    }),
  ),
  messages: z.array(exportedMessage),
  /** The caller's own check-ins (§6.1), oldest first, whom they share them with, and whether they opted in to daily check-ins. */
  checkins: z.array(checkinEntry),
  checkinSharing,
  checkinDaily: z.boolean(),
});
export type MyData = z.infer<typeof myDataResult>;
/** `DELETE /api/me`: how much was erased (§8.5). */
export const erasureResult = z.object({
  erasedMessages: z.number().int().nonnegative(),
  leftGroups: z.number().int().nonnegative(),
  endedPartnerships: z.number().int().nonnegative(),
  erasedCheckins: z.number().int().nonnegative(),
});
export type Erasure = z.infer<typeof erasureResult>;

/**
 * One HTTP route of §8, for the machine-readable description (`GET /api/openapi.json`): what it
 * takes and answers. `result` is the schema of `data` in `{ ok: true, data }`; a route without
 * one says in `response` what it answers instead, in words, rather than a shape no schema checks.
 */
export type HttpRoute = {
  summary: string;
  /** `bearer`: the user's JWT (§1); `metrics`: the METRICS_TOKEN; `none`: anyone */
  auth: 'bearer' | 'metrics' | 'none';
  /** where docs/protocol.md describes it */
  section: string;
  description?: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  result?: z.ZodType;
  /** the success status when it is not 200 */
  status?: 201;
  response?: { mediaType: string; description: string };
};

const clientAsset = (summary: string, mediaType: string): HttpRoute => ({
  summary,
  auth: 'none',
  section: '§8.1',
  response: { mediaType, description: 'From an in-memory bundle (gzip, ETag, no-cache); 503 text when the bundle could not be built.' },
});

/**
 * Every route the HTTP app serves, keyed `METHOD /path` with express's `:param` syntax. The
 * routers validate bodies and queries with these schemas; a test compares this list with the
 * routes express has registered, both ways.
 */
export const httpRoutes = {
  'GET /healthz': {
    summary: 'Liveness: the process answers',
    auth: 'none',
    section: '§8.1',
    response: {
      mediaType: 'application/json',
      description: "`{ ok: true, data: { status: 'up' } }`. No schema in shared/ describes this body.",
    },
  },
  'GET /readyz': {
    summary: 'Readiness: not draining, and the store answers within 1 s',
    auth: 'none',
    section: '§8.1',
    response: {
      mediaType: 'application/json',
      description:
        "200 `{ ok: true, data: { store: 'memory' | 'redis', ready: true } }`, or 503 with `ok: false` and `ready: false` in the same shape (no `error`). No schema in shared/ describes this body.",
    },
  },
  'GET /metrics': {
    summary: 'Prometheus metrics on the public port',
    auth: 'metrics',
    section: '§8.1',
    description: 'Without METRICS_TOKEN configured: 404 NOT_FOUND; a wrong or missing token: 403 FORBIDDEN.',
    response: { mediaType: 'text/plain', description: 'Prometheus text exposition format.' },
  },
  'GET /auth/demo': { summary: 'Whether this node is in demo mode', auth: 'none', section: '§8.1', result: demoStatusResult },
  'POST /auth/demo': {
    summary: 'Demo sign-in: a token for a new demo user',
    auth: 'none',
    section: '§8.1',
    description:
      "Served in demo mode only. The token is signed with the node's own random secret and lasts 12 h; the user is enrolled in the group `demo`.",
    body: demoAuthBody,
    result: demoAuthResult,
  },
  'GET /api/client-config': {
    summary: "The browser client's settings on this server: the idle logoff",
    auth: 'bearer',
    section: '§8.1',
    description: 'Anyone signed in; the same answer for everyone (IDLE_LOGOFF_SEC, §10).',
    result: clientConfigResult,
  },
  'GET /app.js': clientAsset("The browser client's script", 'text/javascript'),
  'GET /app.css': clientAsset("The browser client's style sheet", 'text/css'),
  'GET /es.js': clientAsset("The browser client's Spanish catalogue, fetched by /app.js only when Spanish is chosen", 'text/javascript'),
  'GET /chunks/:file': clientAsset(
    "A chunk of the browser client's script, named by its content: code /app.js imports with it, or when a screen is opened (the staff console, attendance); 404 for a name the bundle does not have",
    'text/javascript',
  ),
  'GET /sw.js': {
    summary: "The page's service worker (the app shell offline, Web Push to staff devices)",
    auth: 'none',
    section: '§5.5',
    response: {
      mediaType: 'text/javascript',
      description:
        'client/public/sw.js as it is, at the site root so its scope is the whole app; `no-cache`. It keeps the app shell for offline use (never an API or Socket.IO answer) and shows each push as a notification without any alert detail.',
    },
  },
  'GET /manifest.webmanifest': {
    summary: 'The web app manifest, which makes the page installable',
    auth: 'none',
    section: '§8.1',
    response: {
      mediaType: 'application/manifest+json',
      description:
        'client/public/manifest.webmanifest as it is; `no-cache`. Name, start URL `/`, `display: standalone`, theme and background colours, and the icons under /icons/.',
    },
  },
  'GET /api/openapi.json': {
    summary: 'This document: the HTTP API as OpenAPI 3.1',
    auth: 'none',
    section: '§8.7',
    response: {
      mediaType: 'application/json',
      description:
        'The OpenAPI document itself (not wrapped in `{ ok, data }`), generated from the zod schemas; the same as docs/openapi.json.',
    },
  },
  'GET /api/asyncapi.json': {
    summary: 'The Socket.IO events as AsyncAPI 3.0',
    auth: 'none',
    section: '§8.7',
    response: {
      mediaType: 'application/json',
      description:
        'The AsyncAPI document itself (not wrapped in `{ ok, data }`), generated from the zod schemas; the same as docs/asyncapi.json.',
    },
  },
  'POST /api/groups': {
    summary: 'Create a group; the creator is enrolled as its facilitator',
    auth: 'bearer',
    section: '§8.2',
    description: 'Token role facilitator or admin; a participant gets FORBIDDEN.',
    body: createGroupBody,
    result: groupResult,
    status: 201,
  },
  'GET /api/groups': {
    summary: "The caller's groups (admins: all), oldest first",
    auth: 'bearer',
    section: '§8.2',
    result: groupListResult,
  },
  'GET /api/groups/:groupId': {
    summary: 'A group and its enrolled members',
    auth: 'bearer',
    section: '§8.2',
    result: groupWithMembersResult,
  },
  'PATCH /api/groups/:groupId': {
    summary: "Change a group's name or description",
    auth: 'bearer',
    section: '§8.2',
    description: 'Group facilitators and admins. Audited (`edit_group`) when something changed.',
    body: editGroupBody,
    result: groupResult,
  },
  'PUT /api/groups/:groupId/members/:userId': {
    summary: 'Enrol a user, or change their group role or name',
    auth: 'bearer',
    section: '§8.2',
    description: "Group facilitators and admins. A facilitator's enrolment is changed by admins only.",
    body: enrolBody,
    result: enrolResult,
  },
  'DELETE /api/groups/:groupId/members/:userId': {
    summary: 'Unenrol a user',
    auth: 'bearer',
    section: '§8.2',
    description: "Group facilitators and admins. A facilitator's enrolment is removed by admins only.",
    result: emptyResult,
  },
  'GET /api/groups/:groupId/agreement': {
    summary: "The group's agreement (its ground rules): the current version, or null",
    auth: 'bearer',
    section: '§8.2',
    description: 'Members of the group and admins.',
    result: agreementResult,
  },
  'PUT /api/groups/:groupId/agreement': {
    summary: "Set the group's agreement: a new version, which participants accept from their next join",
    auth: 'bearer',
    section: '§8.2',
    description: 'Group facilitators and admins; audited as set_agreement with the new version (not the text).',
    body: agreementBody,
    result: setAgreementResult,
  },
  'GET /api/groups/:groupId/agreement/acceptances': {
    summary: "Who accepted which version of the group's agreement, and when: each person's latest, oldest first",
    auth: 'bearer',
    section: '§8.2',
    description: 'Group facilitators and admins.',
    result: acceptancesResult,
  },
  'GET /api/groups/:groupId/schedule': {
    summary: "The group's schedule and its coming sessions",
    auth: 'bearer',
    section: '§8.3',
    description: 'Group facilitators and admins. `schedule` is null for a group whose sessions are opened and closed by hand.',
    result: scheduleResult,
  },
  'PUT /api/groups/:groupId/schedule': {
    summary: "Replace the group's schedule",
    auth: 'bearer',
    section: '§8.3',
    description:
      "Group facilitators and admins. From now on the group's sessions open and close by the schedule. Audited (`schedule_set`).",
    body: schedule,
    result: scheduleResult,
  },
  'DELETE /api/groups/:groupId/schedule': {
    summary: "Remove the group's schedule",
    auth: 'bearer',
    section: '§8.3',
    description: 'Group facilitators and admins. Sessions are opened and closed by hand again (`mod:session`). Audited (`schedule_set`).',
    result: scheduleResult,
  },
  'POST /api/groups/:groupId/sessions/:sessionId/cancel': {
    summary: 'Cancel one coming (or the current) session',
    auth: 'bearer',
    section: '§8.3',
    description: 'Group facilitators and admins. Audited (`session_cancel`). `NOT_FOUND` when no coming session has this id.',
    result: scheduleResult,
  },
  'POST /api/groups/:groupId/session/extend': {
    summary: "Move the open session's end later",
    auth: 'bearer',
    section: '§8.3',
    description:
      'Group facilitators and admins, on a group with a schedule. Audited (`session_extend`). `SESSION_CLOSED` when no session is open.',
    body: extendSessionBody,
    result: scheduleResult,
  },
  'GET /api/groups/:groupId/attendance': {
    summary: "The group's sessions that have started (newest first, at most 100 of the last 90 days) and its attendance thresholds",
    auth: 'bearer',
    section: '§8.3',
    description: 'Group facilitators and admins. A session still open has `end: null`.',
    result: attendanceSessionsResult,
  },
  'PUT /api/groups/:groupId/attendance/settings': {
    summary: "Set the group's attendance thresholds (late, left early)",
    auth: 'bearer',
    section: '§8.3',
    description: 'Group facilitators and admins. Audited (`attendance_settings`).',
    body: attendanceSettings,
    result: attendanceSettingsResult,
  },
  'GET /api/groups/:groupId/sessions/:sessionId/attendance': {
    summary: "One session's attendance: a record for every enrolled participant, absent ones included",
    auth: 'bearer',
    section: '§8.3',
    description:
      'Group facilitators and admins. `?format=csv` (or `Accept: text/csv` without `format`) answers the same records as `text/csv` with a header row (§5.8). `NOT_FOUND` when the group has no such session.',
    query: attendanceQuery,
    result: attendanceExport,
  },
  'PUT /api/groups/:groupId/sessions/:sessionId/attendance/:userId': {
    summary: "Correct one participant's attendance in a session (e.g. an excused absence)",
    auth: 'bearer',
    section: '§8.3',
    description:
      'Group facilitators and admins. Replaces an earlier correction; the computed status stays beside it. Audited (`attendance_correct` with the status; the note is not in the audit log). `NOT_FOUND`: no such session, or the user is not an enrolled participant.',
    body: attendanceCorrectionBody,
    result: attendanceCorrectionResult,
  },
  'GET /api/groups/:groupId/audit': {
    summary: "The group's audit log, newest first",
    auth: 'bearer',
    section: '§8.3',
    description:
      'Group facilitators and admins. `action` and `person` (who acted or whom it concerned) narrow it; `hasMore` then says whether older matching entries exist. Access-logged (`audit`).',
    query: auditQuery,
    result: auditResult,
  },
  'GET /api/groups/:groupId/moderation': {
    summary: 'Which members are muted (until when) and who is banned in the group',
    auth: 'bearer',
    section: '§8.3',
    description: 'Group facilitators and admins. Access-logged (`audit`, about the people listed).',
    result: moderationListResult,
  },
  'GET /api/groups/:groupId/reports': {
    summary: "The group's report queue, oldest first",
    auth: 'bearer',
    section: '§8.3',
    query: reportsQuery,
    result: reportsResult,
  },
  'POST /api/groups/:groupId/reports/:reportId/resolve': {
    summary: 'Resolve a report (resolving twice keeps the first resolution)',
    auth: 'bearer',
    section: '§8.3',
    description: 'A body is ignored.',
    result: reportResultBody,
  },
  'GET /api/alerts': {
    summary: "The program's crisis alerts no facilitator could receive, oldest first",
    auth: 'bearer',
    section: '§8.6',
    description: 'Admins (token role) only; anyone else gets FORBIDDEN.',
    query: reportsQuery,
    result: programAlertsResult,
  },
  'GET /api/resources': {
    summary: 'The crisis resources, in English and Spanish, for the "Help now" button',
    auth: 'bearer',
    section: '§8.6',
    description:
      'Anyone signed in; the same answer for everyone (CRISIS_RESOURCES_FILE or the defaults), nothing about the caller. The same payload as `safety:resources` (§7).',
    result: safetyResourcesEvent,
  },
  'POST /api/alerts/:alertId/resolve': {
    summary: 'Resolve a program alert (resolving twice keeps the first resolution)',
    auth: 'bearer',
    section: '§8.6',
    description: 'Admins (token role) only; a body is ignored.',
    result: programAlertResult,
  },
  'GET /api/inbox': {
    summary: "The caller's staff alert inbox: open and acknowledged alerts, crisis first, then oldest first",
    auth: 'bearer',
    section: '§8.6',
    description:
      'The report queues of the groups the caller facilitates (every group for admins) and, for admins, the program alerts; the same list as the socket event alert:list. Empty for anyone else.',
    result: alertListResult,
  },
  'POST /api/alerts/:alertId/disclosures': {
    summary: 'Record an emergency disclosure (42 CFR §2.51) made about the person an alert concerns',
    auth: 'bearer',
    section: '§8.8',
    description:
      "The group's facilitators and admins (`groupId` names the alert's group); admins for a program alert (no `groupId`). A record is never edited: a correction is a new record with `correctsId`. No PUT or DELETE exists.",
    body: disclosureBody,
    result: disclosureResult,
    status: 201,
  },
  'GET /api/alerts/:alertId/disclosures': {
    summary: "An alert's emergency-disclosure records, in the order recorded, with the redisclosure notice",
    auth: 'bearer',
    section: '§8.8',
    description: 'As POST. `format=csv` answers text/csv whose first row is the notice (42 CFR §2.32). Each read is access-logged.',
    query: alertDisclosuresQuery,
    result: disclosuresResult,
  },
  'GET /api/disclosures': {
    summary: 'Every emergency-disclosure record, oldest first, with the redisclosure notice',
    auth: 'bearer',
    section: '§8.8',
    description:
      "Admins only. Filters: person (the alert's person), groupId, from/to (epoch ms of the disclosure). `format=csv` answers text/csv whose first row is the notice. Each read is access-logged.",
    query: disclosuresQuery,
    result: disclosuresResult,
  },
  'GET /api/access-log': {
    summary: 'The access log: who read what about whom, when, from which node; newest first',
    auth: 'bearer',
    section: '§8.8',
    description:
      'Admins only (participants and facilitators FORBIDDEN). Filters combine; `beforeSeq` pages back. The read is itself logged.',
    query: accessLogQuery,
    result: accessLogResult,
  },
  'GET /api/push/key': {
    summary: 'The VAPID public key staff devices subscribe to Web Push with (null: push is off)',
    auth: 'bearer',
    section: '§5.5',
    description: 'Any signed-in user may read it; only facilitators and admins (token role) may subscribe (socket push:subscribe).',
    result: pushKeyResult,
  },
  'GET /api/groups/:groupId/members/:userId/checkins': {
    summary: "A member's check-in trend over the last 14 days, one row per UTC day with a check-in",
    auth: 'bearer',
    section: '§8.2',
    description:
      'Facilitators of the group and admins, when the member is enrolled in it and shares their check-ins with staff; FORBIDDEN otherwise.',
    result: checkinTrendResult,
  },
  'GET /api/groups/:groupId/checkin-rules': {
    summary: "The group's check-in alert rules, and the defaults its unset ones take",
    auth: 'bearer',
    section: '§8.2',
    description: 'Facilitators of the group and admins.',
    result: checkinRulesResult,
  },
  'PUT /api/groups/:groupId/checkin-rules': {
    summary: "Set the group's check-in alert rules (an absent field takes the default; null turns a rule off)",
    auth: 'bearer',
    section: '§8.2',
    description: 'Facilitators of the group and admins. Replaces what the group set before; a change is audited (`checkin_rules`).',
    body: checkinRulesBody,
    result: checkinRulesResult,
  },
  'GET /api/partnerships/:partnershipId/checkins': {
    summary: "The caller's partner's check-in trend over the last 14 days, one row per UTC day with a check-in",
    auth: 'bearer',
    section: '§8.4',
    description:
      'Either partner, for the other, while the partnership is active and the other shares their check-ins with partners; FORBIDDEN otherwise. NOT_FOUND to anyone outside the partnership, staff and admins included.',
    result: checkinTrendResult,
  },
  'POST /api/partnerships': {
    summary: 'Pair two people as accountability partners',
    auth: 'bearer',
    section: '§8.4',
    description: 'Token role facilitator or admin. Staff see the pairing they made, never the messages.',
    body: createPartnershipBody,
    result: partnershipResult,
    status: 201,
  },
  'GET /api/groups/:groupId/partnerships': {
    summary: "The pairings of the group's members: both partners enrolled in the group, oldest first",
    auth: 'bearer',
    section: '§8.4',
    description:
      'Group facilitators and admins. Who is paired with whom and since when; never their messages or check-ins. Each read is access-logged (`partnerships`).',
    query: groupPartnershipsQuery,
    result: groupPartnershipsResult,
  },
  'POST /api/groups/:groupId/partnerships/:partnershipId/end': {
    summary: 'End a pairing of two members of the group, as either partner could with partner:end',
    auth: 'bearer',
    section: '§8.4',
    description:
      'Group facilitators and admins, for a partnership whose two partners are both enrolled in the group (else `NOT_FOUND`). Both partners get `partner:updated`; ending an ended one answers it as it stands. Audited (`end_partnership`). A body is ignored.',
    result: partnershipResult,
  },
  'GET /api/me/export': { summary: "The caller's own data", auth: 'bearer', section: '§8.5', result: myDataResult },
  'DELETE /api/me': {
    summary: "Erase the caller's messages, end their partnerships and unenrol them",
    auth: 'bearer',
    section: '§8.5',
    result: erasureResult,
  },
} as const satisfies Record<string, HttpRoute>;
export type HttpRouteKey = keyof typeof httpRoutes;

// What a client may send to and expects from each route, derived from the schemas above so a
// caller never asserts a shape of its own. Types only: a browser imports them with `import type`
// and carries no zod.
type Routes = typeof httpRoutes;
/** The routes that answer `{ ok, data }` with `data` described by a schema: the ones a client calls. */
export type JsonRouteKey = { [K in HttpRouteKey]: Routes[K] extends { result: z.ZodType } ? K : never }[HttpRouteKey];
type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<Rest>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;
/** `data` of a successful answer (the output side of the route's result schema). */
export type RouteResult<K extends JsonRouteKey> = Routes[K] extends { result: infer R extends z.ZodType } ? z.output<R> : never;
/**
 * What a call of route K sends besides the token: its `:param`s, its query and its body (the input
 * side of their schemas), each only where the route has one; a body is required where it has one.
 */
export type RouteRequest<K extends JsonRouteKey> = ([PathParamNames<K>] extends [never]
  ? { params?: never }
  : { params: Record<PathParamNames<K>, string> }) &
  (Routes[K] extends { query: infer Q extends z.ZodType } ? { query?: z.input<Q> } : { query?: never }) &
  (Routes[K] extends { body: infer B extends z.ZodType } ? { body: z.input<B> } : { body?: never });
