/**
 * Live connections per user on this node. A slot is taken in the handshake, before the socket
 * connects, so handshakes arriving together cannot all slip under the cap. Per node on purpose:
 * a count shared in the store would outlive a crashed node's sockets, and with N nodes a user can
 * hold at most N × max.
 */
export class ConnectionCap {
  private readonly live = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Takes a slot; false when the user already holds `max`. Each true needs exactly one release. */
  take(userId: string): boolean {
    const n = this.live.get(userId) ?? 0;
    if (n >= this.max) return false;
    this.live.set(userId, n + 1);
    return true;
  }

  release(userId: string): void {
    const n = (this.live.get(userId) ?? 0) - 1;
    if (n > 0) this.live.set(userId, n);
    else this.live.delete(userId);
  }
}
