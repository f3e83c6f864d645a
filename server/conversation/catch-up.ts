import type { Conversation, MessagePage } from '../../shared/index.js';
import type { Store } from '../store/store.js';

/** Messages a join or open returns without `since` (§5), and at most with it (§4). */
export const JOIN_PAGE = 50;
export const CATCH_UP_LIMIT = 500;

export type CatchUp = MessagePage & { epoch: string; resync?: true };

/**
 * What a join (group) or open (partnership) shows: the newest page, or everything after `since`,
 * never anything before `from` (the first seq the reader may see; see visibleFrom).
 * A `since` is a position in one epoch of the log; when the client names an older epoch, the
 * store lost the log and seq started over, so its position means nothing now: it gets the newest
 * page and `resync`, and must drop what it holds, instead of waiting for a seq already used.
 */
export async function catchUp(store: Store, c: Conversation, since?: number, epoch?: string, from = 1): Promise<CatchUp> {
  const [page, current] = await Promise.all([
    since === undefined ? store.history(c, { limit: JOIN_PAGE }) : store.since(c, Math.max(since, from - 1), CATCH_UP_LIMIT),
    store.logEpoch(c),
  ]);
  if (since !== undefined && (!epoch || epoch === current)) return { ...page, epoch: current };
  if (since === undefined) return { ...visible(page, from), epoch: current };
  return { ...visible(await store.history(c, { limit: JOIN_PAGE }), from), epoch: current, resync: true };
}

/** A page of older messages (history) without those before `from`, the first seq the reader may see. */
export function visible(page: MessagePage, from: number): MessagePage {
  if (from <= 1) return page;
  const oldest = page.messages[0]?.seq;
  return { messages: page.messages.filter((m) => m.seq >= from), hasMore: page.hasMore && oldest !== undefined && oldest > from };
}
