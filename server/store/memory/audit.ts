import type { AuditEntry } from '../../../shared/index.js';
import type { AuditLog } from '../ports.js';
import { pageWindow, type AuditDraft } from '../store.js';
import { getOrCreate } from './util.js';

/** Each group's audit log in this process; hands out copies. */
export class MemoryAuditLog implements AuditLog {
  private readonly audits = new Map<string, AuditEntry[]>();

  async appendAudit(groupId: string, draft: AuditDraft): Promise<AuditEntry> {
    const log = getOrCreate(this.audits, groupId, () => []);
    const entry: AuditEntry = { seq: log.length + 1, ...structuredClone(draft) };
    log.push(entry);
    return structuredClone(entry);
  }

  async audit(groupId: string, page: { beforeSeq?: number; limit: number }): Promise<{ entries: AuditEntry[]; hasMore: boolean }> {
    const log = this.audits.get(groupId) ?? [];
    const { from, to, hasMore } = pageWindow(1, log.length, page);
    return {
      entries: log
        .slice(from - 1, Math.max(from - 1, to))
        .reverse()
        .map((e) => structuredClone(e)),
      hasMore,
    };
  }
}
