import type { GroupState } from '../../../shared/index.js';
import type { RoomState } from '../ports.js';
import type { RoomSettings } from '../store.js';
import type { RoomData } from './room-data.js';
import { getOrCreate } from './util.js';

/** Each group's room settings and hand queue in this process. */
export class MemoryRoom implements RoomState {
  constructor(private readonly data: RoomData) {}

  async roomState(groupId: string, now = Date.now()): Promise<GroupState> {
    return {
      ...this.data.settingsOf(groupId),
      ...this.data.sessionState(groupId, now),
      handQueue: [...(this.data.hands.get(groupId) ?? [])],
    };
  }

  async updateRoomState(groupId: string, patch: Partial<RoomSettings>): Promise<GroupState> {
    // Field by field as the Redis store does: a key given as undefined leaves its setting alone.
    const cur = this.data.settingsOf(groupId);
    this.data.settings.set(groupId, {
      locked: patch.locked ?? cur.locked,
      waitingRoom: patch.waitingRoom ?? cur.waitingRoom,
      slowModeSec: patch.slowModeSec ?? cur.slowModeSec,
      sessionOpen: patch.sessionOpen ?? cur.sessionOpen,
      pinnedMessageId: patch.pinnedMessageId === undefined ? cur.pinnedMessageId : patch.pinnedMessageId,
      quietPartnerChat: patch.quietPartnerChat ?? cur.quietPartnerChat,
    });
    return this.roomState(groupId);
  }

  async setHand(groupId: string, userId: string, raised: boolean): Promise<boolean> {
    const queue = getOrCreate(this.data.hands, groupId, () => []);
    const at = queue.indexOf(userId);
    if (raised === at >= 0) return false;
    if (raised) queue.push(userId);
    else queue.splice(at, 1);
    return true;
  }
}
