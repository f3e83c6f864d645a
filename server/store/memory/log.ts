import type { Conversation, Message, MessagePage, ReactionEmoji, Reactions } from '../../../shared/index.js';
import type { ConversationLog } from '../ports.js';
import { eraseInPlace, idempotencyKey, newEpoch, pageWindow, type AppendResult, type MessageDraft, type TrimResult } from '../store.js';
import { convKey, copyMessage, getOrCreate } from './util.js';

type Log = {
  messages: Map<number, Message>;
  last: number;
  first: number;
  byId: Map<string, number>;
  byClientId: Map<string, number>;
  epoch: string;
};

/**
 * The message logs in this process. Returns copies, so callers can never mutate what is stored.
 * `resent` and `append` are synchronous so that admission can check and append in one step.
 */
export class MemoryLog implements ConversationLog {
  private readonly logs = new Map<string, Log>();

  async appendMessage(conversation: Conversation, draft: MessageDraft): Promise<AppendResult> {
    return this.resent(conversation, draft.sender.id, draft.clientMsgId) ?? this.append(conversation, draft);
  }

  /** The original of a resend, if this clientMsgId was used by the sender here. */
  resent(c: Conversation, senderId: string, clientMsgId: string | undefined): AppendResult | undefined {
    const log = this.logs.get(convKey(c));
    const seq = clientMsgId === undefined ? undefined : log?.byClientId.get(idempotencyKey(senderId, clientMsgId));
    return seq === undefined ? undefined : { message: copyMessage(log!.messages.get(seq)!), duplicate: true };
  }

  append(conversation: Conversation, draft: MessageDraft): AppendResult {
    const log = getOrCreate(this.logs, convKey(conversation), (): Log => ({
      messages: new Map(),
      last: 0,
      first: 1,
      byId: new Map(),
      byClientId: new Map(),
      epoch: '',
    }));
    const seq = ++log.last;
    if (seq === 1) log.epoch = newEpoch();
    const message: Message = { seq, ...copyMessage(draft) };
    log.messages.set(seq, message);
    log.byId.set(message.id, seq);
    if (draft.clientMsgId !== undefined) log.byClientId.set(idempotencyKey(draft.sender.id, draft.clientMsgId), seq);
    return { message: copyMessage(message), duplicate: false };
  }

  async history(conversation: Conversation, page: { beforeSeq?: number; limit: number }): Promise<MessagePage> {
    return this.page(conversation, page);
  }

  async since(conversation: Conversation, since: number, limit: number): Promise<MessagePage> {
    return this.page(conversation, { after: since, limit });
  }

  async findMessage(conversation: Conversation, messageId: string): Promise<Message | null> {
    const m = this.stored(conversation, messageId);
    return m ? copyMessage(m) : null;
  }

  async messageByClientId(conversation: Conversation, senderId: string, clientMsgId: string): Promise<Message | null> {
    const log = this.logs.get(convKey(conversation));
    const seq = log?.byClientId.get(idempotencyKey(senderId, clientMsgId));
    const m = seq === undefined ? undefined : log!.messages.get(seq);
    return m ? copyMessage(m) : null;
  }

  async toggleReaction(conversation: Conversation, messageId: string, emoji: ReactionEmoji, userId: string): Promise<Reactions | null> {
    const m = this.stored(conversation, messageId);
    if (!m || m.deleted) return null;
    const reactions = m.reactions ?? {};
    const users = reactions[emoji] ?? [];
    const next = users.includes(userId) ? users.filter((u) => u !== userId) : [...users, userId];
    if (next.length) reactions[emoji] = next;
    else delete reactions[emoji];
    if (Object.keys(reactions).length) m.reactions = reactions;
    else delete m.reactions;
    return structuredClone(reactions);
  }

  async eraseMessage(conversation: Conversation, messageId: string, opts: { forgetClientMsgId?: boolean } = {}): Promise<Message | null> {
    const m = this.stored(conversation, messageId);
    if (!m) return null;
    if (opts.forgetClientMsgId && m.clientMsgId !== undefined) {
      this.logs.get(convKey(conversation))!.byClientId.delete(idempotencyKey(m.sender.id, m.clientMsgId));
    }
    eraseInPlace(m, opts);
    return copyMessage(m);
  }

  async logEpoch(conversation: Conversation): Promise<string> {
    return this.logs.get(convKey(conversation))?.epoch ?? '';
  }

  async lastSeq(conversation: Conversation): Promise<number> {
    return this.logs.get(convKey(conversation))?.last ?? 0;
  }

  async trimBefore(cutoff: number): Promise<TrimResult> {
    let removed = 0;
    for (const log of this.logs.values()) {
      while (log.first <= log.last) {
        const m = log.messages.get(log.first);
        if (m && m.createdAt >= cutoff) break;
        if (m) {
          log.messages.delete(log.first);
          log.byId.delete(m.id);
          if (m.clientMsgId !== undefined) log.byClientId.delete(idempotencyKey(m.sender.id, m.clientMsgId));
          removed++;
        }
        log.first++;
      }
    }
    return { removed, failed: [] };
  }

  /** The stored message itself (not a copy), for the verbs that change it. */
  private stored(c: Conversation, messageId: string): Message | undefined {
    const log = this.logs.get(convKey(c));
    const seq = log?.byId.get(messageId);
    return seq === undefined ? undefined : log!.messages.get(seq);
  }

  private page(c: Conversation, req: { after?: number; beforeSeq?: number; limit: number }): MessagePage {
    const log = this.logs.get(convKey(c));
    if (!log) return { messages: [], hasMore: false };
    const { from, to, hasMore } = pageWindow(log.first, log.last, req);
    const messages: Message[] = [];
    for (let s = from; s <= to; s++) {
      const m = log.messages.get(s);
      if (m) messages.push(copyMessage(m));
    }
    return { messages, hasMore };
  }
}
