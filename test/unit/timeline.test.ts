// The browser client's timeline (client/src/timeline.ts): what it names on a rejoin, and how it
// starts over when the server lost its log (docs/protocol.md §4 plus Bridge's log epoch).
import { expect } from 'chai';
import type { Message } from '../../shared/index.js';
import { Timeline } from '../../client/src/timeline.js';

const message = (seq: number, id = `m${seq}`): Message => ({
  id,
  seq,
  conversation: { kind: 'group', id: 'g1' },
  sender: { id: 'u1', name: 'Sam', role: 'participant' },
  kind: 'text',
  text: `line ${seq}`,
  createdAt: 1,
});

describe('client timeline', () => {
  it('names nothing when empty, then its highest seq and the epoch it adopted', () => {
    const t = new Timeline();
    expect(t.position()).to.deep.equal({});
    t.adopt({ epoch: 'E1' });
    for (const seq of [1, 3, 2]) t.put(message(seq));
    expect(t.position()).to.deep.equal({ since: 3, epoch: 'E1' });
  });

  it('catches up from before a gap: a message from another node may arrive after a later one', () => {
    const t = new Timeline();
    t.adopt({ epoch: 'E1' });
    for (const seq of [48, 49, 50, 52, 53]) t.put(message(seq));
    expect(t.position()).to.deep.equal({ since: 50, epoch: 'E1' });
    t.put(message(51));
    expect(t.position()).to.deep.equal({ since: 53, epoch: 'E1' });
  });

  it('keeps its messages on a page without resync, and drops them (pending ones stay) on resync', () => {
    const t = new Timeline();
    t.adopt({ epoch: 'E1' });
    t.put(message(1));
    t.pending.set('c9', { clientMsgId: 'c9', text: 'unsent', createdAt: 2, state: 'waiting' });
    expect(t.adopt({ epoch: 'E1' })).to.equal(false);
    expect(t.size).to.equal(1);
    expect(t.adopt({ epoch: 'E2', resync: true })).to.equal(true);
    expect(t.size).to.equal(0);
    expect(t.get('m1')).to.equal(undefined);
    expect([...t.pending.keys()]).to.deep.equal(['c9']);
    expect(t.position()).to.deep.equal({});
  });

  it('calls a different message under a seq it holds a conflict, and stores nothing', () => {
    const t = new Timeline();
    t.put(message(1, 'old'));
    expect(t.put(message(1, 'old'))).to.equal('same');
    expect(t.put(message(1, 'new'))).to.equal('conflict');
    expect(t.get('old')?.text).to.equal('line 1');
    expect(t.get('new')).to.equal(undefined);
  });
});
