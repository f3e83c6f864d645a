import { expect } from 'chai';
import { AppError } from '../../server/errors.js';
import { JoinQueue } from '../../server/groups/join-queue.js';

/** Joins that record when they start: `quick` ones end at once, `held` ones when `release()` is called. */
function joins() {
  const started: string[] = [];
  const releases: (() => void)[] = [];
  return {
    started,
    quick: (name: string) => async () => {
      started.push(name);
    },
    held: (name: string) => () =>
      new Promise<void>((resolve) => {
        started.push(name);
        releases.push(resolve);
      }),
    release: () => releases.splice(0).forEach((r) => r()),
  };
}

async function expectRateLimited(p: Promise<unknown>): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).to.be.instanceOf(AppError);
  expect((err as AppError).code).to.equal('RATE_LIMITED');
  expect((err as AppError).extra.retryAfterMs).to.be.within(1000, 1999);
}

describe('join queue', () => {
  it('starts waiting joins one user at a time in turn: a user who queued many waits behind one join of each other user', async () => {
    const q = new JoinQueue(1, 10, 100);
    const j = joins();
    const runs = [
      q.run('h', j.held('h1')),
      ...['a1', 'a2', 'a3', 'a4'].map((n) => q.run('a', j.quick(n))),
      q.run('b', j.quick('b1')),
      q.run('c', j.quick('c1')),
      q.run('b', j.quick('b2')),
    ];
    j.release();
    await Promise.all(runs);
    expect(j.started).to.deep.equal(['h1', 'a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4']);
  });

  it("refuses a user's join at once when they already have their budget waiting or running, however free the node is", async () => {
    const q = new JoinQueue(4, 2, 100);
    const j = joins();
    const running = [q.run('a', j.held('a1')), q.run('a', j.held('a2'))];
    await expectRateLimited(q.run('a', j.quick('a3')));
    await q.run('b', j.quick('b1'));
    j.release();
    await Promise.all(running);
    await q.run('a', j.quick('a4'));
    expect(j.started).to.deep.equal(['a1', 'a2', 'b1', 'a4']);
  });

  it('refuses a join at once when the bound of waiting joins is reached, and takes joins again once the queue moves', async () => {
    const q = new JoinQueue(1, 10, 2);
    const j = joins();
    const runs = [q.run('u0', j.held('u0')), q.run('u1', j.quick('u1')), q.run('u2', j.quick('u2'))];
    await expectRateLimited(q.run('u3', j.quick('u3 refused')));
    j.release();
    await Promise.all(runs);
    await q.run('u3', j.quick('u3 later'));
    expect(j.started).to.deep.equal(['u0', 'u1', 'u2', 'u3 later']);
  });
});
