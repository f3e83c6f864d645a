// A connection flood of bad tokens (issue 8, flood and load): every one is refused with
// UNAUTHORIZED in the handshake, before any store work, while a real user connects, joins and
// talks in the middle of it.
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import type { Store } from '../../server/store/store.js';
import { refused, roomClients } from '../support/client.js';
import { makeGroup, startServer, type TestServer } from '../support/server.js';

const FLOOD = 300;

describe('a connection flood of bad tokens', function () {
  this.timeout(30_000);
  let srv: TestServer;
  let counting = false;
  let storeCalls = 0;
  const { enter, sent, closeAll } = roomClients(() => srv.url);
  /** The real store, counting calls while `counting`. */
  const counted = (store: Store): Store =>
    new Proxy(store, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (counting) storeCalls++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
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
    expect(storeCalls, 'store calls made for refused handshakes').to.equal(0);

    // Again, with the real user connecting, joining and sending in the middle of it.
    const second = flood();
    const c = await enter(real, groupId);
    const message = await sent(c, groupId, 'still here');
    expectAllRefused(await second);
    expect((await c.ok('group:history', { groupId })).messages.map((m) => m.id)).to.deep.equal([message.id]);
  });
});
