import { Writable } from 'node:stream';
import { expect } from 'chai';
import { pino } from 'pino';
import type { Ack } from '../../shared/index.js';
import { socketListeners, type HandlerContext } from '../../server/realtime/handler.js';
import type { AppSocket } from '../../server/realtime/types.js';
import type { Stores } from '../../server/store/ports.js';
import { refused, waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { aroundVerbs, makeGroup, startServer, STORE_KINDS, type TestServer } from '../support/server.js';

/** What an injected fault says: the kind of detail (credentials, hosts, internals) that must never reach a client. */
const SECRET = 'redis://bridge:hunter2-S3CR3T@10.20.30.40:6379';
/** `method`: a store verb's name (unique across the ports). */
type Fault = { method: string | null; sync: boolean; outage?: boolean };
/** A bug-like fault, or (outage) what ioredis throws while Redis cannot be reached. */
const faultError = (fault: Fault) =>
  fault.outage
    ? Object.assign(new Error(`Reached the max retries per request limit (which is 2) talking to ${SECRET}`), {
        name: 'MaxRetriesPerRequestError',
      })
    : new Error(`invariant broken in ${SECRET} (appendMessage failed: password=hunter2-S3CR3T)`);

/**
 * The real store behind a Proxy: while `fault.method` names a method, that method fails, by
 * rejecting or (sync) by throwing before it returns a promise.
 */
function faulty(fault: Fault) {
  return (store: Stores): Stores =>
    aroundVerbs(store, (verb, _args, call) => {
      if (fault.method !== verb) return call();
      if (fault.sync) throw faultError(fault);
      return Promise.reject(faultError(fault));
    });
}

/** The correlation ref in an INTERNAL message. */
function refOf(message: string): string {
  const m = /\bref\b\W*([A-Za-z0-9-]{8,})/.exec(message);
  expect(m, `a correlation ref in ${JSON.stringify(message)}`).to.not.equal(null);
  return m![1]!;
}

/** The §2 INTERNAL shape, without the fault's text or a stack; returns the ref. */
function expectInternal(res: Ack<unknown>, what: string): string {
  expect(res, what).to.have.property('ok', false);
  if (res.ok) throw new Error('unreachable');
  expect(Object.keys(res).sort(), what).to.deep.equal(['error', 'ok']);
  expect(Object.keys(res.error).sort(), what).to.deep.equal(['code', 'message']);
  expect(res.error.code, what).to.equal('INTERNAL');
  const text = JSON.stringify(res);
  for (const leak of [
    'hunter2',
    'S3CR3T',
    '10.20.30.40',
    'ECONNREFUSED',
    'appendMessage',
    'password',
    'Error:',
    '    at ',
    '.ts:',
    'node_modules',
  ]) {
    expect(text, `${what}: the ack must not contain ${leak}`).to.not.include(leak);
  }
  return refOf(res.error.message);
}

const parseLines = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown> & { level: number; msg?: string });

for (const kind of STORE_KINDS) {
  describe(`error codes (${kind} store)`, () => {
    let srv: TestServer;
    const fault: Fault = { method: null, sync: false };
    const { connect, room, closeAll } = roomClients(() => srv);
    /** room(1, oneIn): a group with one participant in the room. */
    const oneIn = { facilitatorJoins: false } as const;

    before(async () => {
      srv = await startServer({ store: kind, wrapStore: faulty(fault) });
    });
    afterEach(() => {
      fault.method = null;
      fault.sync = false;
      closeAll();
    });
    after(() => srv.close());

    it('answers BAD_REQUEST with the zod issues for a payload that fails its schema', async () => {
      const {
        groupId,
        cs: [c],
      } = await room(1, oneIn);
      const res = await c.ack('group:send', { groupId, text: 42, clientMsgId: '' });
      expect(res).to.deep.equal({
        ok: false,
        error: {
          code: 'BAD_REQUEST',
          message: 'invalid text: Invalid input: expected string, received number',
          issues: [
            { path: ['text'], message: 'Invalid input: expected string, received number' },
            { path: ['clientMsgId'], message: 'Too small: expected string to have >=1 characters' },
          ],
        },
      });
    });

    it('answers FORBIDDEN to a user who is not enrolled in the group', async () => {
      const { groupId } = await room(1, oneIn);
      const outsider = await connect(srv.user());
      expect(await outsider.ack('group:join', { groupId })).to.deep.equal({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'you are not enrolled in this group' },
      });
      const send = await outsider.ack('group:send', { groupId, text: 'hello?', clientMsgId: 'f1' });
      expect(send).to.have.nested.property('error.code', 'FORBIDDEN');
    });

    it('answers NOT_FOUND for a group that does not exist and for a reaction to a message that does not exist there', async () => {
      const {
        groupId,
        cs: [c],
      } = await room(1, oneIn);
      expect(await c.ack('group:join', { groupId: 'no-such-group' })).to.deep.equal({
        ok: false,
        error: { code: 'NOT_FOUND', message: 'no such group' },
      });
      expect(await c.ack('group:react', { groupId, messageId: 'no-such-message', emoji: '🙏' })).to.deep.equal({
        ok: false,
        error: { code: 'NOT_FOUND', message: 'no such message' },
      });
      // A message that exists in another group is not found in this one.
      const other = await room(1, oneIn);
      const { message } = await other.cs[0].ok('group:send', { groupId: other.groupId, text: 'in the other group', clientMsgId: 'o1' });
      expect(await c.ack('group:react', { groupId, messageId: message.id, emoji: '🙏' })).to.have.nested.property(
        'error.code',
        'NOT_FOUND',
      );
      expect((await other.cs[0].ok('group:history', { groupId: other.groupId })).messages[0]).to.not.have.property('reactions');
    });

    it('refuses a handshake without a valid token with connect_error UNAUTHORIZED', async () => {
      const u = srv.user();
      const foreign = await startServer({ store: 'memory' });
      try {
        const tokens: [string, unknown][] = [
          ['no auth', undefined],
          ['no token', {}],
          ['a token that is not a string', { token: 42 }],
          ['garbage', { token: 'not-a-jwt' }],
          ['a token signed with another secret', { token: foreign.token(u) }],
          ['an expired token', { token: srv.token(u, -60) }],
        ];
        for (const [what, auth] of tokens) {
          const err = await refused(srv.url, auth);
          expect(err.message, what).to.equal('UNAUTHORIZED');
          expect(err.data, what).to.deep.equal({ code: 'UNAUTHORIZED' });
        }
      } finally {
        await foreign.close();
      }
    });

    it('answers INTERNAL with a correlation ref, logs the fault once under that ref, and keeps the socket serving', async () => {
      const {
        groupId,
        people: [a],
        cs: [c],
      } = await room(1, oneIn);
      const watcher = await connect(srv.user('admin'));
      await watcher.ok('group:join', { groupId });
      const before = srv.logs.length;

      fault.method = 'sendToGroup';
      const first = expectInternal(
        await c.ack('group:send', { groupId, text: 'this one fails', clientMsgId: 'retry-me' }),
        'the failed send',
      );
      const second = expectInternal(
        await c.ack('group:send', { groupId, text: 'this one fails too', clientMsgId: 'other' }),
        'the second failed send',
      );
      expect(second, 'each failure has its own ref').to.not.equal(first);
      fault.method = null;

      const errors = parseLines(srv.logs.slice(before)).filter((l) => l.level >= 50);
      for (const ref of [first, second]) {
        const lines = errors.filter((l) => JSON.stringify(l).includes(ref));
        expect(lines, `error lines with ref ${ref}`).to.have.length(1);
        expect(lines[0]).to.include({ ref, event: 'group:send', userId: a.id });
        // The operator gets the error the client did not.
        expect(lines[0], 'the logged error').to.have.property('err');
      }
      expect(errors, 'error lines').to.have.length(2);

      expect(c.socket.connected, 'the socket stays connected').to.equal(true);
      const { message } = await c.ok('group:send', { groupId, text: 'this one works', clientMsgId: 'retry-me' });
      expect(message.seq, 'the failed sends took no seq').to.equal(1);
      await waitFor(() => watcher.messages(groupId).length === 1, 'the good message at the watcher');
      await watcher.sync(groupId);
      expect(watcher.messages(groupId).map((m) => m.text)).to.deep.equal(['this one works']);
      expect((await c.ok('group:history', { groupId })).messages.map((m) => m.text)).to.deep.equal(['this one works']);
    });

    it('answers a store outage with a retryable INTERNAL that says to resend, and logs a warning without the fault text', async () => {
      const {
        groupId,
        cs: [c],
      } = await room(1, oneIn);
      const before = srv.logs.length;
      Object.assign(fault, { method: 'sendToGroup', outage: true });
      const res = await c.ack('group:send', { groupId, text: 'while redis is away', clientMsgId: 'outage' });
      Object.assign(fault, { method: null, outage: false });
      expect(res.ok).to.equal(false);
      if (res.ok) return;
      expect(res.error.code).to.equal('INTERNAL');
      expect(res.error.message)
        .to.match(/storage is unavailable/)
        .and.match(/resent with the same clientMsgId/);
      expect(res.error.retryAfterMs).to.be.a('number').greaterThan(0);
      expect(JSON.stringify(res)).to.not.include('hunter2');
      const lines = parseLines(srv.logs.slice(before));
      expect(
        lines.filter((l) => l.level >= 50),
        'no error lines for an outage',
      ).to.deep.equal([]);
      expect(lines.filter((l) => l.level === 40 && l.msg === 'store unavailable')).to.have.length(1);
      expect(srv.logs.slice(before).join('')).to.not.include('hunter2');
      const { message } = await c.ok('group:send', { groupId, text: 'after redis came back', clientMsgId: 'outage' });
      expect(message.seq, 'the refused send took no seq').to.equal(1);
    });

    it('answers a store method that throws synchronously the same way as one that rejects', async () => {
      const {
        groupId,
        cs: [c],
      } = await room(1, oneIn);
      const before = srv.logs.length;
      fault.method = 'history';
      fault.sync = true;
      const ref = expectInternal(await c.ack('group:history', { groupId }), 'history with a throwing store');
      fault.method = null;
      const lines = parseLines(srv.logs.slice(before)).filter((l) => l.level >= 50);
      expect(lines).to.have.length(1);
      expect(lines[0]).to.include({ ref, event: 'group:history' });
      expect(c.socket.connected).to.equal(true);
      expect(await c.ok('group:history', { groupId })).to.deep.equal({ messages: [], hasMore: false });
    });

    it('gives every socket one catch-all listener, the same for all, not a listener (or a closure) per event', async () => {
      // A closure per socket and event was a third of an idle client's heap, and an entry per event
      // in each socket's listener table about an eighth (docs/benchmarks.md).
      const [a, b] = [srv.user(), srv.user()];
      await Promise.all([connect(a), connect(b)]);
      const mine = [...srv.app.io.sockets.sockets.values()].filter((s) => s.data.user.id === a.id || s.data.user.id === b.id);
      expect(mine).to.have.length(2);
      const [first, second] = mine.map((s) => s.listenersAny());
      expect(first).to.have.length(1);
      expect(second).to.deep.equal(first);
      for (const event of ['group:send', 'group:join', 'mod:ban', 'partner:send', 'report'] as const) {
        for (const s of mine) expect(s.listeners(event as never), event).to.have.length(0);
      }
    });

    it('answers a handler that throws synchronously with INTERNAL through the ack helper, once', async () => {
      // A second `report` listener built the way every real one is, on the node's real sockets, with a
      // logger of its own; it throws before the real handler's first store read can answer.
      const logs: string[] = [];
      const log = pino({ level: 'debug' }, new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) }));
      const ctx: HandlerContext = { log, inflight: { count: 0 }, expireIfDue: () => false };
      const register = socketListeners(ctx, {
        report: () => {
          throw faultError({ method: null, sync: true });
        },
      });
      srv.app.io.on('connection', register);
      try {
        const {
          groupId,
          cs: [c],
        } = await room(1, oneIn);
        let calls = 0;
        const res = await new Promise<Ack<unknown>>((resolve) => {
          (c.socket as unknown as { emit(e: string, p: unknown, ack: (r: Ack<unknown>) => void): void }).emit(
            'report',
            { conversation: { kind: 'group', id: 'g1' }, messageId: 'm1', reason: 'other' },
            (r) => {
              calls++;
              resolve(r);
            },
          );
        });
        const ref = expectInternal(res, 'a handler that throws');
        expect(parseLines(logs).filter((l) => l.level >= 50 && l.ref === ref)).to.have.length(1);
        expect(ctx.inflight.count, 'in-flight count after the throw').to.equal(0);
        expect(c.socket.connected).to.equal(true);
        await c.sync(groupId);
        expect(calls, 'ack calls').to.equal(1);
      } finally {
        srv.app.io.off('connection', register);
      }
    });

    it('calls the ack exactly once per event, whatever the outcome', async () => {
      // Counted on the node: every ack function Socket.IO makes for a packet counts its calls under
      // the tag of the payload it came with (read by a catch-all listener that runs before Bridge's).
      const calls = new Map<string, number>();
      const tags = new WeakMap<object, string>();
      const counting = (socket: AppSocket) => {
        const internal = socket as unknown as { ack(id: number): (...args: unknown[]) => void };
        const makeAck = internal.ack.bind(socket);
        internal.ack = (id) => {
          const ack = makeAck(id);
          const counted = (...args: unknown[]) => {
            const tag = tags.get(counted);
            if (tag) calls.set(tag, (calls.get(tag) ?? 0) + 1);
            ack(...args);
          };
          return counted;
        };
        socket.prependAny((_event: string, ...args: unknown[]) => {
          const ack = args[args.length - 1];
          const payload = args[0] as { tag?: string } | undefined;
          const tag = payload && typeof payload === 'object' && typeof payload.tag === 'string' ? payload.tag : undefined;
          if (typeof ack === 'function' && tag) {
            tags.set(ack, tag);
            calls.set(tag, 0);
          }
        });
      };
      srv.app.io.on('connection', counting);
      try {
        const {
          groupId,
          cs: [c],
        } = await room(1, oneIn);
        const { message } = await c.ok('group:send', { groupId, text: 'react to me', clientMsgId: 'm' });
        const outsiderGroup = await makeGroup(srv, srv.user('facilitator'));
        const cases: [string, string, Record<string, unknown>, string | true, Fault['method']?][] = [
          ['ok join', 'group:join', { groupId }, true],
          ['ok send', 'group:send', { groupId, text: 'hello', clientMsgId: 'h' }, true],
          ['ok history', 'group:history', { groupId }, true],
          ['ok typing', 'group:typing', { groupId, typing: true }, true],
          ['ok hand', 'group:hand', { groupId, raised: true }, true],
          ['ok react', 'group:react', { groupId, messageId: message.id, emoji: '👏' }, true],
          ['ok leave', 'group:leave', { groupId }, true],
          ['bad send', 'group:send', { groupId, text: '' }, 'BAD_REQUEST'],
          ['bad hand', 'group:hand', { groupId }, 'BAD_REQUEST'],
          ['forbidden join', 'group:join', { groupId: outsiderGroup }, 'FORBIDDEN'],
          ['forbidden typing', 'group:typing', { groupId: outsiderGroup, typing: true }, 'FORBIDDEN'],
          ['missing group', 'group:history', { groupId: 'nope' }, 'NOT_FOUND'],
          ['missing message', 'group:react', { groupId, messageId: 'nope', emoji: '👏' }, 'NOT_FOUND'],
          ['internal send', 'group:send', { groupId, text: 'fails', clientMsgId: 'x' }, 'INTERNAL', 'sendToGroup'],
          ['internal hand', 'group:hand', { groupId, raised: false }, 'INTERNAL', 'setHand'],
        ];
        const clientCalls = new Map<string, number>();
        for (const [tag, event, payload, expected, failing] of cases) {
          fault.method = failing ?? null;
          const res = await new Promise<Ack<unknown>>((resolve) => {
            (c.socket as unknown as { emit(e: string, p: unknown, ack: (r: Ack<unknown>) => void): void }).emit(
              event,
              { ...payload, tag },
              (r) => {
                clientCalls.set(tag, (clientCalls.get(tag) ?? 0) + 1);
                resolve(r);
              },
            );
          });
          fault.method = null;
          if (expected === true) expect(res, tag).to.have.property('ok', true);
          else expect(res, tag).to.have.nested.property('error.code', expected);
        }
        await c.sync(groupId);
        for (const [tag] of cases) {
          expect(calls.get(tag), `node-side ack calls for ${tag}`).to.equal(1);
          expect(clientCalls.get(tag), `client-side ack calls for ${tag}`).to.equal(1);
        }
      } finally {
        srv.app.io.off('connection', counting);
      }
    });
  });
}
