import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { io } from 'socket.io-client';
import { http, makeGroup, randomId, startServer, type TestServer, type TestUser } from '../support/server.js';
import { refused, type TestClient, waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';

const nowSec = () => Math.floor(Date.now() / 1000);
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** header.payload.signature built by hand, for tokens jsonwebtoken refuses to make. */
function handBuilt(header: object, payload: object, sign: (input: string) => string = () => ''): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign(input)}`;
}

type Claims = Record<string, unknown>;
const validClaims = (over: Claims = {}): Claims => ({
  sub: randomId('p'),
  name: 'River',
  role: 'participant',
  exp: nowSec() + 3600,
  ...over,
});
const without = (claims: Claims, key: string): Claims => Object.fromEntries(Object.entries(claims).filter(([k]) => k !== key));
const hs256 = (srv: TestServer, claims: Claims) => jwt.sign(claims, srv.config.jwt.key, { algorithm: 'HS256' });

/** Every token the node must refuse, as a function of the node (it knows the right secret). */
const BAD_TOKENS: { what: string; token: (srv: TestServer) => unknown; http?: false }[] = [
  { what: 'an empty token', token: () => '' },
  { what: 'a token that is a number', token: () => 12345, http: false },
  { what: 'a token that is an object', token: () => ({ jwt: 'a.b.c' }), http: false },
  { what: 'a malformed token', token: () => 'a.b.c' },
  {
    what: 'a token signed with another secret',
    token: () => jwt.sign(validClaims(), randomBytes(32).toString('hex'), { algorithm: 'HS256' }),
  },
  { what: 'an unsigned alg none token', token: () => handBuilt({ alg: 'none', typ: 'JWT' }, validClaims()) },
  {
    what: 'an HS512 token signed with the right secret',
    token: (srv) => jwt.sign(validClaims(), srv.config.jwt.key, { algorithm: 'HS512' }),
  },
  { what: 'a token that expired a minute ago', token: (srv) => hs256(srv, validClaims({ exp: nowSec() - 60 })) },
  { what: 'a token that is not valid for another ten minutes', token: (srv) => hs256(srv, validClaims({ nbf: nowSec() + 600 })) },
  { what: 'a token without exp', token: (srv) => hs256(srv, without(validClaims(), 'exp')) },
  { what: 'a token that lives until the year 9999', token: (srv) => hs256(srv, validClaims({ exp: 253402300799 })) },
  {
    what: 'a token issued now that lives 24 h and a minute',
    token: (srv) => hs256(srv, validClaims({ iat: nowSec(), exp: nowSec() + 86_460 })),
  },
  {
    what: 'a token without iat that expires in 25 hours',
    token: (srv) => jwt.sign(validClaims({ exp: nowSec() + 25 * 3600 }), srv.config.jwt.key, { algorithm: 'HS256', noTimestamp: true }),
  },
  {
    what: 'a token whose iat is put in the future to hide a long life',
    token: (srv) => hs256(srv, validClaims({ iat: nowSec() + 30 * 86_400, exp: nowSec() + 30 * 86_400 + 3600 })),
  },
  {
    what: 'a token whose iat is not a number',
    token: (srv) =>
      handBuilt({ alg: 'HS256', typ: 'JWT' }, validClaims({ iat: 'yesterday' }), (input) =>
        createHmac('sha256', srv.config.jwt.key).update(input).digest('base64url'),
      ),
  },
  { what: 'a token whose sub is not a user id', token: (srv) => hs256(srv, validClaims({ sub: 'has space/../x' })) },
  { what: 'a token with an unknown role', token: (srv) => hs256(srv, validClaims({ role: 'superuser' })) },
  { what: 'a token without a name', token: (srv) => hs256(srv, without(validClaims(), 'name')) },
  {
    what: 'a token whose name is only zero-width characters',
    token: (srv) => hs256(srv, validClaims({ name: '\u200B\u200C\u200D\u2060\uFEFF' })),
  },
];

async function expectRefused(url: string, auth: unknown): Promise<void> {
  const err = await refused(url, auth);
  expect(err.message).to.equal('UNAUTHORIZED');
  expect(err.data?.code).to.equal('UNAUTHORIZED');
}

async function expectAccepted(connecting: Promise<TestClient>): Promise<TestClient> {
  const c = await connecting;
  expect(c.socket.connected).to.equal(true);
  return c;
}

async function expectHttp401(srv: TestServer, authorization: string | undefined): Promise<void> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  const res = await fetch(`${srv.url}/api/groups`, { headers });
  expect(res.status).to.equal(401);
  expect(res.headers.get('content-type')).to.match(/^application\/json/);
  const body = (await res.json()) as { ok: unknown; error: { code: unknown; message: unknown } };
  expect(body.ok).to.equal(false);
  expect(body.error.code).to.equal('UNAUTHORIZED');
  expect(body.error.message).to.be.a('string').and.not.equal('');
  expect(Object.keys(body.error)).to.have.members(['code', 'message']);
}

describe('authentication', () => {
  const { connect, enter, closeAll } = roomClients();
  afterEach(() => closeAll());

  describe('the Socket.IO handshake with the default HS256 secret', () => {
    let srv: TestServer;
    before(async () => {
      srv = await startServer();
    });
    after(async () => {
      await srv.close();
    });

    it('accepts a valid token in the auth object', async () => {
      await expectAccepted(connect(srv.user(), srv));
    });

    it('keeps what the token said on the node, never the token itself', async () => {
      const user = srv.user();
      await connect(user, srv);
      const [socket] = [...srv.app.io.sockets.sockets.values()].filter((s) => s.data.user.id === user.id);
      expect(socket!.data.user).to.include({ id: user.id, name: user.name });
      expect(socket!.handshake.auth).not.to.have.property('token');
      expect(JSON.stringify(socket!.handshake)).not.to.include(user.token);
    });

    it('accepts a valid token over the polling transport too', async () => {
      const c = await connect(srv.user(), srv, { transports: ['polling'] });
      expect(c.socket.connected).to.equal(true);
    });

    it('refuses a handshake without an auth object', async () => {
      await expectRefused(srv.url, undefined);
    });

    it('refuses a handshake whose auth object has no token', async () => {
      await expectRefused(srv.url, { jwt: srv.user().token });
    });

    for (const c of BAD_TOKENS) {
      it(`refuses ${c.what}`, async () => {
        await expectRefused(srv.url, { token: c.token(srv) });
      });
    }

    it('refuses a bad token over the polling transport too', async () => {
      const err = await refused(srv.url, { token: 'a.b.c' }, { transports: ['polling'] });
      expect(err.message).to.equal('UNAUTHORIZED');
      expect(err.data?.code).to.equal('UNAUTHORIZED');
    });

    it('refuses a valid token passed only in the query string', async () => {
      const token = srv.user().token;
      const socket = io(srv.url, { query: { token }, transports: ['websocket'], forceNew: true, reconnection: false, timeout: 5000 });
      try {
        const err = await new Promise<Error & { data?: any }>((resolve, reject) => {
          socket.once('connect', () => reject(new Error('connection was accepted')));
          socket.once('connect_error', resolve);
        });
        expect(err.message).to.equal('UNAUTHORIZED');
        expect(err.data?.code).to.equal('UNAUTHORIZED');
      } finally {
        socket.close();
      }
    });
  });

  describe('the HTTP API with the default HS256 secret', () => {
    let srv: TestServer;
    before(async () => {
      srv = await startServer();
    });
    after(async () => {
      await srv.close();
    });

    it('answers a valid bearer token', async () => {
      const res = await http(srv.url, 'GET', '/api/groups', { token: srv.user().token });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ ok: true, data: { groups: [] } });
    });

    it('takes the scheme in any case (bearer, BEARER, BeArEr), as HTTP auth schemes are case-insensitive', async () => {
      const token = srv.user().token;
      for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
        const res = await fetch(`${srv.url}/api/groups`, { headers: { authorization: `${scheme} ${token}` } });
        expect(res.status, scheme).to.equal(200);
      }
    });

    it('answers 401 UNAUTHORIZED without an Authorization header', async () => {
      await expectHttp401(srv, undefined);
    });

    it('answers 401 UNAUTHORIZED to a Basic Authorization header', async () => {
      await expectHttp401(srv, `Basic ${Buffer.from('user:pass').toString('base64')}`);
    });

    it('answers 401 UNAUTHORIZED to a bearer header without a token', async () => {
      await expectHttp401(srv, 'Bearer ');
    });

    for (const c of BAD_TOKENS.filter((t) => t.http !== false)) {
      it(`answers 401 UNAUTHORIZED to ${c.what}`, async () => {
        await expectHttp401(srv, `Bearer ${String(c.token(srv))}`);
      });
    }
  });

  describe('with JWT_ISSUER and JWT_AUDIENCE configured', () => {
    const ISSUER = 'https://idp.example.org';
    const AUDIENCE = 'bridge-test';
    let srv: TestServer;
    before(async () => {
      srv = await startServer({ env: { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE } });
    });
    after(async () => {
      await srv.close();
    });

    const signed = (claims: Claims) => hs256(srv, claims);

    it('accepts a token with the configured iss and aud', async () => {
      const token = signed(validClaims({ iss: ISSUER, aud: AUDIENCE }));
      await expectAccepted(connect({ token }, srv));
      expect((await http(srv.url, 'GET', '/api/groups', { token })).status).to.equal(200);
    });

    const cases: [string, Claims][] = [
      ['another issuer', { iss: 'https://evil.example.org', aud: AUDIENCE }],
      ['no issuer', { aud: AUDIENCE }],
      ['another audience', { iss: ISSUER, aud: 'other-app' }],
      ['no audience', { iss: ISSUER }],
    ];
    for (const [what, extra] of cases) {
      it(`refuses a token with ${what} on the socket and over HTTP`, async () => {
        const token = signed(validClaims(extra));
        await expectRefused(srv.url, { token });
        await expectHttp401(srv, `Bearer ${token}`);
      });
    }
  });

  describe('with an RS256 public key configured', () => {
    let srv: TestServer;
    let privateKey: string;
    let publicKey: string;
    before(async () => {
      ({ privateKey, publicKey } = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      }));
      srv = await startServer({ env: { JWT_SECRET: '', JWT_PUBLIC_KEY: publicKey } });
      expect(srv.config.jwt.algorithms).to.deep.equal(['RS256']);
    });
    after(async () => {
      await srv.close();
    });

    it('accepts an RS256 token signed with the matching private key', async () => {
      const token = jwt.sign(validClaims(), privateKey, { algorithm: 'RS256' });
      await expectAccepted(connect({ token }, srv));
      expect((await http(srv.url, 'GET', '/api/groups', { token })).status).to.equal(200);
    });

    it('refuses an RS256 token signed with another private key', async () => {
      const other = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      });
      const token = jwt.sign(validClaims(), other.privateKey, { algorithm: 'RS256' });
      await expectRefused(srv.url, { token });
      await expectHttp401(srv, `Bearer ${token}`);
    });

    it('refuses an HS256 token that uses the public key PEM as its HMAC secret', async () => {
      const token = handBuilt({ alg: 'HS256', typ: 'JWT' }, validClaims(), (input) =>
        createHmac('sha256', publicKey).update(input).digest('base64url'),
      );
      await expectRefused(srv.url, { token });
      await expectHttp401(srv, `Bearer ${token}`);
    });
  });

  describe('clock skew with the default JWT_CLOCK_TOLERANCE_SEC', () => {
    let srv: TestServer;
    before(async () => {
      srv = await startServer();
      expect(srv.config.jwt.clockToleranceSec).to.equal(5);
    });
    after(async () => {
      await srv.close();
    });

    it('accepts a token that expired two seconds ago', async () => {
      await expectAccepted(connect({ token: hs256(srv, validClaims({ exp: nowSec() - 2 })) }, srv));
    });

    it('refuses a token that expired sixty seconds ago', async () => {
      await expectRefused(srv.url, { token: hs256(srv, validClaims({ exp: nowSec() - 60 })) });
    });
  });

  describe('token lifetime (JWT_MAX_LIFETIME_SEC)', () => {
    let srv: TestServer;
    let short: TestServer;
    before(async () => {
      srv = await startServer();
      expect(srv.config.jwt.maxLifetimeSec).to.equal(86_400);
      short = await startServer({ env: { JWT_MAX_LIFETIME_SEC: '600' } });
    });
    after(async () => {
      await srv.close();
      await short.close();
    });

    const both = async (server: TestServer, token: string) => {
      await expectAccepted(connect({ token }, server));
      expect((await http(server.url, 'GET', '/api/groups', { token })).status).to.equal(200);
    };

    it('accepts a token of exactly 24 h by default, issued now or an hour ago, and one without iat that ends within 24 h', async () => {
      await both(srv, hs256(srv, validClaims({ iat: nowSec(), exp: nowSec() + 86_400 })));
      await both(srv, hs256(srv, validClaims({ iat: nowSec() - 3600, exp: nowSec() + 82_800 })));
      await both(srv, jwt.sign(validClaims({ exp: nowSec() + 23 * 3600 }), srv.config.jwt.key, { algorithm: 'HS256', noTimestamp: true }));
    });

    it('accepts an iat a few seconds ahead of this clock (skew within JWT_CLOCK_TOLERANCE_SEC)', async () => {
      await both(srv, hs256(srv, validClaims({ iat: nowSec() + 3, exp: nowSec() + 3 + 86_400 })));
    });

    it('takes the configured maximum: 600 s accepted, 601 s refused, on the socket and over HTTP', async () => {
      await both(short, hs256(short, validClaims({ iat: nowSec(), exp: nowSec() + 600 })));
      const long = hs256(short, validClaims({ iat: nowSec(), exp: nowSec() + 601 }));
      await expectRefused(short.url, { token: long });
      await expectHttp401(short, `Bearer ${long}`);
    });

    it('signs demo tokens that a node with a lower maximum accepts', async () => {
      const demo = await startServer({ env: { JWT_SECRET: '', JWT_MAX_LIFETIME_SEC: '3600' } });
      try {
        const res = await http(demo.url, 'POST', '/auth/demo', { body: { name: 'Robin' } });
        expect(res.status, res.text).to.equal(200);
        await both(demo, res.body.data.token as string);
      } finally {
        await demo.close();
      }
    });

    it("keeps the test helpers' tokens within the default", () => {
      const payload = jwt.decode(srv.user().token) as { iat: number; exp: number };
      expect(payload.exp - payload.iat).to.be.at.most(86_400);
    });
  });

  describe('a token that expires during the connection', () => {
    let srv: TestServer;
    before(async () => {
      srv = await startServer({ env: { JWT_CLOCK_TOLERANCE_SEC: '0' } });
    });
    after(async () => {
      await srv.close();
    });

    it('gets session:expired, is disconnected, and a send emitted after expiry is neither acked ok nor stored', async () => {
      const facilitator = srv.user('facilitator');
      const base = srv.user('participant');
      const groupId = await makeGroup(srv, facilitator, [base]);
      // Expires at the next whole second but one: 1–2 s from now.
      const shortLived: TestUser = { ...base, token: hs256(srv, { sub: base.id, name: base.name, role: base.role, exp: nowSec() + 2 }) };

      const watcher = await enter(facilitator, groupId, srv);
      const c = await enter(shortLived, groupId, srv);
      await c.ok('group:send', { groupId, text: 'before expiry', clientMsgId: 'before' });

      const order: string[] = [];
      let late: Promise<unknown> | undefined;
      let connectedWhenEmitted = false;
      c.socket.on('session:expired', () => {
        order.push('session:expired');
        // Emitted while the client still believes it is connected: the frame goes on the wire.
        connectedWhenEmitted = c.socket.connected;
        late = c.socket
          .timeout(1000)
          .emitWithAck('group:send', { groupId, text: 'after expiry', clientMsgId: 'after' })
          .catch((err: Error) => err);
      });
      c.socket.on('disconnect', (reason) => order.push(`disconnect:${reason}`));

      await waitFor(() => order.length >= 2, 'session:expired and disconnect', 4000);
      expect(order).to.deep.equal(['session:expired', 'disconnect:io server disconnect']);
      expect(c.received('session:expired')).to.deep.equal([{ reason: 'token expired' }]);
      expect(connectedWhenEmitted).to.equal(true);

      const lateAck = await late;
      if (!(lateAck instanceof Error)) expect(lateAck).to.have.property('ok', false);

      const page = await watcher.ok('group:history', { groupId, limit: 100 });
      expect(page.messages.map((m) => m.text)).to.deep.equal(['before expiry']);
      await watcher.sync(groupId);
      expect(watcher.messages(groupId).map((m) => m.text)).to.deep.equal(['before expiry']);
    });
  });

  describe('logging', () => {
    let srv: TestServer;
    before(async () => {
      srv = await startServer();
    });
    after(async () => {
      await srv.close();
    });

    it('never writes a token to the log, accepted or refused', async () => {
      const facilitator = srv.user('facilitator');
      const participant = srv.user('participant');
      const groupId = await makeGroup(srv, facilitator, [participant]);
      const c = await enter(participant, groupId, srv);
      await c.ok('group:send', { groupId, text: 'hello', clientMsgId: 'm1' });
      await c.ack('group:join', { groupId: 'no-such-group' });

      const badStrings = BAD_TOKENS.map((t) => t.token(srv)).filter((t): t is string => typeof t === 'string' && t.length > 8);
      for (const token of badStrings) {
        await expectRefused(srv.url, { token });
        await expectHttp401(srv, `Bearer ${token}`);
      }
      c.close();
      await waitFor(() => srv.logs.some((l) => l.includes('"disconnected"')), 'the disconnect log line');

      const secrets = [facilitator.token, participant.token, ...badStrings].flatMap((t) =>
        [t, t.split('.')[2]].filter((s): s is string => Boolean(s && s.length > 8)),
      );
      expect(srv.logs.length).to.be.greaterThan(0);
      const text = srv.logs.join('');
      for (const s of secrets) expect(text.includes(s), `a log line contains ${s.slice(0, 12)}…`).to.equal(false);
      expect(text.includes(srv.config.jwt.key)).to.equal(false);
    });
  });
});
