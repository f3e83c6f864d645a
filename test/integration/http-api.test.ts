import { connect as tcpConnect } from 'node:net';
import { expect } from 'chai';
import type { ErrorCode } from '../../shared/index.js';
import type { ConversationLog } from '../../server/store/ports.js';
import { waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { http, makeGroup, serverPool, startServer, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

type HttpResult = Awaited<ReturnType<typeof http>>;

/** Every error answer is `{ ok: false, error: { code, message } }` with the code's status (§8). */
function expectError(res: HttpResult, status: number, code: ErrorCode): void {
  expect(res.status, res.text).to.equal(status);
  expect(res.body, res.text).to.be.an('object');
  expect(Object.keys(res.body)).to.have.members(['ok', 'error']);
  expect(res.body.ok).to.equal(false);
  expect(res.body.error.code).to.equal(code);
  expect(res.body.error.message).to.be.a('string').and.not.equal('');
  expect(res.body.error.message).not.to.match(/\n\s+at /);
  expect(['code', 'message', 'issues', 'retryAfterMs']).to.include.members(Object.keys(res.body.error));
}

/** Delegates to the real store, with some methods replaced. Bound so private fields keep working. */
function override<T extends object>(base: T, methods: Partial<T>): T {
  return new Proxy(base, {
    get(target, prop) {
      if (prop in methods) return methods[prop as keyof T];
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Repeats an async read until its result satisfies `done`, or fails at the deadline. */
async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const kind of STORE_KINDS) {
  describe(`HTTP API (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, enter, closeAll } = roomClients(() => srv);
    const { start, closeAll: stopServers } = serverPool({ store: kind });

    before(async () => {
      srv = await startServer({ store: kind });
    });
    afterEach(async () => {
      closeAll();
      await stopServers();
    });
    after(() => srv.close());

    describe('health', () => {
      it('answers GET /healthz with 200', async () => {
        const res = await http(srv.url, 'GET', '/healthz');
        expect(res.status).to.equal(200);
        expect(res.body).to.deep.equal({ ok: true, data: { status: 'up' } });
      });

      it('answers GET /readyz with 200 when the store answers', async () => {
        const res = await http(srv.url, 'GET', '/readyz');
        expect(res.status).to.equal(200);
        expect(res.body).to.deep.equal({ ok: true, data: { store: kind, ready: true } });
      });

      it('answers GET /readyz with 503 while the store ping fails, and /healthz stays 200', async () => {
        let failing = true;
        const s = await start({
          wrapStore: (base) => override(base, { ping: () => (failing ? Promise.reject(new Error('store down')) : base.ping()) }),
        });
        const down = await http(s.url, 'GET', '/readyz');
        expect(down.status).to.equal(503);
        expect(down.body).to.deep.equal({ ok: false, data: { store: kind, ready: false } });
        expect((await http(s.url, 'GET', '/healthz')).status).to.equal(200);
        failing = false;
        expect((await http(s.url, 'GET', '/readyz')).status).to.equal(200);
      });

      it('answers GET /readyz with 503 when the store ping does not answer in time', async () => {
        const s = await start({ wrapStore: (base) => override(base, { ping: () => new Promise<void>(() => {}) }) });
        const res = await http(s.url, 'GET', '/readyz');
        expect(res.status).to.equal(503);
        expect(res.body.data.ready).to.equal(false);
      });

      if (kind === 'redis') {
        it('answers GET /readyz with 503 after the Redis store is closed', async () => {
          const s = await start();
          expect((await http(s.url, 'GET', '/readyz')).status).to.equal(200);
          await s.store.close();
          const res = await http(s.url, 'GET', '/readyz');
          expect(res.status).to.equal(503);
          expect(res.body.data.ready).to.equal(false);
        });
      }

      it('answers GET /readyz with 503 while shutting down, and still finishes the in-flight ack', async () => {
        // A history read that waits for the test to let it go, so shutdown has something in flight.
        let hold = false;
        let entered = false;
        let release!: () => void;
        const released = new Promise<void>((r) => (release = r));
        const s = await start({
          wrapStore: (base) =>
            override(base, {
              log: override(base.log, {
                history: async (...args: Parameters<ConversationLog['history']>) => {
                  if (hold) {
                    entered = true;
                    await released;
                  }
                  return base.log.history(...args);
                },
              }),
            }),
        });
        const fac = s.user('facilitator');
        const groupId = await makeGroup(s, fac);
        const c = await enter(fac, groupId, s);

        hold = true;
        const pending = c.ack('group:history', { groupId });
        await waitFor(() => entered, 'the history read to start');
        const closing = s.app.close();
        try {
          const res = await http(s.url, 'GET', '/readyz');
          expect(res.status).to.equal(503);
          expect(res.body).to.deep.equal({ ok: false, data: { store: kind, ready: false } });
        } finally {
          release();
        }
        const ack = await pending;
        expect(ack.ok).to.equal(true);
        await closing;
      });

      it("stops within seconds while a client holds a connection it never sent a request on (a browser's preconnect)", async () => {
        const s = await start();
        const idle = tcpConnect(Number(new URL(s.url).port), '127.0.0.1');
        await new Promise<void>((resolve, reject) => idle.once('connect', resolve).once('error', reject));
        const closedByServer = new Promise<void>((resolve) => idle.once('close', () => resolve()));
        const started = Date.now();
        await s.app.close();
        await closedByServer;
        // Chromium keeps such a socket 10 s; close() used to wait for it.
        expect(Date.now() - started).to.be.below(5000);
      });
    });

    describe('POST /api/groups', () => {
      it('lets a facilitator create a group and lists them as its facilitator', async () => {
        const fac = srv.user('facilitator', 'Dana');
        const before = Date.now();
        const res = await http(srv.url, 'POST', '/api/groups', {
          token: fac.token,
          body: { name: '  Thursday evening IOP  ', description: 'Relapse prevention', schedule: 'Thu 18:00' },
        });
        expect(res.status, res.text).to.equal(201);
        expect(res.body.ok).to.equal(true);
        const group = res.body.data.group;
        expect(group.id).to.be.a('string').and.match(ID);
        expect(group).to.deep.equal({
          id: group.id,
          name: 'Thursday evening IOP',
          description: 'Relapse prevention',
          schedule: 'Thu 18:00',
          createdAt: group.createdAt,
          createdBy: fac.id,
        });
        expect(group.createdAt).to.be.a('number').within(before, Date.now());

        const got = await http(srv.url, 'GET', `/api/groups/${group.id}`, { token: fac.token });
        expect(got.status).to.equal(200);
        expect(got.body.data.group).to.deep.equal(group);
        expect(got.body.data.members).to.deep.equal([{ id: fac.id, name: 'Dana', role: 'facilitator', online: false, handRaised: false }]);
      });

      it('lets an admin create a group', async () => {
        const admin = srv.user('admin');
        const res = await http(srv.url, 'POST', '/api/groups', { token: admin.token, body: { name: 'Admin group' } });
        expect(res.status, res.text).to.equal(201);
        expect(res.body.data.group.createdBy).to.equal(admin.id);
      });

      it('refuses a participant with 403 FORBIDDEN and creates nothing', async () => {
        const p = srv.user('participant');
        expectError(await http(srv.url, 'POST', '/api/groups', { token: p.token, body: { name: 'Mine' } }), 403, 'FORBIDDEN');
        const list = await http(srv.url, 'GET', '/api/groups', { token: p.token });
        expect(list.body.data.groups).to.deep.equal([]);
      });

      const badBodies: [string, unknown][] = [
        ['a body without a name', {}],
        ['an empty name', { name: '' }],
        ['a name of only spaces', { name: '    ' }],
        ['a name longer than 80 characters', { name: 'x'.repeat(81) }],
        ['a name that is not a string', { name: 42 }],
        ['a body that is not JSON', '{"name": "Tuesday'],
        ['an array body', [{ name: 'Tuesday' }]],
      ];
      for (const [what, body] of badBodies) {
        it(`answers 400 BAD_REQUEST to ${what} and creates nothing`, async () => {
          const fac = srv.user('facilitator');
          expectError(await http(srv.url, 'POST', '/api/groups', { token: fac.token, body }), 400, 'BAD_REQUEST');
          const list = await http(srv.url, 'GET', '/api/groups', { token: fac.token });
          expect(list.body.data.groups).to.deep.equal([]);
        });
      }
    });

    describe('GET /api/groups', () => {
      it('lists only the groups the caller is enrolled in, and every group for an admin', async () => {
        const a = srv.user('facilitator');
        const b = srv.user('facilitator');
        const p = srv.user('participant');
        const g1 = await makeGroup(srv, a, [p]);
        const g2 = await makeGroup(srv, b);
        const ids = async (u: TestUser) => {
          const res = await http(srv.url, 'GET', '/api/groups', { token: u.token });
          expect(res.status).to.equal(200);
          return (res.body.data.groups as { id: string }[]).map((g) => g.id);
        };
        expect(await ids(a)).to.deep.equal([g1]);
        expect(await ids(b)).to.deep.equal([g2]);
        expect(await ids(p)).to.deep.equal([g1]);
        expect(await ids(srv.user('participant'))).to.deep.equal([]);
        expect(await ids(srv.user('admin'))).to.include.members([g1, g2]);
      });
    });

    describe('GET /api/groups/:groupId', () => {
      it('shows a member the group with its members, online flags included', async () => {
        const fac = srv.user('facilitator');
        const p = srv.user('participant', 'Sam');
        const groupId = await makeGroup(srv, fac, [p]);
        await connect(p);
        const r = await eventually(
          () => http(srv.url, 'GET', `/api/groups/${groupId}`, { token: p.token }),
          (res) => res.body?.data?.members?.some((m: { id: string; online: boolean }) => m.id === p.id && m.online),
          'the member to show as online',
        );
        expect(r.status).to.equal(200);
        expect(r.body.data.group.id).to.equal(groupId);
        expect(r.body.data.members).to.have.deep.members([
          { id: fac.id, name: fac.name, role: 'facilitator', online: false, handRaised: false },
          { id: p.id, name: 'Sam', role: 'participant', online: true, handRaised: false },
        ]);
      });

      it('answers 403 FORBIDDEN to a non-member, 404 NOT_FOUND for an unknown group, and 200 to an admin', async () => {
        const fac = srv.user('facilitator');
        const groupId = await makeGroup(srv, fac);
        expectError(await http(srv.url, 'GET', `/api/groups/${groupId}`, { token: srv.user('participant').token }), 403, 'FORBIDDEN');
        expectError(await http(srv.url, 'GET', `/api/groups/${groupId}`, { token: srv.user('facilitator').token }), 403, 'FORBIDDEN');
        expectError(await http(srv.url, 'GET', '/api/groups/no-such-group', { token: fac.token }), 404, 'NOT_FOUND');
        expectError(await http(srv.url, 'GET', '/api/groups/not%20an%20id', { token: fac.token }), 404, 'NOT_FOUND');
        const admin = await http(srv.url, 'GET', `/api/groups/${groupId}`, { token: srv.user('admin').token });
        expect(admin.status).to.equal(200);
        expect(admin.body.data.members.map((m: { id: string }) => m.id)).to.deep.equal([fac.id]);
      });
    });

    describe('PUT /api/groups/:groupId/members/:userId', () => {
      const put = (token: string, groupId: string, userId: string, body: unknown) =>
        http(srv.url, 'PUT', `/api/groups/${groupId}/members/${userId}`, { token, body });
      const memberIds = async (token: string, groupId: string) =>
        ((await http(srv.url, 'GET', `/api/groups/${groupId}`, { token })).body.data.members as { id: string; role: string }[]).map(
          (m) => `${m.id}:${m.role}`,
        );

      it('lets the group facilitator enrol a user, who can then see the group', async () => {
        const fac = srv.user('facilitator');
        const p = srv.user('participant');
        const groupId = await makeGroup(srv, fac);
        const res = await put(fac.token, groupId, p.id, { role: 'participant', name: 'Robin' });
        expect(res.status, res.text).to.equal(200);
        expect(res.body).to.deep.equal({ ok: true, data: { member: { userId: p.id, role: 'participant', name: 'Robin' } } });
        expect((await http(srv.url, 'GET', `/api/groups/${groupId}`, { token: p.token })).status).to.equal(200);
        expect(await memberIds(fac.token, groupId)).to.have.members([`${fac.id}:facilitator`, `${p.id}:participant`]);
      });

      it('lets an admin who is not enrolled enrol a user', async () => {
        const groupId = await makeGroup(srv, srv.user('facilitator'));
        const p = srv.user('participant');
        expect((await put(srv.user('admin').token, groupId, p.id, { role: 'participant' })).status).to.equal(200);
        expect(
          (await http(srv.url, 'GET', '/api/groups', { token: p.token })).body.data.groups.map((g: { id: string }) => g.id),
        ).to.deep.equal([groupId]);
      });

      it('refuses a participant of the group and a facilitator of another group with 403 FORBIDDEN', async () => {
        const fac = srv.user('facilitator');
        const p = srv.user('participant');
        const groupId = await makeGroup(srv, fac, [p]);
        const otherFac = srv.user('facilitator');
        await makeGroup(srv, otherFac);
        const target = srv.user('participant');
        expectError(await put(p.token, groupId, target.id, { role: 'participant' }), 403, 'FORBIDDEN');
        expectError(await put(p.token, groupId, p.id, { role: 'facilitator' }), 403, 'FORBIDDEN');
        expectError(await put(otherFac.token, groupId, target.id, { role: 'participant' }), 403, 'FORBIDDEN');
        expect(await memberIds(fac.token, groupId)).to.have.members([`${fac.id}:facilitator`, `${p.id}:participant`]);
      });

      it('answers 400 BAD_REQUEST to a bad role and 404 NOT_FOUND for an unknown group', async () => {
        const fac = srv.user('facilitator');
        const groupId = await makeGroup(srv, fac);
        const target = srv.user('participant');
        expectError(await put(fac.token, groupId, target.id, { role: 'admin' }), 400, 'BAD_REQUEST');
        expectError(await put(fac.token, groupId, target.id, { role: 'moderator' }), 400, 'BAD_REQUEST');
        expectError(await put(fac.token, groupId, target.id, {}), 400, 'BAD_REQUEST');
        expectError(await put(fac.token, 'no-such-group', target.id, { role: 'participant' }), 404, 'NOT_FOUND');
        expect(await memberIds(fac.token, groupId)).to.deep.equal([`${fac.id}:facilitator`]);
      });

      it('changes the role when the same user is enrolled again, with the powers of the new role', async () => {
        const fac = srv.user('facilitator');
        const p = srv.user('participant', 'Alex');
        const groupId = await makeGroup(srv, fac, [p]);
        const res = await put(fac.token, groupId, p.id, { role: 'facilitator' });
        expect(res.body.data.member).to.deep.equal({ userId: p.id, role: 'facilitator', name: 'Alex' });
        expect(await memberIds(fac.token, groupId)).to.have.members([`${fac.id}:facilitator`, `${p.id}:facilitator`]);
        const newcomer = srv.user('participant');
        expect((await put(p.token, groupId, newcomer.id, { role: 'participant' })).status).to.equal(200);
      });
    });

    describe('DELETE /api/groups/:groupId/members/:userId', () => {
      it('unenrols a member: their join is FORBIDDEN and their socket in the room stops receiving messages', async () => {
        const fac = srv.user('facilitator');
        const leaving = srv.user('participant');
        const staying = srv.user('participant');
        const groupId = await makeGroup(srv, fac, [leaving, staying]);
        const f = await connect(fac);
        const l = await connect(leaving);
        const s = await connect(staying);
        for (const c of [f, l, s]) await c.ok('group:join', { groupId });
        await f.ok('group:send', { groupId, text: 'one', clientMsgId: 'm1' });
        await waitFor(() => l.messages(groupId).length === 1 && s.messages(groupId).length === 1, 'the first message');

        const res = await http(srv.url, 'DELETE', `/api/groups/${groupId}/members/${leaving.id}`, { token: fac.token });
        expect(res.status, res.text).to.equal(200);
        expect(res.body).to.deep.equal({ ok: true, data: {} });

        await f.ok('group:send', { groupId, text: 'two', clientMsgId: 'm2' });
        await waitFor(() => s.messages(groupId).length === 2, 'the second message to a remaining member');
        await l.sync(groupId);
        expect(l.messages(groupId).map((m) => m.text)).to.deep.equal(['one']);

        const join = await l.ack('group:join', { groupId });
        expect(join.ok === false && join.error.code).to.equal('FORBIDDEN');
        const send = await l.ack('group:send', { groupId, text: 'still here?', clientMsgId: 'm3' });
        expect(send.ok === false && send.error.code).to.equal('FORBIDDEN');
        expectError(await http(srv.url, 'GET', `/api/groups/${groupId}`, { token: leaving.token }), 403, 'FORBIDDEN');
        const members = (await http(srv.url, 'GET', `/api/groups/${groupId}`, { token: fac.token })).body.data.members.map(
          (m: { id: string }) => m.id,
        );
        expect(members).to.have.members([fac.id, staying.id]);
      });

      it('answers 404 NOT_FOUND for a user who is not a member and 403 FORBIDDEN to a participant', async () => {
        const fac = srv.user('facilitator');
        const p = srv.user('participant');
        const other = srv.user('participant');
        const groupId = await makeGroup(srv, fac, [p, other]);
        expectError(
          await http(srv.url, 'DELETE', `/api/groups/${groupId}/members/${srv.user().id}`, { token: fac.token }),
          404,
          'NOT_FOUND',
        );
        expectError(await http(srv.url, 'DELETE', `/api/groups/${groupId}/members/${other.id}`, { token: p.token }), 403, 'FORBIDDEN');
        expectError(await http(srv.url, 'DELETE', `/api/groups/no-such-group/members/${other.id}`, { token: fac.token }), 404, 'NOT_FOUND');
        const members = (await http(srv.url, 'GET', `/api/groups/${groupId}`, { token: fac.token })).body.data.members.map(
          (m: { id: string }) => m.id,
        );
        expect(members).to.have.members([fac.id, p.id, other.id]);
      });
    });

    describe('unknown paths, errors and the page at /', () => {
      it('answers an unknown /api path with 404 NOT_FOUND as JSON', async () => {
        const token = srv.user('admin').token;
        expectError(await http(srv.url, 'GET', '/api/nope', { token }), 404, 'NOT_FOUND');
        expectError(await http(srv.url, 'POST', '/api/groups/x/y/z', { token, body: {} }), 404, 'NOT_FOUND');
        expectError(await http(srv.url, 'PATCH', '/api/groups', { token, body: {} }), 404, 'NOT_FOUND');
      });

      it('answers an unknown path outside /api with 404 NOT_FOUND as JSON, not an HTML page', async () => {
        for (const [method, path] of [
          ['GET', '/nope'],
          ['POST', '/nope'],
          ['GET', '/app.js.map'],
          ['DELETE', '/auth/demo'],
          ['PUT', '/healthz'],
        ]) {
          const res = await http(srv.url, method!, path!);
          expectError(res, 404, 'NOT_FOUND');
          expect(res.text, `${method} ${path}`).not.to.match(/<html|<pre>/i);
        }
      });

      it('answers POST /auth/demo with 404 NOT_FOUND as JSON when demo mode is off', async () => {
        const res = await http(srv.url, 'POST', '/auth/demo', { body: { name: 'Sam' } });
        expectError(res, 404, 'NOT_FOUND');
        expect(res.body.error.message).to.match(/demo mode is off/);
      });

      it('answers a body that is not sent as JSON with 400 BAD_REQUEST saying the body must be JSON with a name', async () => {
        const demo = await start({ env: { JWT_SECRET: '', DEMO_MODE: 'true' } });
        for (const init of [
          {},
          { body: '{"name":"Sam"}' },
          { body: 'name=Sam', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        ]) {
          const res = await fetch(`${demo.url}/auth/demo`, { method: 'POST', ...init });
          const text = await res.text();
          expectError({ status: res.status, body: JSON.parse(text), text }, 400, 'BAD_REQUEST');
          const message: string = JSON.parse(text).error.message;
          expect(message, text).to.match(/body must be JSON \(Content-Type: application\/json\)/);
          expect(message, text).to.include('name');
          expect(message, text).not.to.include('received undefined');
        }
        // The same body with the content type signs in.
        const ok = await http(demo.url, 'POST', '/auth/demo', { body: { name: 'Sam' } });
        expect(ok.status, ok.text).to.equal(200);
      });

      it('serves the placeholder page at / with a Content-Security-Policy and nosniff', async () => {
        const res = await fetch(`${srv.url}/`);
        expect(res.status).to.equal(200);
        expect(res.headers.get('content-type')).to.match(/^text\/html/);
        expect(res.headers.get('content-security-policy')).to.be.a('string').and.include("default-src 'self'");
        expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
        const html = await res.text();
        expect(html).to.include('<title>Bridge</title>');
      });

      it('sends the security headers on API answers too', async () => {
        const res = await fetch(`${srv.url}/api/groups`);
        expect(res.status).to.equal(401);
        expect(res.headers.get('content-security-policy')).to.be.a('string');
        expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
        expect(res.headers.get('x-powered-by')).to.equal(null);
      });
    });
  });
}
