import type { Conversation, Message } from '../../shared/index.js';
import { AppError } from '../errors.js';
import type { AppendResult } from '../store/store.js';
import type { Stores } from '../store/ports.js';

/**
 * Runs the checks a send must pass. When they refuse (flood limit, mute, closed session, slow
 * mode) but this is a retry of a message that was already stored (its ack got lost), the
 * original is the answer: a resend must never fail for a message that went out.
 */
export async function admitOrOriginal<T>(
  store: Pick<Stores, 'log'>,
  conversation: Conversation,
  senderId: string,
  clientMsgId: string,
  admit: () => Promise<T>,
): Promise<{ admitted: T } | { original: Message }> {
  try {
    return { admitted: await admit() };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const original = await store.log.messageByClientId(conversation, senderId, clientMsgId);
    if (original) return { original };
    throw err;
  }
}

/** How long, and how many, failed writes a node remembers; a resend comes within seconds. */
const UNSETTLED_TTL_MS = 10 * 60_000;
const UNSETTLED_MAX = 10_000;

/**
 * Sends whose store write failed on this node. Redis may have stored such a message and only
 * the reply was lost (a stall, a timeout), and then nobody got it live and the safety check never
 * ran. When the sender's resend finds it stored, it is published then, once. Kept per node: a
 * client resends on the connection it has; when the node died, its clients catch up from the log.
 */
export class UnsettledSends {
  /** key → when the write failed; Map order is insertion order, oldest first. */
  private readonly failed = new Map<string, number>();

  /**
   * Runs a send's write; a store failure marks the send unsettled and rethrows (a refusal does
   * not: nothing was written). `publish` says whether the message still has to go out: it is
   * new, or its first write failed here; `announced`, that the store already published it to
   * the other nodes (AppendResult.announced).
   */
  async write(
    c: Conversation,
    senderId: string,
    clientMsgId: string | undefined,
    write: () => Promise<AppendResult>,
  ): Promise<{ message: Message; publish: boolean; announced: boolean }> {
    const key = keyOf(c, senderId, clientMsgId);
    try {
      const { message, duplicate, announced = false } = await write();
      return { message, publish: this.settle(key) || !duplicate, announced };
    } catch (err) {
      if (!(err instanceof AppError)) this.remember(key);
      throw err;
    }
  }

  /** True once for an original found by a resend whose first write failed on this node. */
  settleOriginal(c: Conversation, message: Message): boolean {
    return this.settle(keyOf(c, message.sender.id, message.clientMsgId));
  }

  private settle(key: string | undefined): boolean {
    if (key === undefined) return false;
    const at = this.failed.get(key);
    this.failed.delete(key);
    return at !== undefined && Date.now() - at < UNSETTLED_TTL_MS;
  }

  private remember(key: string | undefined): void {
    if (key === undefined) return;
    this.failed.delete(key);
    this.failed.set(key, Date.now());
    if (this.failed.size > UNSETTLED_MAX) this.failed.delete(this.failed.keys().next().value!);
  }
}

function keyOf(c: Conversation, senderId: string, clientMsgId: string | undefined): string | undefined {
  return clientMsgId === undefined ? undefined : `${c.kind}\n${c.id}\n${senderId}\n${clientMsgId}`;
}
