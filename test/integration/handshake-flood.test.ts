// A connection flood of bad tokens (issue 8, flood and load): every one is refused with
// UNAUTHORIZED in the handshake, before any store work, while a real user connects, joins and
// talks in the middle of it. And the bounds on connections (issue 13, item 8): live sockets per
// user, and how long an Engine.IO session may stay without a namespace.
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import type { Stores } from '../../server/store/ports.js';
import { refused, type TestClient, waitFor } from '../support/client.js';
import { RawWebSocket } from '../support/raw-ws.js';
import { roomClients } from '../support/room.js';
import { makeGroup, observeStore, startServer, type TestServer } from '../support/server.js';

const FLOOD = 300;
/**
 * What the node's own timers ask the store, whoever connects: presence and room-presence
 * refreshes and sweeps, due escalations, session checks and silences, held partner messages,
 * retention and access-log trims. A slow machine runs a few of them during the flood.
 */
const SWEEPS = new Set([
  'refreshConnections',
  'sweepConnections',
  'refreshRoomConnections',
  'sweepRoomConnections',
  'claimDueEscalations',
  'claimDueSessionChecks',
  'claimDueSilences',
  'heldSessions',
  'trimBefore',
  'trimAccessBefore',
]);

describe('a connection flood of bad tokens', function () {
  this.timeout(30_000);
  let srv: TestServer;
  let counting = false;
  const storeCalls: string[] = [];
  const { enter, sent, closeAll } = roomClients(() => srv);
  /** The real store, counting calls while `counting`. */
  const counted = (store: Stores): Stores =>
    observeStore(store, (_args, verb) => {
      if (counting && !SWEEPS.has(String(verb))) storeCalls.push(String(verb));
    });

  before(async () => {
    srv = await startServer({ store: 'redis', wrapStore: counted });
  });
  afterEach(() => closeAll());
  after(() => srv.close());

  it(`refuses ${FLOOD} forged, expired and malformed tokens in the handshake with no store work, while a real user chats`, async () => {
    const fac = srv.user('facilitator');
    const real = srv.user();
    const groupId = await makeGroup(srv, fac, [real]);
    const claims = { sub: real.id, name: real.name, role: 'participant' };
    const bad = [
      () => jwt.sign(claims, 'not-the-secret-but-long-enough-0123456789', { algorithm: 'HS256', expiresIn: 600 }),
      () => jwt.sign(claims, srv.config.jwt.key, { algorithm: 'HS256', expiresIn: -60 }),
      () => `${jwt.sign(claims, srv.config.jwt.key, { algorithm: 'HS256', expiresIn: 600 }).slice(0, -4)}AAAA`,
      () => 'not.a.jwt',
    ];

    const flood = () => Promise.all(Array.from({ length: FLOOD }, (_, i) => refused(srv.url, { token: bad[i % bad.length]!() })));
    const expectAllRefused = (errors: (Error & { data?: any })[]) => {
      expect(errors.map((e) => e.message)).to.deep.equal(Array(FLOOD).fill('UNAUTHORIZED'));
      expect(errors.every((e) => e.data?.code === 'UNAUTHORIZED')).to.equal(true);
    };

    // Alone, counted: a refused handshake costs a signature check and nothing in the store.
    counting = true;
    expectAllRefused(await flood());
    counting = false;
    expect(storeCalls, 'store calls made for refused handshakes').to.deep.equal([]);

    // Again, with the real user connecting, joining and sending in the middle of it.
    const second = flood();
    const c = await enter(real, groupId);
    const message = await sent(c, groupId, 'still here');
    expectAllRefused(await second);
    expect((await c.ok('group:history', { groupId })).messages.map((m) => m.id)).to.deep.equal([message.id]);
  });
});

/** A handshake's outcome: the connected client, or the connect_error. */
type Attempt = { client: TestClient; error?: undefined } | { client?: undefined; error: Error & { data?: any } };

describe('connection bounds', function () {
  this.timeout(20_000);
  let srv: TestServer;
  const { connect, closeAll } = roomClients(() => srv);
  const raws: RawWebSocket[] = [];
  const attempt = (token: string): Promise<Attempt> =>
    connect({ token }).then(
      (client) => ({ client }),
      (error: Error & { data?: any }) => ({ error }),
    );
  const serverSockets = (userId: string) => [...srv.app.io.sockets.sockets.values()].filter((s) => s.data.user.id === userId);

  before(async () => {
    srv = await startServer({ env: { CONNECT_TIMEOUT_MS: '300' } });
  });
  afterEach(() => {
    closeAll();
    for (const r of raws.splice(0)) r.destroy();
  });
  after(() => srv.close());

  it('accepts 20 live sockets of one user and refuses the rest with RATE_LIMITED, even when 30 arrive at once', async () => {
    const u = srv.user();
    const results = await Promise.all(Array.from({ length: 30 }, () => attempt(u.token)));
    const accepted = results.filter((r) => r.client);
    const refusals = results.flatMap((r) => (r.error ? [r.error] : []));
    expect(accepted.length).to.equal(20);
    expect(refusals.map((e) => e.message)).to.deep.equal(Array(10).fill('RATE_LIMITED'));
    for (const e of refusals) {
      expect(e.data?.code).to.equal('RATE_LIMITED');
      expect(e.data?.message).to.match(/at most 20 connections/);
    }
    expect(serverSockets(u.id).length).to.equal(20);
    // Someone else is not affected by it.
    expect((await attempt(srv.user().token)).client).to.not.equal(undefined);
  });

  it('frees the slot when a socket goes, whether the client closes it, the server disconnects it or the TCP connection drops', async () => {
    const u = srv.user();
    const own = (await Promise.all(Array.from({ length: 19 }, () => attempt(u.token)))).map((r) => r.client!);
    expect(own.every(Boolean)).to.equal(true);
    // The 20th over a bare WebSocket, so its TCP connection can be cut without a goodbye.
    const raw = await RawWebSocket.open(srv.url);
    raws.push(raw);
    raw.send(`40${JSON.stringify({ token: u.token })}`);
    await raw.next((t) => t.startsWith('40{'));
    expect((await attempt(u.token)).error?.message).to.equal('RATE_LIMITED');

    const freed = async (how: () => void) => {
      const before = serverSockets(u.id).length;
      how();
      await waitFor(() => serverSockets(u.id).length === before - 1, 'the server to drop the socket');
      const again = await attempt(u.token);
      expect(again.client, again.error?.message).to.not.equal(undefined);
      expect((await attempt(u.token)).error?.message, 'one slot freed, not two').to.equal('RATE_LIMITED');
    };
    await freed(() => own[0]!.close());
    await freed(() => serverSockets(u.id)[0]!.disconnect(true));
    await freed(() => raw.destroy());
  });

  it('closes an Engine.IO session that has not connected a namespace within CONNECT_TIMEOUT_MS, over WebSocket and polling', async () => {
    const raw = await RawWebSocket.open(srv.url);
    raws.push(raw);
    await raw.closed(3000);

    const open = await fetch(`${srv.url}/socket.io/?EIO=4&transport=polling`);
    const { sid } = JSON.parse((await open.text()).slice(1)) as { sid: string };
    const poll = await fetch(`${srv.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { signal: AbortSignal.timeout(3000) });
    expect(await poll.text(), 'the pending poll gets the close packet').to.equal('1');
    expect((await fetch(`${srv.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`)).status, 'the session is gone').to.equal(400);
  });

  it('closes the session of a refused handshake too, and keeps an authenticated socket past the timeout', async () => {
    const raw = await RawWebSocket.open(srv.url);
    raws.push(raw);
    raw.send(`40${JSON.stringify({ token: 'not.a.jwt' })}`);
    expect(await raw.next((t) => t.startsWith('44'))).to.include('UNAUTHORIZED');
    await raw.closed(3000);

    const c = (await attempt(srv.user().token)).client!;
    await new Promise((r) => setTimeout(r, 600));
    expect(c.socket.connected).to.equal(true);
  });
});
