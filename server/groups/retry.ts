import type { Conversation, Message } from '../../shared/index.js';
import { AppError } from '../errors.js';
import type { Store } from '../store/store.js';

/**
 * Runs the checks a send must pass. When they refuse (flood limit, mute, closed session, slow
 * mode) but this is a retry of a message that was already stored (its ack got lost), the
 * original is the answer: a resend must never fail for a message that went out.
 */
export async function admitOrOriginal<T>(
  store: Store,
  conversation: Conversation,
  senderId: string,
  clientMsgId: string,
  admit: () => Promise<T>,
): Promise<{ admitted: T } | { original: Message }> {
  try {
    return { admitted: await admit() };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const original = await store.messageByClientId(conversation, senderId, clientMsgId);
    if (original) return { original };
    throw err;
  }
}
