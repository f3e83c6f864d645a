import type { Conversation, Message, MessagePage, ReactionEmoji, Reactions } from '../../../shared/index.js';
import { isStoreUnavailable } from '../../errors.js';
import type { ConversationLog } from '../ports.js';
import { idempotencyKey, newEpoch, type AppendResult, type MessageDraft, type TrimResult } from '../store.js';
import type { RedisClient } from '../redis-client.js';
import { withScripts, type RedisBase } from './base.js';
import * as lua from './log-scripts.js';

type Scripts = {
  bridgeAppend(
    seq: string,
    log: string,
    ids: string,
    cmid: string,
    epoch: string,
    field: string,
    id: string,
    tail: string,
    newEpoch: string,
  ): Promise<[number, number | string]>;
  bridgePage(seq: string, first: string, log: string, mode: string, bound: string, limit: number): Promise<[number, ...string[]]>;
  bridgeFind(ids: string, log: string, id: string): Promise<string | null>;
  bridgeToggleReaction(ids: string, log: string, id: string, emoji: string, userId: string): Promise<string | null>;
  bridgeErase(ids: string, log: string, cmid: string, id: string, forgetClientMsgId: '1' | '0'): Promise<string | null>;
  bridgeTrim(seq: string, first: string, log: string, ids: string, cmid: string, cutoff: number, max: number): Promise<number>;
};

const TRIM_SLICE = 500;

/** The message logs in Redis: each conversation's log, seq, epoch and indexes under its hash tag. */
export class RedisLog implements ConversationLog {
  private readonly redis: RedisClient & Scripts;

  constructor(private readonly base: RedisBase) {
    this.redis = withScripts<Scripts>(base.client, {
      bridgeAppend: [5, lua.APPEND],
      bridgePage: [3, lua.PAGE],
      bridgeFind: [2, lua.FIND],
      bridgeToggleReaction: [2, lua.TOGGLE_REACTION],
      bridgeErase: [3, lua.ERASE],
      bridgeTrim: [5, lua.TRIM],
    });
  }

  async appendMessage(c: Conversation, draft: MessageDraft): Promise<AppendResult> {
    const k = this.base.k;
    const field = draft.clientMsgId === undefined ? '' : idempotencyKey(draft.sender.id, draft.clientMsgId);
    const tail = this.base.crypto.stringify('message', draft).slice(1);
    const [isNew, value] = await this.redis.bridgeAppend(
      k.seq(c),
      k.log(c),
      k.ids(c),
      k.clientIds(c),
      k.epoch(c),
      field,
      draft.id,
      tail,
      newEpoch(),
    );
    if (isNew === 1) return { message: { seq: Number(value), ...draft }, duplicate: false };
    return { message: this.message(String(value)), duplicate: true };
  }

  async history(c: Conversation, page: { beforeSeq?: number; limit: number }): Promise<MessagePage> {
    return this.page(c, 'before', page.beforeSeq, page.limit);
  }

  async since(c: Conversation, since: number, limit: number): Promise<MessagePage> {
    return this.page(c, 'after', since, limit);
  }

  async findMessage(c: Conversation, messageId: string): Promise<Message | null> {
    const raw = await this.redis.bridgeFind(this.base.k.ids(c), this.base.k.log(c), messageId);
    return raw ? this.message(raw) : null;
  }

  async messageByClientId(c: Conversation, senderId: string, clientMsgId: string): Promise<Message | null> {
    // FIND looks an index up and reads the log; the idempotency index works the same way.
    const raw = await this.redis.bridgeFind(this.base.k.clientIds(c), this.base.k.log(c), idempotencyKey(senderId, clientMsgId));
    return raw ? this.message(raw) : null;
  }

  async toggleReaction(c: Conversation, messageId: string, emoji: ReactionEmoji, userId: string): Promise<Reactions | null> {
    const raw = await this.redis.bridgeToggleReaction(this.base.k.ids(c), this.base.k.log(c), messageId, emoji, userId);
    return raw ? (JSON.parse(raw) as Reactions) : null;
  }

  async eraseMessage(c: Conversation, messageId: string, opts: { forgetClientMsgId?: boolean } = {}): Promise<Message | null> {
    const k = this.base.k;
    const raw = await this.redis.bridgeErase(k.ids(c), k.log(c), k.clientIds(c), messageId, opts.forgetClientMsgId ? '1' : '0');
    if (raw) this.base.erased();
    return raw ? this.message(raw) : null;
  }

  async logEpoch(conversation: Conversation): Promise<string> {
    return (await this.redis.get(this.base.k.epoch(conversation))) ?? '';
  }

  async lastSeq(conversation: Conversation): Promise<number> {
    return Number((await this.redis.get(this.base.k.seq(conversation))) ?? 0);
  }

  async trimBefore(cutoff: number): Promise<TrimResult> {
    const k = this.base.k;
    const [groups, partnerships] = await Promise.all([this.redis.zrange(k.allGroups(), 0, -1), this.redis.smembers(k.allPartnerships())]);
    const conversations: Conversation[] = [
      ...groups.map((id) => ({ kind: 'group', id }) as const),
      ...partnerships.map((id) => ({ kind: 'partner', id }) as const),
    ];
    let removed = 0;
    const failed: Conversation[] = [];
    for (const c of conversations) {
      try {
        // In slices, so one long-lived conversation never blocks Redis for long.
        for (;;) {
          const n = await this.redis.bridgeTrim(k.seq(c), k.first(c), k.log(c), k.ids(c), k.clientIds(c), cutoff, TRIM_SLICE);
          removed += n;
          if (n < TRIM_SLICE) break;
        }
      } catch (err) {
        // Redis itself unreachable fails every conversation alike: the sweep stops and runs again later.
        if (isStoreUnavailable(err)) throw err;
        // One conversation's bad state: the caller logs it by id, the next sweep tries it again.
        failed.push(c);
      }
    }
    return { removed, failed };
  }

  private async page(c: Conversation, mode: 'after' | 'before', bound: number | undefined, limit: number): Promise<MessagePage> {
    const k = this.base.k;
    const [more, ...rows] = await this.redis.bridgePage(
      k.seq(c),
      k.first(c),
      k.log(c),
      mode,
      bound === undefined ? '' : String(bound),
      limit,
    );
    return { messages: rows.map((raw) => this.message(raw)), hasMore: more === 1 };
  }

  private message(raw: string): Message {
    return this.base.crypto.parse<Message>('message', raw);
  }
}
