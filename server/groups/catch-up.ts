import type { Conversation, MessagePage } from '../../shared/index.js';
import type { Store } from '../store/store.js';

/** Messages a join or open returns without `since` (§5), and at most with it (§4). */
export const JOIN_PAGE = 50;
export const CATCH_UP_LIMIT = 500;

export type CatchUp = MessagePage & { epoch: string; resync?: true };

/**
 * What a join (group) or open (partnership) shows: the newest page, or everything after `since`.
 * A `since` is a position in one epoch of the log; when the client names an older epoch, the
 * store lost the log and seq started over, so its position means nothing now: it gets the newest
 * page and `resync`, and must drop what it holds, instead of waiting for a seq already used.
 */
export async function catchUp(store: Store, c: Conversation, since?: number, epoch?: string): Promise<CatchUp> {
  const [page, current] = await Promise.all([
    since === undefined ? store.history(c, { limit: JOIN_PAGE }) : store.since(c, since, CATCH_UP_LIMIT),
    store.logEpoch(c),
  ]);
  if (since === undefined || !epoch || epoch === current) return { ...page, epoch: current };
  return { ...(await store.history(c, { limit: JOIN_PAGE })), epoch: current, resync: true };
}
