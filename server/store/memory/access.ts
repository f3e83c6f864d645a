import type { AccessEntry, Disclosure } from '../../../shared/index.js';
import type { AccessLog, DisclosureRecords } from '../ports.js';
import { accessMatches, NO_LINK, type AccessQuery, type ChainLink } from '../store.js';

const linkOf = (e: AccessEntry): ChainLink => ({ seq: e.seq, mac: e.mac, at: e.at });

/** The access log in this process, oldest first; hands out copies. */
export class MemoryAccessLog implements AccessLog {
  private entries: AccessEntry[] = [];
  private head: ChainLink = NO_LINK;
  private anchor: ChainLink = NO_LINK;

  async accessHead(): Promise<ChainLink> {
    return { ...this.head };
  }

  async appendAccess(entry: AccessEntry): Promise<{ appended: true } | { appended: false; head: ChainLink }> {
    if (entry.seq !== this.head.seq + 1 || entry.prev !== this.head.mac) return { appended: false, head: { ...this.head } };
    this.entries.push(structuredClone(entry));
    this.head = linkOf(entry);
    return { appended: true };
  }

  async accessEntries(q: AccessQuery): Promise<{ entries: AccessEntry[]; hasMore: boolean }> {
    const out: AccessEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i]!;
      if (q.beforeSeq !== undefined && e.seq >= q.beforeSeq) continue;
      if (q.from !== undefined && e.at < q.from) break;
      if (!accessMatches(e, q)) continue;
      if (out.length === q.limit) return { entries: out, hasMore: true };
      out.push(structuredClone(e));
    }
    return { entries: out, hasMore: false };
  }

  async accessChain(afterSeq: number, limit: number): Promise<AccessEntry[]> {
    return this.entries
      .filter((e) => e.seq > afterSeq)
      .slice(0, limit)
      .map((e) => structuredClone(e));
  }

  async accessAnchor(): Promise<ChainLink> {
    return { ...this.anchor };
  }

  async trimAccessBefore(cutoff: number): Promise<number> {
    const gone = this.entries.findIndex((e) => e.at >= cutoff);
    const removed = gone === -1 ? this.entries.length : gone;
    if (removed === 0) return 0;
    this.anchor = linkOf(this.entries[removed - 1]!);
    this.entries = this.entries.slice(removed);
    return removed;
  }
}

/** Disclosure records in this process, in the order recorded; hands out copies. */
export class MemoryDisclosures implements DisclosureRecords {
  private readonly records: Disclosure[] = [];

  async addDisclosure(d: Disclosure): Promise<void> {
    if (this.records.some((r) => r.id === d.id)) return;
    this.records.push(structuredClone(d));
  }

  async disclosure(id: string): Promise<Disclosure | null> {
    const d = this.records.find((r) => r.id === id);
    return d ? structuredClone(d) : null;
  }

  async disclosuresOf(alertId: string): Promise<Disclosure[]> {
    return this.records.filter((r) => r.alertId === alertId).map((r) => structuredClone(r));
  }

  async allDisclosures(): Promise<Disclosure[]> {
    return this.records.toSorted(byRecorded).map((r) => structuredClone(r));
  }
}

/** The order of allDisclosures: by recordedAt, ties by id. */
function byRecorded(a: Disclosure, b: Disclosure): number {
  return a.recordedAt - b.recordedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
