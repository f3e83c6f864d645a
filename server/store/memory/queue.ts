type Resolvable = {
  id: string;
  status: 'open' | 'resolved';
  resolvedBy?: string;
  resolvedAt?: number;
  acknowledgedBy?: string;
  acknowledgedAt?: number;
  resolutionNote?: string;
};

/** A queue of items deduplicated by key and resolved once (a group's reports, the program's alerts); hands out copies. */
export class Queue<T extends Resolvable> {
  private readonly items: T[] = [];
  private readonly byKey = new Map<string, T>();

  file(item: T, dedupeKey: string): { item: T; duplicate: boolean } {
    const existing = this.byKey.get(dedupeKey);
    if (existing) return { item: structuredClone(existing), duplicate: true };
    const stored = structuredClone(item);
    this.items.push(stored);
    this.byKey.set(dedupeKey, stored);
    return { item: structuredClone(stored), duplicate: false };
  }

  list(status: 'open' | 'all'): T[] {
    return this.items.filter((r) => status === 'all' || r.status === 'open').map((r) => structuredClone(r));
  }

  /** Changes the stored items in place (erasure's edits). */
  edit(change: (item: T) => void): void {
    for (const r of this.items) change(r);
  }

  /** The first acknowledgement of an open item stays. */
  acknowledge(id: string, by: string, at: number): T | null {
    const r = this.items.find((x) => x.id === id);
    if (!r) return null;
    if (r.status === 'open' && r.acknowledgedBy === undefined) Object.assign(r, { acknowledgedBy: by, acknowledgedAt: at });
    return structuredClone(r);
  }

  resolve(id: string, by: string, at: number, note?: string): T | null {
    const r = this.items.find((x) => x.id === id);
    if (!r) return null;
    if (r.status === 'open') Object.assign(r, { status: 'resolved', resolvedBy: by, resolvedAt: at }, note ? { resolutionNote: note } : {});
    return structuredClone(r);
  }
}
