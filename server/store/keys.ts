import type { Conversation } from '../../shared/index.js';

/**
 * Every Redis key Bridge writes, under one configurable prefix. A conversation's keys share a
 * hash tag so its Lua scripts stay single-slot on a Redis Cluster.
 */
export function redisKeys(prefix: string) {
  const conv = (c: Conversation) => `${prefix}{${c.kind === 'group' ? 'g' : 'p'}:${c.id}}`;
  return {
    group: (groupId: string) => `${prefix}group:${groupId}`,
    allGroups: () => `${prefix}groups`,
    members: (groupId: string) => `${conv({ kind: 'group', id: groupId })}:members`,
    userGroups: (userId: string) => `${prefix}user:${userId}:groups`,
    seq: (c: Conversation) => `${conv(c)}:seq`,
    first: (c: Conversation) => `${conv(c)}:first`,
    log: (c: Conversation) => `${conv(c)}:log`,
    ids: (c: Conversation) => `${conv(c)}:ids`,
    clientIds: (c: Conversation) => `${conv(c)}:cmid`,
    state: (groupId: string) => `${conv({ kind: 'group', id: groupId })}:state`,
    hands: (groupId: string) => `${conv({ kind: 'group', id: groupId })}:hands`,
    mutes: (groupId: string) => `${conv({ kind: 'group', id: groupId })}:mutes`,
    bans: (groupId: string) => `${conv({ kind: 'group', id: groupId })}:bans`,
    attending: (groupId: string) => `${conv({ kind: 'group', id: groupId })}:attending`,
    sendSlot: (groupId: string, userId: string) => `${conv({ kind: 'group', id: groupId })}:slot:${userId}`,
    audit: (groupId: string) => `${conv({ kind: 'group', id: groupId })}:audit`,
    reports: (groupId: string) => `${conv({ kind: 'group', id: groupId })}:reports`,
    reportOrder: (groupId: string) => `${conv({ kind: 'group', id: groupId })}:report-order`,
    reportKeys: (groupId: string) => `${conv({ kind: 'group', id: groupId })}:report-keys`,
    rateLimit: (name: string) => `${prefix}rl:${name}`,
    partnership: (id: string) => `${prefix}partnership:${id}`,
    allPartnerships: () => `${prefix}partnerships`,
    userPartnerships: (userId: string) => `${prefix}user:${userId}:partnerships`,
    userActivePartnerships: (userId: string) => `${prefix}user:${userId}:partnerships-active`,
    activePair: (a: string, b: string) => `${prefix}pair:${a < b ? `${a}:${b}` : `${b}:${a}`}`,
    invite: (id: string) => `${prefix}invite:${id}`,
    pendingInvitePair: (a: string, b: string) => `${prefix}invite-pair:${a < b ? `${a}:${b}` : `${b}:${a}`}`,
    userInvites: (userId: string) => `${prefix}user:${userId}:invites`,
    reads: (partnershipId: string) => `${conv({ kind: 'partner', id: partnershipId })}:reads`,
    presence: (userId: string) => `${prefix}presence:${userId}`,
    /** The prefix of every presence key above, for the sweep script. */
    presencePrefix: () => `${prefix}presence:`,
    allConnections: () => `${prefix}connections`,
  };
}
export type RedisKeys = ReturnType<typeof redisKeys>;
