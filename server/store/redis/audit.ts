import type { AuditEntry } from '../../../shared/index.js';
import type { AuditLog } from '../ports.js';
import type { RedisClient } from '../redis-client.js';
import { pageWindow, type AuditDraft } from '../store.js';
import { withScripts, type RedisBase } from './base.js';

/** KEYS: audit list. ARGV: the entry JSON without its opening brace. Returns the seq. */
const APPEND_AUDIT = `
local seq = redis.call('LLEN', KEYS[1]) + 1
redis.call('RPUSH', KEYS[1], '{"seq":' .. seq .. ',' .. ARGV[1])
return seq
`;

type Scripts = { bridgeAppendAudit(list: string, tail: string): Promise<number> };

/** Each group's audit log in Redis: a list under the group's hash tag, oldest first. */
export class RedisAuditLog implements AuditLog {
  private readonly redis: RedisClient & Scripts;

  constructor(private readonly base: RedisBase) {
    this.redis = withScripts<Scripts>(base.client, { bridgeAppendAudit: [1, APPEND_AUDIT] });
  }

  async appendAudit(groupId: string, draft: AuditDraft): Promise<AuditEntry> {
    const seq = await this.redis.bridgeAppendAudit(this.base.k.audit(groupId), this.base.crypto.stringify('audit', draft).slice(1));
    return { seq, ...draft };
  }

  async audit(groupId: string, page: { beforeSeq?: number; limit: number }): Promise<{ entries: AuditEntry[]; hasMore: boolean }> {
    const key = this.base.k.audit(groupId);
    // The window needs the real length even with beforeSeq: it may point past the newest entry.
    const { from, to, hasMore } = pageWindow(1, await this.redis.llen(key), page);
    if (to < from) return { entries: [], hasMore: false };
    const rows = await this.redis.lrange(key, from - 1, to - 1);
    return { entries: rows.reverse().map((raw) => this.base.crypto.parse<AuditEntry>('audit', raw)), hasMore };
  }
}
