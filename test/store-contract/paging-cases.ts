// The paging window's case list: history and since over a log of N messages whose oldest T were
// removed by retention (so the log starts at seq T + 1). The memory log pages with pageWindow() in
// store.ts, the Redis log with its Lua twin PAGE in redis/log-scripts.ts; this one list, with the expected
// seqs written out, runs against both. Run by the log port's contract (log-contract.ts).
import { expect } from 'chai';
import type { Conversation } from '../../shared/index.js';
import type { Stores } from '../../server/store/ports.js';
import { draft, range, uid, user } from './fixtures.js';

type Page = { beforeSeq?: number; after?: number; limit: number };
type Case = { log: number; trimmed: number; page: Page; seqs: number[]; hasMore: boolean };

const CASES: Case[] = [
  { log: 0, trimmed: 0, page: { limit: 3 }, seqs: [], hasMore: false },
  { log: 0, trimmed: 0, page: { after: 0, limit: 3 }, seqs: [], hasMore: false },
  { log: 5, trimmed: 0, page: { limit: 2 }, seqs: [4, 5], hasMore: true },
  { log: 5, trimmed: 0, page: { limit: 5 }, seqs: [1, 2, 3, 4, 5], hasMore: false },
  { log: 5, trimmed: 0, page: { limit: 9 }, seqs: [1, 2, 3, 4, 5], hasMore: false },
  { log: 5, trimmed: 0, page: { beforeSeq: 4, limit: 2 }, seqs: [2, 3], hasMore: true },
  { log: 5, trimmed: 0, page: { beforeSeq: 3, limit: 2 }, seqs: [1, 2], hasMore: false },
  { log: 5, trimmed: 0, page: { beforeSeq: 1, limit: 2 }, seqs: [], hasMore: false },
  { log: 5, trimmed: 0, page: { beforeSeq: 99, limit: 2 }, seqs: [4, 5], hasMore: true },
  { log: 5, trimmed: 0, page: { after: 0, limit: 2 }, seqs: [1, 2], hasMore: true },
  { log: 5, trimmed: 0, page: { after: 3, limit: 2 }, seqs: [4, 5], hasMore: false },
  { log: 5, trimmed: 0, page: { after: 5, limit: 2 }, seqs: [], hasMore: false },
  { log: 5, trimmed: 0, page: { after: 9, limit: 2 }, seqs: [], hasMore: false },
  { log: 6, trimmed: 3, page: { limit: 3 }, seqs: [4, 5, 6], hasMore: false },
  { log: 6, trimmed: 3, page: { limit: 2 }, seqs: [5, 6], hasMore: true },
  { log: 6, trimmed: 3, page: { beforeSeq: 5, limit: 5 }, seqs: [4], hasMore: false },
  { log: 6, trimmed: 3, page: { beforeSeq: 3, limit: 5 }, seqs: [], hasMore: false },
  { log: 6, trimmed: 3, page: { after: 0, limit: 2 }, seqs: [4, 5], hasMore: true },
  { log: 6, trimmed: 3, page: { after: 1, limit: 3 }, seqs: [4, 5, 6], hasMore: false },
  { log: 6, trimmed: 3, page: { after: 5, limit: 9 }, seqs: [6], hasMore: false },
];

const DAY = 86_400_000;

export function describePagingCases(getStore: () => Stores): void {
  let store: Stores;

  before(function () {
    store = getStore();
  });

  for (const c of CASES) {
    const how = c.page.after !== undefined ? `since ${c.page.after}` : `history before ${c.page.beforeSeq ?? 'the end'}`;
    it(`${how}, limit ${c.page.limit}, over ${c.log} messages of which ${c.trimmed} trimmed → [${c.seqs.join(', ')}], hasMore ${c.hasMore}`, async function () {
      const conv: Conversation = { kind: 'group', id: uid('g') };
      const sender = user();
      // Retention trims the groups the store knows.
      await store.groups.createGroup(
        { id: conv.id, name: 'Evening IOP', createdAt: Date.now(), createdBy: sender.id },
        { userId: sender.id, role: 'facilitator', name: 'Sam' },
      );
      for (const seq of range(1, c.log))
        await store.log.appendMessage(conv, draft(conv, sender, { createdAt: seq <= c.trimmed ? Date.now() - 10 * DAY : Date.now() }));
      if (c.trimmed) await store.log.trimBefore(Date.now() - DAY);
      const page =
        c.page.after !== undefined ? await store.log.since(conv, c.page.after, c.page.limit) : await store.log.history(conv, c.page);
      expect({ seqs: page.messages.map((m) => m.seq), hasMore: page.hasMore }).to.deep.equal({ seqs: c.seqs, hasMore: c.hasMore });
    });
  }
}
