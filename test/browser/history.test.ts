import { expect } from 'chai';
import { roomClients } from '../support/room.js';
import { makeGroup } from '../support/server.js';
import { browserSuite } from './browser.js';

describe('browser: scrolling back through history', function () {
  const suite = browserSuite(this, { server: { env: { RATE_LIMITS: 'send=1000/10' } } });
  const { connect, closeAll } = roomClients(() => suite.srv);

  after(async () => {
    closeAll();
  });

  it('shows the last 50, loads older ones when scrolled to the top, and keeps every message once', async () => {
    const fac = suite.srv.user('facilitator', 'Fran');
    const groupId = await makeGroup(suite.srv, fac);
    const client = await connect(fac);
    for (let i = 1; i <= 120; i++) await client.ok('group:send', { groupId, text: `message number ${i}`, clientMsgId: `m${i}` });
    const tab = await suite.open(fac.token, { route: { to: 'group', groupId } });
    const { page } = tab;
    const seqs = () => page.locator('.messages .msg').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.seq)));
    await page.locator('.msg[data-seq="120"]').waitFor();
    expect(await seqs()).to.deep.equal(Array.from({ length: 50 }, (_, i) => 71 + i));

    // Scrolling to the top loads the page before, and what was on screen stays where it was.
    const scroller = page.locator('.scroller');
    for (const [oldest, wasTop] of [
      [21, 71],
      [1, 21],
    ] as const) {
      const anchor = page.locator(`.msg[data-seq="${wasTop}"]`);
      await scroller.evaluate((el) => (el.scrollTop = 0));
      await page.locator(`.msg[data-seq="${oldest}"]`).waitFor();
      const [box, view] = [await anchor.boundingBox(), await scroller.boundingBox()];
      expect(box!.y, 'the message that was at the top is still in view').to.be.within(view!.y - 1, view!.y + view!.height);
    }
    expect(await seqs()).to.deep.equal(Array.from({ length: 120 }, (_, i) => i + 1));
    await page.getByRole('button', { name: 'Load earlier messages' }).waitFor({ state: 'hidden' });
    expect(tab.errors).to.deep.equal([]);
  });
});
