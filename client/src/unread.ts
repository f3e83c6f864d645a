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
