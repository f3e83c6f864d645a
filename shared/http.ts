import { z } from 'zod';
import { wellFormedString } from './text.js';
import { displayName, globalRole, group, groupRole, member, userId } from './schemas/common.js';
import { auditEntry, queuedReport } from './schemas/moderation.js';
import { programAlert } from './schemas/safety.js';

// HTTP bodies of §8.
export const createGroupBody = z.object({
  name: wellFormedString().max(200).transform((s) => s.normalize('NFC').trim()).pipe(z.string().min(1).max(80)),
  description: wellFormedString().max(1000).optional(),
  schedule: wellFormedString().max(200).optional(),
  earlierMessages: z.enum(['private', 'shared']).optional(),
});
export const enrolBody = z.object({ role: groupRole, name: displayName.optional() });
export const demoAuthBody = z.object({ name: displayName, role: globalRole.default('participant') });

export const groupResult = z.object({ group });
export const groupListResult = z.object({ groups: z.array(group) });
export const groupWithMembersResult = z.object({ group, members: z.array(member) });
export const demoAuthResult = z.object({
  token: z.string(),
  user: z.object({ id: z.string(), name: z.string(), role: globalRole }),
  demoGroupId: z.string(),
});
/** `GET /auth/demo`: whether this server is in demo mode (the sign-in page offers the demo form). */
export const demoStatusResult = z.object({ demo: z.boolean() });

export const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** entries older than this seq: pass the last seq of the previous page */
  beforeSeq: z.coerce.number().int().positive().optional(),
});
export const auditResult = z.object({ entries: z.array(auditEntry), hasMore: z.boolean() });
export const reportsQuery = z.object({ status: z.enum(['open', 'all']).default('open') });
export const reportsResult = z.object({ reports: z.array(queuedReport) });
export const resolveReportBody = z.object({ note: wellFormedString().max(500).optional() });
export const reportResultBody = z.object({ report: queuedReport });
/** `GET /api/alerts` (admins): the program's queue of crisis alerts no facilitator could receive. */
export const programAlertsResult = z.object({ alerts: z.array(programAlert) });
export const programAlertResult = z.object({ alert: programAlert });

export const createPartnershipBody = z.object({
  userIds: z.tuple([userId, userId]).refine(([a, b]) => a !== b, 'a partnership joins two different people'),
});
