import type { GroupState } from '../../../shared/index.js';
import type { RoomState } from '../ports.js';
import type { RedisClient } from '../redis-client.js';
import { DEFAULT_ROOM_STATE, sessionState, type RoomSettings } from '../store.js';
import { withScripts, type RedisBase } from './base.js';
import { windowFromMember } from './sessions.js';

/**
 * KEYS: hands. ARGV: user id, '1' to raise or '0' to lower. Returns 1 when the hand changed.
 * A raised hand scores one more than the last one in the queue, so the queue is first raised
 * first even when hands go up in the same millisecond or on nodes whose clocks differ.
 */
const SET_HAND = `
if ARGV[2] == '1' then
  if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  local score = 1
  if last[2] then score = tonumber(last[2]) + 1 end
  redis.call('ZADD', KEYS[1], score, ARGV[1])
  return 1
end
return redis.call('ZREM', KEYS[1], ARGV[1])
`;

type Scripts = { bridgeSetHand(hands: string, userId: string, raised: '1' | '0'): Promise<number> };

/** Room settings from the state hash; a field never written is its default. */
function settingsOf(state: Record<string, string>): RoomSettings {
  return {
    locked: state.locked === undefined ? DEFAULT_ROOM_STATE.locked : state.locked === '1',
    waitingRoom: state.waitingRoom === undefined ? DEFAULT_ROOM_STATE.waitingRoom : state.waitingRoom === '1',
    slowModeSec: state.slowModeSec === undefined ? DEFAULT_ROOM_STATE.slowModeSec : Number(state.slowModeSec),
    sessionOpen: state.sessionOpen === undefined ? DEFAULT_ROOM_STATE.sessionOpen : state.sessionOpen === '1',
    pinnedMessageId: state.pinnedMessageId || DEFAULT_ROOM_STATE.pinnedMessageId,
    quietPartnerChat: state.quietPartnerChat === undefined ? DEFAULT_ROOM_STATE.quietPartnerChat : state.quietPartnerChat === '1',
  };
}

/** Each group's room in Redis: its state hash and its hand queue (a sorted set), under the group's hash tag. */
export class RedisRoom implements RoomState {
  private readonly redis: RedisClient & Scripts;

  constructor(private readonly base: RedisBase) {
    this.redis = withScripts<Scripts>(base.client, { bridgeSetHand: [1, SET_HAND] });
  }

  async roomState(groupId: string, now = Date.now()): Promise<GroupState> {
    const [state, hands, windows] = await Promise.all([
      this.redis.hgetall(this.base.k.state(groupId)),
      this.redis.zrange(this.base.k.hands(groupId), 0, -1),
      this.redis.zrange(this.base.k.sessionWindows(groupId), 0, -1),
    ]);
    const settings = settingsOf(state);
    const sessions = sessionState(state.scheduled === '1' ? windows.map(windowFromMember) : null, settings.sessionOpen, now);
    return { ...settings, ...sessions, handQueue: hands };
  }

  async updateRoomState(groupId: string, patch: Partial<RoomSettings>): Promise<GroupState> {
    const fields: Record<string, string> = {};
    if (patch.locked !== undefined) fields.locked = patch.locked ? '1' : '0';
    if (patch.waitingRoom !== undefined) fields.waitingRoom = patch.waitingRoom ? '1' : '0';
    if (patch.sessionOpen !== undefined) fields.sessionOpen = patch.sessionOpen ? '1' : '0';
    if (patch.slowModeSec !== undefined) fields.slowModeSec = String(patch.slowModeSec);
    if (patch.quietPartnerChat !== undefined) fields.quietPartnerChat = patch.quietPartnerChat ? '1' : '0';
    if (patch.pinnedMessageId !== undefined) fields.pinnedMessageId = patch.pinnedMessageId ?? '';
    if (Object.keys(fields).length) await this.redis.hset(this.base.k.state(groupId), fields);
    return this.roomState(groupId);
  }

  async setHand(groupId: string, userId: string, raised: boolean): Promise<boolean> {
    return (await this.redis.bridgeSetHand(this.base.k.hands(groupId), userId, raised ? '1' : '0')) === 1;
  }
}
