import type { Message } from '../../shared/index.js';

/** Unread partner messages per partnership, for the list badges and the nav badge. */
export class UnreadCounts {
  private readonly counts = new Map<string, number>();
  /** the conversation on screen: its messages are read as they arrive */
  open: string | null = null;

  constructor(private readonly changed: (total: number) => void) {}

  get(id: string): number {
    return this.counts.get(id) ?? 0;
  }

  set(id: string, n: number): void {
    this.counts.set(id, n);
    this.changed(this.total());
  }

  bump(id: string): void {
    if (id !== this.open) this.set(id, this.get(id) + 1);
  }

  total(): number {
    let t = 0;
    for (const n of this.counts.values()) t += n;
    return t;
  }
}

/**
 * The newest group message this browser has shown its user, per group (the room at its bottom,
 * on a visible page). The server keeps read marks for partners only, so group counts are this
 * device's: reading on another device does not lower them here. Stored per user id, holding
 * group ids and seqs, never text.
 */
export class GroupReads {
  private readonly key: string;

  constructor(userId: string) {
    this.key = `bridge.groupRead.${userId}`;
  }

  /** undefined: never opened on this device, so nothing to count from */
  get(groupId: string): number | undefined {
    const seq = this.load()[groupId];
    return typeof seq === 'number' ? seq : undefined;
  }

  set(groupId: string, seq: number): void {
    const all = this.load();
    all[groupId] = seq;
    try {
      localStorage.setItem(this.key, JSON.stringify(all));
    } catch {
      // storage full or refused: the count stays as it was
    }
  }

  private load(): Record<string, number> {
    try {
      const all: unknown = JSON.parse(localStorage.getItem(this.key) ?? '{}');
      return all && typeof all === 'object' ? (all as Record<string, number>) : {};
    } catch {
      return {};
    }
  }
}

/** Someone else's messages after `lastRead` (the room's own lines and removed messages do not count). */
export function unreadAfter(messages: Message[], lastRead: number, me: string): number {
  return messages.filter((m) => m.seq > lastRead && m.sender.id !== me && m.kind !== 'system' && !m.deleted).length;
}
