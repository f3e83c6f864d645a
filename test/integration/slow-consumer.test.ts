// A slow consumer (issue 8, "Flood and load"): a member whose connection stops reading while the
// room floods must be disconnected before what waits for it grows the server's memory; members
// who read keep getting everything. The slow one is a WebSocket on a bare TCP socket that joins
// and then pauses, so the kernel buffers fill and the server's writes back up, as with a
// phone that froze with the connection open.
import { expect } from 'chai';
import { MAX_QUEUED_CHARS, MAX_UNSENT_BYTES } from '../../server/realtime/backpressure.js';
import { waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { RawWebSocket } from '../support/raw-ws.js';
import { makeGroup, startServer, type TestServer } from '../support/server.js';

const TEXT = 'a calm and long message for the flood '.repeat(52).slice(0, 2000);
/** Far more than loopback's kernel buffers hold (a few MB each way), so the server must back up. */
const MAX_FLOOD = 30_000;
const BATCH = 50;

describe('slow consumer', function () {
  this.timeout(120_000);
  let srv: TestServer;
  let raw: RawWebSocket | undefined;
  const room = roomClients(() => srv);

  before(async function () {
    srv = await startServer({ env: { RATE_LIMITS: 'send=999999/10', LOG_LEVEL: 'info' } });
  });
  after(async function () {
    raw?.destroy();
    room.closeAll();
    await srv.close();
  });

  it('disconnects a client that stopped reading, within the write-buffer bound, and keeps serving readers', async function () {
    const fac = srv.user('facilitator');
    const slow = srv.user();
    const reader = srv.user();
    const groupId = await makeGroup(srv, fac, [slow, reader]);
    const sender = await room.enter(fac, groupId);
    const fast = await room.enter(reader, groupId);

    raw = await RawWebSocket.open(srv.url);
    await raw.next((t) => t.startsWith('0{'));
    raw.send(`40${JSON.stringify({ token: slow.token })}`);
    await raw.next((t) => t.startsWith('40{'));
    raw.send(`420${JSON.stringify(['group:join', { groupId }])}`);
    expect(JSON.parse((await raw.next((t) => t.startsWith('430'))).slice(3))[0].ok).to.equal(true);
    const serverSocket = [...srv.app.io.of('/').sockets.values()].find((s) => s.data.user.id === slow.id)!;
    let reason: string | undefined;
    serverSocket.on('disconnect', (r) => (reason = r));
    raw.stopReading();

    const rssBefore = process.memoryUsage().rss;
    let sent = 0;
    const started = Date.now();
    while (reason === undefined && sent < MAX_FLOOD) {
      await Promise.all(Array.from({ length: BATCH }, () => room.sent(sender, groupId, TEXT)));
      sent += BATCH;
    }
    const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    expect(reason, `still connected after ${sent} messages`).to.be.a('string');

    const line = srv.logs.find((l) => l.includes('disconnected a client that stopped reading'));
    expect(line, 'the disconnect is logged').to.be.a('string');
    const { queued, unsent, userId } = JSON.parse(line!) as { queued: number; unsent: number; userId: string };
    expect(userId).to.equal(slow.id);
    // Checked as each packet is queued, so at most one packet past either bound.
    expect(queued).to.be.at.most(MAX_QUEUED_CHARS + 4 * TEXT.length);
    expect(unsent).to.be.at.most(MAX_UNSENT_BYTES + 4 * TEXT.length);
    expect(line).to.not.include(TEXT.slice(0, 30));
    console.log(
      `      (cut off after ${sent} messages × ${TEXT.length} chars (${((sent * TEXT.length) / 2 ** 20).toFixed(0)} MB) in ${Date.now() - started} ms: queued ${(queued / 2 ** 20).toFixed(2)} Mi chars, ${(unsent / 2 ** 20).toFixed(2)} MB unsent; test process RSS +${rssGrowthMb.toFixed(0)} MB)`,
    );

    // The member who reads got every message, and the room still works.
    await waitFor(() => fast.messages(groupId).length === sent, `the reader to receive all ${sent} messages`, 30_000);
    expect(fast.socket.connected).to.equal(true);
    await room.sent(sender, groupId, 'still here');
    await waitFor(() => fast.messages(groupId).length === sent + 1, 'one more message');
  });
});
