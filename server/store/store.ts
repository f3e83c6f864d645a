import type {
  Conversation, Enrolment, Group, GroupState, Message, MessagePage, ReactionEmoji, Reactions,
} from '../../shared/index.js';

/** A message as the service builds it; the store assigns `seq`. */
export type MessageDraft = Omit<Message, 'seq'>;

export type AppendResult = {
  message: Message;
  /** true when the sender already sent this clientMsgId here: `message` is the original */
  duplicate: boolean;
};

/** A live connection of a user, as presence counts them. */
export type Connection = { userId: string; connId: string };

/**
 * The seam between the rules (services) and storage. Everything two nodes must agree on lives
 * behind it. `MemoryStore` is the embedded default, `RedisStore` production; one contract suite
 * (test/store-contract) runs against both.
 *
 * @example
 *   const { message, duplicate } = await store.appendMessage({ kind: 'group', id: gid }, draft);
 *   const page = await store.history({ kind: 'group', id: gid }, { limit: 50 });
 */
export interface Store {
  readonly kind: 'memory' | 'redis';

  // Groups and enrolment.
  createGroup(group: Group, creator: Enrolment): Promise<void>;
  getGroup(groupId: string): Promise<Group | null>;
  getGroups(groupIds: string[]): Promise<Group[]>;
  /** Every group, oldest first (admins). */
  allGroups(): Promise<Group[]>;
  /** Ids of the groups a user is enrolled in. */
  groupIdsOf(userId: string): Promise<string[]>;
  /** Adds or updates an enrolment. */
  enrol(groupId: string, enrolment: Enrolment): Promise<void>;
  /** Removes an enrolment; false when there was none. */
  unenrol(groupId: string, userId: string): Promise<boolean>;
  enrolment(groupId: string, userId: string): Promise<Enrolment | null>;
  members(groupId: string): Promise<Enrolment[]>;

  // Message logs, one per conversation, with a gap-free seq.
  /**
   * Appends atomically (seq, log and idempotency key together). When `draft.clientMsgId` was
   * already used by the same sender in this conversation, nothing is written and the original
   * message is returned with `duplicate: true`.
   */
  appendMessage(conversation: Conversation, draft: MessageDraft): Promise<AppendResult>;
  /** The `limit` newest messages before `beforeSeq` (default: the newest), oldest first. */
  history(conversation: Conversation, page: { beforeSeq?: number; limit: number }): Promise<MessagePage>;
  /** Up to `limit` messages after `since`, oldest first; `hasMore` when more follow. */
  since(conversation: Conversation, since: number, limit: number): Promise<MessagePage>;
  findMessage(conversation: Conversation, messageId: string): Promise<Message | null>;
  /** Adds or removes the user's reaction; null when the message does not exist or is deleted. */
  toggleReaction(conversation: Conversation, messageId: string, emoji: ReactionEmoji, userId: string): Promise<Reactions | null>;

  // Live room state.
  roomState(groupId: string): Promise<GroupState>;
  /** Raises (joining the end of the queue) or lowers a hand; false when nothing changed. */
  setHand(groupId: string, userId: string, raised: boolean): Promise<boolean>;

  // Presence: per connection, with an expiry the owning node refreshes.
  /** Records a connection; true when the user was offline before it. */
  connectionUp(conn: Connection, ttlMs: number): Promise<boolean>;
  /** Forgets a connection; true when the user has no live connection left. */
  connectionDown(conn: Connection): Promise<boolean>;
  /** Extends the expiry of this node's live connections. */
  refreshConnections(conns: Connection[], ttlMs: number): Promise<void>;
  /** Which of these users have a live connection. */
  onlineUsers(userIds: string[]): Promise<Set<string>>;

  /** Resolves when the store answers (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_ROOM_STATE: Readonly<Omit<GroupState, 'handQueue'>> = Object.freeze({
  locked: false,
  slowModeSec: 0,
  sessionOpen: true,
  pinnedMessageId: null,
});

/** Key of a user's idempotency record in a conversation. */
export function idempotencyKey(senderId: string, clientMsgId: string): string {
  return `${senderId}\n${clientMsgId}`;
}

/**
 * The seq window of a page, shared by both stores so their paging cannot drift.
 * `first` is the oldest seq still kept, `last` the newest (0 when empty).
 */
export function pageWindow(first: number, last: number, req: { after?: number; beforeSeq?: number; limit: number }) {
  if (req.after !== undefined) {
    const from = Math.max(req.after + 1, first);
    const to = Math.min(last, from + req.limit - 1);
    return { from, to, hasMore: to < last };
  }
  const to = Math.min((req.beforeSeq ?? last + 1) - 1, last);
  const from = Math.max(first, to - req.limit + 1);
  return { from, to, hasMore: from > first };
}
