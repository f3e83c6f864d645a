import type { Stores } from '../ports.js';
import { MemoryAttendance } from './attendance.js';
import { MemoryAccessLog, MemoryDisclosures } from './access.js';
import { MemoryAdmission } from './admission.js';
import { MemoryAgreements } from './agreements.js';
import { MemoryAuditLog } from './audit.js';
import { MemoryCheckinWatch } from './checkin-watch.js';
import { MemoryCheckins } from './checkins.js';
import { MemoryEscalationQueue } from './escalations.js';
import { MemoryGroups } from './groups.js';
import { MemoryHeldMessages } from './held.js';
import { MemoryLimits } from './limits.js';
import { MemoryLog } from './log.js';
import { MemoryModeration } from './moderation.js';
import { MemoryPartners } from './partners.js';
import { MemoryPresence } from './presence.js';
import { MemoryAlertQueue, MemoryReportQueue } from './reports.js';
import { RoomData } from './room-data.js';
import { MemoryRoom } from './room.js';
import { MemorySessions } from './sessions.js';
import { MemoryPushSubscriptions } from './push.js';

/**
 * Every port kept in this process only: the embedded default for one node and for trying Bridge
 * out. Lost on restart. Each port returns copies, so callers can never mutate what is stored.
 * Admission reads the groups' enrolments, the room's data and the send budget and appends to the
 * log in one synchronous step, so the objects it shares are handed to it here: the room,
 * moderation, admission and sessions ports share one RoomData, and admission reads the agreements port's.
 */
export function createMemoryStores(): Stores {
  const groups = new MemoryGroups();
  const log = new MemoryLog();
  const room = new RoomData();
  const limits = new MemoryLimits();
  const agreements = new MemoryAgreements();
  return {
    kind: 'memory',
    groups,
    log,
    room: new MemoryRoom(room),
    moderation: new MemoryModeration(room),
    admission: new MemoryAdmission(groups, log, room, limits, agreements),
    agreements,
    accessLog: new MemoryAccessLog(),
    disclosures: new MemoryDisclosures(),
    auditLog: new MemoryAuditLog(),
    reportQueue: new MemoryReportQueue(),
    alertQueue: new MemoryAlertQueue(),
    escalationQueue: new MemoryEscalationQueue(),
    sessions: new MemorySessions(room),
    partners: new MemoryPartners(),
    held: new MemoryHeldMessages(),
    push: new MemoryPushSubscriptions(),
    checkins: new MemoryCheckins(),
    checkinWatch: new MemoryCheckinWatch(),
    presence: new MemoryPresence(),
    attendance: new MemoryAttendance(),
    limits,
    async ping() {},
    async close() {},
  };
}
