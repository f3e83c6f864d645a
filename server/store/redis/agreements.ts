import type { Acceptance, Agreement } from '../../../shared/index.js';
import type { GroupAgreements } from '../ports.js';
import type { RedisClient } from '../redis-client.js';
import { byAcceptance } from '../store.js';
import { withScripts, type RedisBase } from './base.js';

/** KEYS: agreement. ARGV: text, by, at. The next version (HINCRBY from 1) with its text, in one step. */
const SET_AGREEMENT = `
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'text', ARGV[1], 'by', ARGV[2], 'at', ARGV[3])
return version
`;

/**
 * KEYS: agreement, acceptances. ARGV: user id, version, at. Records `<version>:<at>` unless the
 * user already accepted this version (the first acceptance stays). Returns {'accepted', at}, or
 * {'changed', version, text, at, by} ('' each when there is no agreement) for another version.
 */
const ACCEPT_AGREEMENT = `
local current = redis.call('HMGET', KEYS[1], 'version', 'text', 'at', 'by')
if current[1] ~= ARGV[2] then return {'changed', current[1] or '', current[2] or '', current[3] or '', current[4] or ''} end
local before = redis.call('HGET', KEYS[2], ARGV[1])
if before then
  local version, at = string.match(before, '^(%d+):(%d+)$')
  if version == ARGV[2] then return {'accepted', at} end
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2] .. ':' .. ARGV[3])
return {'accepted', ARGV[3]}
`;

type Scripts = {
  bridgeSetAgreement(agreement: string, text: string, by: string, at: number): Promise<number>;
  bridgeAcceptAgreement(agreement: string, accepts: string, userId: string, version: number, at: number): Promise<string[]>;
};

/**
 * Each group's agreement in Redis, under the group's hash tag so that admission's scripts read it
 * with the rest of the room: the current version as a hash, acceptances as a hash of user id →
 * `<version>:<at>` (admission-scripts.ts reads both).
 */
export class RedisAgreements implements GroupAgreements {
  private readonly redis: RedisClient & Scripts;

  constructor(private readonly base: RedisBase) {
    this.redis = withScripts<Scripts>(base.client, {
      bridgeSetAgreement: [1, SET_AGREEMENT],
      bridgeAcceptAgreement: [2, ACCEPT_AGREEMENT],
    });
  }

  async setAgreement(groupId: string, text: string, by: string, at: number): Promise<Agreement> {
    const version = await this.redis.bridgeSetAgreement(this.base.k.agreement(groupId), text, by, at);
    return { version, text, at, by };
  }

  async agreement(groupId: string): Promise<Agreement | null> {
    const [version, text, at, by] = await this.redis.hmget(this.base.k.agreement(groupId), 'version', 'text', 'at', 'by');
    return agreementFrom(version, text, at, by);
  }

  async acceptAgreement(
    groupId: string,
    userId: string,
    version: number,
    at: number,
  ): Promise<{ accepted: Acceptance } | { changed: Agreement | null }> {
    const { k } = this.base;
    const [outcome, a, b, c, d] = await this.redis.bridgeAcceptAgreement(
      k.agreement(groupId),
      k.agreementAccepts(groupId),
      userId,
      version,
      at,
    );
    if (outcome === 'accepted') return { accepted: { userId, version, at: Number(a) } };
    return { changed: agreementFrom(a, b, c, d) };
  }

  async acceptances(groupId: string): Promise<Acceptance[]> {
    const all = await this.redis.hgetall(this.base.k.agreementAccepts(groupId));
    return Object.entries(all)
      .map(([userId, value]) => {
        const [version, at] = value.split(':');
        return { userId, version: Number(version), at: Number(at) };
      })
      .sort(byAcceptance);
  }

  async forgetAcceptance(groupId: string, userId: string): Promise<void> {
    const { k } = this.base;
    await Promise.all([this.redis.hdel(k.agreementAccepts(groupId), userId), this.redis.hdel(k.agreementJoins(groupId), userId)]);
  }
}

function agreementFrom(...[version, text, at, by]: (string | null | undefined)[]): Agreement | null {
  if (!version) return null;
  return { version: Number(version), text: text ?? '', at: Number(at), by: by ?? '' };
}
