import { MemoryRoom } from '../memory.js';
import type { Stores } from '../ports.js';
import { MemoryAuditLog } from './audit.js';
import { MemoryGroups } from './groups.js';
import { MemoryLog } from './log.js';
import { MemoryPartners } from './partners.js';
import { MemoryPresence } from './presence.js';
import { MemoryAlertQueue, MemoryReportQueue } from './reports.js';

/**
 * Every port kept in this process only: the embedded default for one node and for trying Bridge
 * out. Lost on restart. Each port returns copies, so callers can never mutate what is stored.
 * The room's admission reads the groups' enrolments and appends to the log in one synchronous
 * step, so the ports it shares state with are handed to it here.
 */
export function createMemoryStores(): Stores {
  const groups = new MemoryGroups();
  const log = new MemoryLog();
  const room = new MemoryRoom(groups, log);
  return {
    kind: 'memory',
    groups,
    log,
    room,
    moderation: room,
    admission: room,
    auditLog: new MemoryAuditLog(),
    reportQueue: new MemoryReportQueue(),
    alertQueue: new MemoryAlertQueue(),
    partners: new MemoryPartners(),
    presence: new MemoryPresence(),
    limits: room,
    async ping() {},
    async close() {},
  };
}
