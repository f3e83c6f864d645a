import { expect } from 'chai';
import type { Ack, Message } from '../../shared/index.js';
import { type TestClient, waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { http, makeGroup, randomId, startServer, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

type GroupEvent = 'group:join' | 'group:send' | 'group:history' | 'group:typing' | 'group:hand' | 'group:react' | 'group:leave';
type Path = (string | number)[];
type Loose = {
  emit(event: string, ...args: unknown[]): void;
  timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<Ack<unknown>> };
};

const EVENTS: GroupEvent[] = ['group:join', 'group:send', 'group:history', 'group:typing', 'group:hand', 'group:react', 'group:leave'];

/** What each payload holds, so the barrage can break every field of every event the same ways. */
const FIELDS: Record<GroupEvent, { required: string[]; strings: string[]; booleans: string[]; numbers: string[] }> = {
  'group:join': { required: ['groupId'], strings: ['groupId'], booleans: [], numbers: ['since'] },
  'group:send': { required: ['groupId', 'text', 'clientMsgId'], strings: ['groupId', 'text', 'clientMsgId'], booleans: [], numbers: [] },
  'group:history': { required: ['groupId'], strings: ['groupId'], booleans: [], numbers: ['beforeSeq', 'limit'] },
  'group:typing': { required: ['groupId', 'typing'], strings: ['groupId'], booleans: ['typing'], numbers: [] },
  'group:hand': { required: ['groupId', 'raised'], strings: ['groupId'], booleans: ['raised'], numbers: [] },
  'group:react': { required: ['groupId', 'messageId', 'emoji'], strings: ['groupId', 'messageId', 'emoji'], booleans: [], numbers: [] },
  'group:leave': { required: ['groupId'], strings: ['groupId'], booleans: [], numbers: [] },
};

const NOT_STRINGS: [string, unknown][] = [
  ['a number', 42],
  ['an array', ['x']],
  ['an object', { x: 'y' }],
  ['null', null],
  ['a boolean', true],
  ['a binary attachment', Buffer.from('hi')],
];
const NOT_BOOLEANS: [string, unknown][] = [
  ['a string', 'true'],
  ['a number', 1],
  ['an array', [true]],
  ['an object', {}],
  ['null', null],
];
const NOT_NUMBERS: [string, unknown][] = [
  ['a string', '1'],
  ['an array', [1]],
  ['an object', {}],
  ['null', null],
  ['a boolean', true],
];
const BAD_IDS: [string, unknown][] = [
  ['an empty id', ''],
  ['a 65-character id', 'x'.repeat(65)],
  ['an id with a slash', '../etc'],
  ['an id with a space', 'a b'],
];
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;

/** Emits exactly these arguments, plus an ack callback. */
const emitWithAck = (c: TestClient, event: string, args: unknown[], timeoutMs = 5000) =>
  (c.socket as unknown as Loose).timeout(timeoutMs).emitWithAck(event, ...args);
const emitRaw = (c: TestClient, event: string, ...args: unknown[]) => (c.socket as unknown as Loose).emit(event, ...args);

/** The §2 shape of a refusal for a bad payload, with the offending path among the issues. */
function expectBadRequest(res: Ack<unknown>, path: Path, what: string): void {
  expect(res, what).to.have.property('ok', false);
  if (res.ok) return;
  expect(Object.keys(res).sort(), what).to.deep.equal(['error', 'ok']);
  expect(Object.keys(res.error).sort(), what).to.deep.equal(['code', 'issues', 'message']);
  expect(res.error.code, what).to.equal('BAD_REQUEST');
  expect(res.error.message, what).to.be.a('string').that.is.not.empty;
  expect(res.error.issues, what).to.be.an('array').that.is.not.empty;
  for (const issue of res.error.issues!) {
    expect(Object.keys(issue).sort(), what).to.deep.equal(['message', 'path']);
    expect(issue.path, what).to.be.an('array');
    for (const p of issue.path) expect(typeof p, what).to.be.oneOf(['string', 'number']);
    expect(issue.message, what).to.be.a('string').that.is.not.empty;
  }
  expect(
    res.error.issues!.map((i) => i.path),
    `${what}: issue paths`,
  ).to.deep.include(path);
  // The refusal never echoes what was sent (some inputs are tens of kilobytes).
  expect(JSON.stringify(res).length, `${what}: ack size`).to.be.below(4096);
}

/** Resolves the ack, or the disconnect reason when the node closes the socket instead. */
function ackOrDisconnect(
  c: TestClient,
  event: string,
  payload: unknown,
  timeoutMs = 5000,
): Promise<{ ack?: Ack<unknown>; disconnected?: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${event}: neither acked nor closed within ${timeoutMs} ms`)), timeoutMs);
    c.socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve({ disconnected: reason });
    });
    emitRaw(c, event, payload, (ack: Ack<unknown>) => {
      clearTimeout(timer);
      resolve({ ack });
    });
  });
}

for (const kind of STORE_KINDS) {
  describe(`malformed payloads (${kind} store)`, () => {
    let srv: TestServer;
    const fixture = roomClients(() => srv);
    const { connect, enter, closeAll } = fixture;

    before(async () => {
      // The barrage is far past the invalid-event budget; flood.test.ts covers that budget.
      srv = await startServer({ store: kind, env: { RATE_LIMITS: 'invalid=100000/1' } });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    /** A group with an attacker, a bystander and a listening facilitator in the room, and one good message. */
    async function room() {
      const {
        groupId,
        people: [a, b],
        cs: [attacker, bystander],
        cf: listener,
      } = await fixture.room(2);
      const { message: seed } = await bystander.ok('group:send', { groupId, text: 'seed message', clientMsgId: 'seed' });
      return { groupId, a, b, attacker, bystander, listener, seed };
    }
    type Room = Awaited<ReturnType<typeof room>>;

    const validPayloads = ({ groupId, seed }: Room): Record<GroupEvent, Record<string, unknown>> => ({
      'group:join': { groupId },
      'group:send': { groupId, text: 'must never be stored', clientMsgId: 'never' },
      'group:history': { groupId, limit: 10 },
      'group:typing': { groupId, typing: true },
      'group:hand': { groupId, raised: true },
      'group:react': { groupId, messageId: seed.id, emoji: '🙏' },
      'group:leave': { groupId },
    });

    /**
     * The room still works after the barrage: the bystander sends, the listener (and the attacker,
     * while connected, so no bad `group:leave` took it out) receive it, /healthz answers, and the
     * history holds exactly the good messages, gap-free.
     */
    async function expectStillServing(r: Room, goodTexts: string[]): Promise<Message[]> {
      const text = `still serving ${randomId('t')}`;
      const { message } = await r.bystander.ok('group:send', { groupId: r.groupId, text, clientMsgId: randomId('c') });
      await waitFor(() => r.listener.messages(r.groupId).some((m) => m.id === message.id), 'the bystander message at the listener');
      if (r.attacker.socket.connected) {
        await waitFor(() => r.attacker.messages(r.groupId).some((m) => m.id === message.id), 'the bystander message at the attacker');
      }
      const health = await http(srv.url, 'GET', '/healthz');
      expect(health.status, '/healthz').to.equal(200);
      const history = await r.listener.ok('group:history', { groupId: r.groupId, limit: 100 });
      expect(
        history.messages.map((m) => m.text),
        'history',
      ).to.deep.equal(['seed message', ...goodTexts, text]);
      expect(
        history.messages.map((m) => m.seq),
        'history seqs',
      ).to.deep.equal(history.messages.map((_, i) => i + 1));
      for (const m of history.messages) expect(BIDI.test(m.text), `stored text ${JSON.stringify(m.text)}`).to.equal(false);
      return history.messages;
    }

    /** No typing, hand or reaction reached the room and no hand or reaction was stored. */
    async function expectNoSideEffects(r: Room): Promise<void> {
      await r.listener.sync(r.groupId);
      expect(r.listener.received('group:typing'), 'typing events').to.deep.equal([]);
      expect(r.listener.received('group:hand'), 'hand events').to.deep.equal([]);
      expect(r.listener.received('group:reaction'), 'reaction events').to.deep.equal([]);
      const joined = await r.listener.ok('group:join', { groupId: r.groupId });
      expect(joined.state.handQueue, 'hand queue').to.deep.equal([]);
      expect(
        joined.messages.find((m) => m.id === r.seed.id),
        'seed message',
      ).to.not.have.property('reactions');
    }

    it('answers BAD_REQUEST with issues to missing fields, wrong types and non-object payloads on every group event, and keeps serving the room', async () => {
      const r = await room();
      const valid = validPayloads(r);
      let count = 0;
      for (const event of EVENTS) {
        const fields = FIELDS[event];
        const send = async (payload: unknown, path: Path, what: string) => {
          count++;
          expectBadRequest(await r.attacker.ack(event as 'group:join', payload), path, `${event} with ${what}`);
        };
        for (const field of fields.required) {
          const { [field]: _dropped, ...rest } = valid[event];
          await send(rest, [field], `no ${field}`);
        }
        for (const field of fields.strings)
          for (const [what, v] of NOT_STRINGS) await send({ ...valid[event], [field]: v }, [field], `${what} as ${field}`);
        for (const field of fields.booleans)
          for (const [what, v] of NOT_BOOLEANS) await send({ ...valid[event], [field]: v }, [field], `${what} as ${field}`);
        for (const field of fields.numbers)
          for (const [what, v] of NOT_NUMBERS) await send({ ...valid[event], [field]: v }, [field], `${what} as ${field}`);
        for (const field of ['groupId', 'messageId'].filter((f) => fields.strings.includes(f))) {
          for (const [what, v] of BAD_IDS) await send({ ...valid[event], [field]: v }, [field], `${what} as ${field}`);
        }
        await send({}, [fields.required[0]!], 'an empty object');
        for (const [what, v] of [
          ['a string', 'group'],
          ['a number', 7],
          ['null', null],
          ['an array', [valid[event]]],
          ['a boolean', false],
        ] as const) {
          await send(v, [], `${what} as the payload`);
        }
        // undefined cannot travel inside JSON; an emit with no payload at all is what reaches the node.
        count++;
        expectBadRequest(await emitWithAck(r.attacker, event, []), [], `${event} without a payload`);
        count++;
        expectBadRequest(await emitWithAck(r.attacker, event, [undefined]), [], `${event} with undefined as the payload`);
      }
      expect(count, 'bad payloads sent').to.be.above(150);
      expect(r.attacker.socket.connected, 'the attacker is still connected').to.equal(true);
      await expectNoSideEffects(r);
      await expectStillServing(r, []);
    });

    it('refuses out-of-range and non-integer limit, since and beforeSeq, and accepts the boundaries', async () => {
      const r = await room();
      const { groupId } = r;
      const bad: [string, Record<string, unknown>, Path][] = [
        ['limit 0', { groupId, limit: 0 }, ['limit']],
        ['limit 101', { groupId, limit: 101 }, ['limit']],
        ["limit 'ten'", { groupId, limit: 'ten' }, ['limit']],
        ['limit -1', { groupId, limit: -1 }, ['limit']],
        ['limit 2.5', { groupId, limit: 2.5 }, ['limit']],
        ['beforeSeq 0', { groupId, beforeSeq: 0 }, ['beforeSeq']],
        ['beforeSeq -3', { groupId, beforeSeq: -3 }, ['beforeSeq']],
        ['beforeSeq 1.5', { groupId, beforeSeq: 1.5 }, ['beforeSeq']],
        ['beforeSeq 1e300', { groupId, beforeSeq: 1e300 }, ['beforeSeq']],
      ];
      for (const [what, payload, path] of bad)
        expectBadRequest(await r.attacker.ack('group:history', payload), path, `group:history with ${what}`);
      const badJoins: [string, Record<string, unknown>][] = [
        ['since -1', { groupId, since: -1 }],
        ['since 0.5', { groupId, since: 0.5 }],
        ["since '0'", { groupId, since: '0' }],
        ['since 1e300', { groupId, since: 1e300 }],
      ];
      for (const [what, payload] of badJoins)
        expectBadRequest(await r.attacker.ack('group:join', payload), ['since'], `group:join with ${what}`);

      expect((await r.attacker.ok('group:history', { groupId, limit: 1 })).messages).to.have.length(1);
      expect((await r.attacker.ok('group:history', { groupId, limit: 100 })).messages).to.have.length(1);
      expect((await r.attacker.ok('group:history', { groupId, beforeSeq: Number.MAX_SAFE_INTEGER })).messages).to.have.length(1);
      expect((await r.attacker.ok('group:history', { groupId, beforeSeq: 1 })).messages).to.deep.equal([]);
      expect((await r.attacker.ok('group:join', { groupId, since: 0 })).messages.map((m) => m.id)).to.deep.equal([r.seed.id]);
      expect((await r.attacker.ok('group:join', { groupId, since: Number.MAX_SAFE_INTEGER })).messages).to.deep.equal([]);
      await expectStillServing(r, []);
    });

    it('refuses over-long, raw-oversized and invisible-only text, and stores exactly the text that passes', async () => {
      const r = await room();
      const send = (text: unknown, clientMsgId = randomId('c')) => r.attacker.ack('group:send', { groupId: r.groupId, text, clientMsgId });
      const refusals: [string, string][] = [
        ['2001 characters', 'a'.repeat(2001)],
        ['2001 astral characters', '💪'.repeat(2001)],
        ['9 KB of bidi overrides and isolates only', '\u202E\u2066\u202A'.repeat(1000)],
        ['bidi characters around 2001 letters', 'b\u202E'.repeat(2001)],
        ['10,001 raw characters that trim to a short text', `hi${' '.repeat(9999)}`],
        ['30 KB of text', 'long '.repeat(6000)],
        ['only whitespace', ' \n\t '.repeat(50)],
        ['only control characters', '\u0000\u0007\u001B\u0085\u009F'.repeat(40)],
      ];
      for (const [what, text] of refusals) expectBadRequest(await send(text), ['text'], `text of ${what}`);
      expectBadRequest(await send('fine', 'k'.repeat(65)), ['clientMsgId'], 'a 65-character clientMsgId');
      expectBadRequest(await send('fine', ''), ['clientMsgId'], 'an empty clientMsgId');
      expectBadRequest(
        await r.attacker.ack('group:send', { groupId: 'g'.repeat(30_000), text: 'fine', clientMsgId: 'g' }),
        ['groupId'],
        'a 30 KB groupId',
      );

      const good = ['a'.repeat(2000), '🤗'.repeat(2000), '\u202Eone day\u2069 at a time\u202C'];
      for (const text of good) {
        const res = await send(text);
        expect(res.ok, `accepts ${text.slice(0, 12)}… (${text.length} UTF-16 units)`).to.equal(true);
      }
      expect(r.attacker.socket.connected).to.equal(true);
      await expectStillServing(r, ['a'.repeat(2000), '🤗'.repeat(2000), 'one day at a time']);
    });

    it('closes at most the sender socket for a 100 KB frame, over websocket or polling, and keeps serving everyone else', async () => {
      const r = await room();
      const outcome = await ackOrDisconnect(r.attacker, 'group:send', {
        groupId: r.groupId,
        text: 'x'.repeat(100 * 1024),
        clientMsgId: 'huge',
      });
      if (outcome.ack) expectBadRequest(outcome.ack, ['text'], 'a 100 KB text');
      else expect(outcome.disconnected, 'the reason the socket closed').to.be.a('string');
      const polling = await enter(r.a, r.groupId, srv, { transports: ['polling'] });
      const viaPolling = await ackOrDisconnect(polling, 'group:send', {
        groupId: r.groupId,
        text: 'y'.repeat(100 * 1024),
        clientMsgId: 'huge2',
      });
      if (viaPolling.ack) expectBadRequest(viaPolling.ack, ['text'], 'a 100 KB text over polling');
      else expect(viaPolling.disconnected, 'the reason the polling socket closed').to.be.a('string');
      await expectStillServing(r, []);
      // The sender can come back and send normally.
      const again = await enter(r.a, r.groupId);
      await again.ok('group:send', { groupId: r.groupId, text: 'back again', clientMsgId: 'back' });
      const history = await r.listener.ok('group:history', { groupId: r.groupId, limit: 100 });
      expect(history.messages.map((m) => m.text).at(-1)).to.equal('back again');
    });

    it('ignores unknown fields and never takes forged message fields from the payload', async () => {
      const r = await room();
      const { groupId } = r;
      const forged = {
        id: 'forged-id',
        seq: 999,
        kind: 'system',
        deleted: true,
        createdAt: 1,
        sender: { id: 'someone-else', name: 'Facilitator', role: 'facilitator' },
        conversation: { kind: 'group', id: 'elsewhere' },
        reactions: { '💪': ['x'] },
        role: 'admin',
        userId: 'someone-else',
      };
      const { message } = await r.attacker.ok('group:send', { groupId, text: 'extra fields are ignored', clientMsgId: 'extra', ...forged });
      expect(message).to.deep.equal({
        id: message.id,
        seq: 2,
        conversation: { kind: 'group', id: groupId },
        sender: { id: r.a.id, name: r.a.name, role: 'participant' },
        kind: 'text',
        text: 'extra fields are ignored',
        clientMsgId: 'extra',
        createdAt: message.createdAt,
      });
      expect(message.id).to.not.equal('forged-id');
      expect(Math.abs(message.createdAt - Date.now())).to.be.below(60_000);
      const extra = { unknownField: 'x', nested: { deep: [1, 2, 3] }, admin: true };
      await r.attacker.ok('group:join', { groupId, ...extra });
      await r.attacker.ok('group:history', { groupId, ...extra });
      await r.attacker.ok('group:typing', { groupId, typing: true, userId: 'someone-else', name: 'Facilitator', ...extra } as never);
      await r.attacker.ok('group:hand', { groupId, raised: true, userId: 'someone-else', ...extra } as never);
      await r.attacker.ok('group:react', { groupId, messageId: r.seed.id, emoji: '🙏', userId: 'someone-else', ...extra } as never);
      const typing = await r.listener.waitEvent('group:typing');
      expect(typing).to.deep.equal({ groupId, userId: r.a.id, name: r.a.name, typing: true });
      expect(await r.listener.waitEvent('group:hand')).to.deep.equal({ groupId, userId: r.a.id, raised: true });
      expect(await r.listener.waitEvent('group:reaction')).to.deep.equal({ groupId, messageId: r.seed.id, reactions: { '🙏': [r.a.id] } });
      expect(await r.attacker.ok('group:leave', { groupId, ...extra })).to.deep.equal({});
      await r.attacker.ok('group:join', { groupId });
      const stored = await expectStillServing(r, ['extra fields are ignored']);
      expect(stored[1]).to.deep.equal(message);
    });

    it('pollutes no prototype and changes no authorisation decision through __proto__ and constructor.prototype keys', async () => {
      const r = await room();
      const { groupId } = r;
      const outsider = await connect(srv.user());
      const g = JSON.stringify(groupId);
      const evil = (json: string) => JSON.parse(json) as Record<string, unknown>;
      const proto =
        '"__proto__": {"polluted": true, "role": "facilitator", "groupId": ' + g + ', "enrolment": {"role": "facilitator"}, "admin": true}';
      const ctor = '"constructor": {"prototype": {"polluted": true, "role": "admin"}}';

      // Keys the schema does not know are dropped: the payloads are valid and act for the caller only.
      const sent = await r.attacker.ok(
        'group:send',
        evil(`{${proto}, ${ctor}, "groupId": ${g}, "text": "no pollution here", "clientMsgId": "p1"}`) as never,
      );
      expect(sent.message.sender).to.deep.equal({ id: r.a.id, name: r.a.name, role: 'participant' });
      await r.attacker.ok('group:join', evil(`{${proto}, "groupId": ${g}}`) as never);
      await r.attacker.ok('group:history', evil(`{${ctor}, "groupId": ${g}}`) as never);
      // A field that only sits on the would-be prototype is missing, not inherited.
      expectBadRequest(await r.attacker.ack('group:join', evil(`{${proto}}`)), ['groupId'], 'a groupId inside __proto__');
      expectBadRequest(
        await r.attacker.ack('group:send', evil(`{"groupId": ${g}, "__proto__": {"text": "inherited", "clientMsgId": "p2"}}`)),
        ['text'],
        'text inside __proto__',
      );
      expectBadRequest(
        await r.attacker.ack('group:join', evil(`{"groupId": {${proto}}}`)),
        ['groupId'],
        'a groupId that is an object with __proto__',
      );
      expectBadRequest(
        await r.attacker.ack('group:history', evil(`{"groupId": ${g}, "limit": {${ctor}}}`)),
        ['limit'],
        'a limit that is an object with constructor',
      );

      // The outsider tries the same, and is still refused everywhere.
      const attempts: [GroupEvent, string][] = [
        ['group:join', `{${proto}, ${ctor}, "groupId": ${g}}`],
        ['group:send', `{${proto}, ${ctor}, "groupId": ${g}, "text": "let me in", "clientMsgId": "o1"}`],
        ['group:history', `{${proto}, "groupId": ${g}}`],
        ['group:hand', `{${ctor}, "groupId": ${g}, "raised": true}`],
      ];
      for (const [event, json] of attempts) {
        const res = await outsider.ack(event as 'group:join', evil(json));
        expect(res, `${event} by the outsider`).to.have.nested.property('error.code', 'FORBIDDEN');
      }
      expect(({} as Record<string, unknown>).polluted, 'Object.prototype.polluted').to.equal(undefined);
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'role'), 'Object.prototype.role').to.equal(false);
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'admin'), 'Object.prototype.admin').to.equal(false);
      // After the attempts, the authorisation decision has not moved.
      for (const event of ['group:join', 'group:history'] as const) {
        const res = await outsider.ack(event, { groupId });
        expect(res, `${event} by the outsider afterwards`).to.have.nested.property('error.code', 'FORBIDDEN');
      }
      const res = await outsider.ack('group:send', { groupId, text: 'let me in', clientMsgId: 'o2' });
      expect(res, 'group:send by the outsider afterwards').to.have.nested.property('error.code', 'FORBIDDEN');
      expect(outsider.messages(groupId)).to.deep.equal([]);

      const stored = await expectStillServing(r, ['no pollution here']);
      for (const m of stored) {
        expect(Object.getPrototypeOf(m), 'stored message prototype').to.equal(Object.prototype);
        expect(Object.keys(m), 'stored message keys').to.not.include.members(['__proto__', 'constructor', 'polluted']);
      }
    });

    it('treats ids that are JavaScript property names as plain ids that do not exist', async () => {
      const r = await room();
      for (const id of ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf']) {
        const attempts = [
          await r.attacker.ack('group:join', { groupId: id }),
          await r.attacker.ack('group:send', { groupId: id, text: 'nowhere', clientMsgId: id }),
          await r.attacker.ack('group:history', { groupId: id }),
          await r.attacker.ack('group:typing', { groupId: id, typing: true }),
          await r.attacker.ack('group:hand', { groupId: id, raised: true }),
          await r.attacker.ack('group:react', { groupId: id, messageId: id, emoji: '💪' }),
          await r.attacker.ack('group:react', { groupId: r.groupId, messageId: id, emoji: '💪' }),
        ];
        for (const [i, res] of attempts.entries()) expect(res, `${id}, attempt ${i}`).to.have.nested.property('error.code', 'NOT_FOUND');
        // Leaving a room one is not in is harmless (§5 gives group:leave no error).
        expect(await r.attacker.ok('group:leave', { groupId: id })).to.deep.equal({});
        await r.attacker.ok('group:send', { groupId: r.groupId, text: `clientMsgId ${id}`, clientMsgId: id });
      }
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      await expectStillServing(
        r,
        ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'].map((id) => `clientMsgId ${id}`),
      );
    });

    it('serves members whose user ids are JavaScript property names', async () => {
      const fac = srv.user('facilitator');
      // Ids are unique per node; each store runs on its own node.
      const odd: TestUser[] = ['__proto__', 'constructor'].map((id) => {
        const u = { id, name: `member ${id}`, role: 'participant' as const };
        return { ...u, token: srv.token(u) };
      });
      const groupId = await makeGroup(srv, fac, odd);
      const listener = await enter(fac, groupId);
      for (const u of odd) {
        const c = await connect(u);
        const joined = await c.ok('group:join', { groupId });
        expect(joined.members.find((m) => m.id === u.id)).to.deep.equal({
          id: u.id,
          name: u.name,
          role: 'participant',
          online: true,
          handRaised: false,
        });
        const { message } = await c.ok('group:send', { groupId, text: `hello from ${u.id}`, clientMsgId: u.id });
        expect(message.sender.id).to.equal(u.id);
        expect(await c.ok('group:react', { groupId, messageId: message.id, emoji: '❤️' })).to.deep.equal({ reactions: { '❤️': [u.id] } });
        await c.ok('group:hand', { groupId, raised: true });
      }
      const joined = await listener.ok('group:join', { groupId });
      expect(joined.state.handQueue).to.deep.equal(['__proto__', 'constructor']);
      expect(joined.messages.map((m) => [m.sender.id, m.reactions])).to.deep.equal([
        ['__proto__', { '❤️': ['__proto__'] }],
        ['constructor', { '❤️': ['constructor'] }],
      ]);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });

    it('ignores a bad payload sent without an ack callback and keeps the socket working', async () => {
      const r = await room();
      const valid = validPayloads(r);
      for (const event of EVENTS) {
        const last = FIELDS[event].required.at(-1)!;
        for (const payload of [{ ...valid[event], groupId: 42 }, { ...valid[event], [last]: null }, 'group', null, [valid[event]], 7]) {
          emitRaw(r.attacker, event, payload);
        }
        emitRaw(r.attacker, event);
      }
      // Acks are written in order, after everything the bad events could have caused synchronously.
      await r.attacker.sync(r.groupId);
      expect(r.attacker.socket.connected).to.equal(true);
      await expectNoSideEffects(r);
      await expectStillServing(r, []);
    });

    it('takes the first argument as the payload when an event carries several', async () => {
      const r = await room();
      const { groupId } = r;
      const sent = await emitWithAck(r.attacker, 'group:send', [
        { groupId, text: 'first argument wins', clientMsgId: 'multi' },
        'extra',
        42,
        { text: 'second' },
      ]);
      expect(sent, 'several arguments, a good first one').to.have.property('ok', true);
      expectBadRequest(
        await emitWithAck(r.attacker, 'group:send', ['junk', { groupId, text: 'second argument', clientMsgId: 'multi2' }]),
        [],
        'a bad first argument',
      );
      expectBadRequest(await emitWithAck(r.attacker, 'group:history', [null, { groupId }]), [], 'null then a good payload');
      const page = await emitWithAck(r.attacker, 'group:history', [{ groupId }, { groupId, limit: 'ten' }]);
      expect(page, 'a good first argument, a bad second').to.have.property('ok', true);
      // Without an ack the first argument is still the payload (typing is processed without a callback).
      emitRaw(r.attacker, 'group:typing', { groupId, typing: true }, { groupId: 'other', typing: false }, 'x');
      expect(await r.listener.waitEvent('group:typing')).to.deep.equal({ groupId, userId: r.a.id, name: r.a.name, typing: true });
      await expectStillServing(r, ['first argument wins']);
    });

    it('ignores event names it does not know, including ones that look like object properties', async () => {
      const r = await room();
      const unknown = [
        'group:nuke',
        'group:Send',
        'mod:everything',
        'partner:sendAll',
        'toString',
        'constructor',
        '__proto__',
        'hasOwnProperty',
        'error',
        'message',
        'ping',
        '',
      ];
      const acked: string[] = [];
      for (const event of unknown) {
        emitRaw(r.attacker, event, { groupId: r.groupId, text: 'via an unknown event', clientMsgId: event || 'empty' }, () =>
          acked.push(event),
        );
        emitRaw(r.attacker, event, 'no ack either');
      }
      await r.attacker.sync(r.groupId);
      expect(acked, 'acks for unknown events').to.deep.equal([]);
      expect(r.attacker.socket.connected).to.equal(true);
      await expectNoSideEffects(r);
      await expectStillServing(r, []);
    });

    it('refuses ill-formed UTF-16 (a lone surrogate) in clientMsgId and every other stored string with BAD_REQUEST, and stores nothing', async () => {
      const r = await room();
      const { groupId } = r;
      const lone = ['\ud800', '\udc00', 'ok\ud800x', 'x\udfff'];
      for (const id of lone) {
        expectBadRequest(
          await r.attacker.ack('group:send', { groupId, text: 'poison', clientMsgId: id }),
          ['clientMsgId'],
          `group:send with clientMsgId ${JSON.stringify(id)}`,
        );
        expectBadRequest(
          await r.attacker.ack('group:join', { groupId, since: 0, epoch: id }),
          ['epoch'],
          `group:join with epoch ${JSON.stringify(id)}`,
        );
      }
      const { inviteId } = await r.attacker.ok('partner:invite', { userId: r.b.id });
      const { partnership } = await r.bystander.ok('partner:respond', { inviteId, accept: true });
      const partnershipId = partnership!.id;
      for (const id of lone) {
        expectBadRequest(
          await r.attacker.ack('partner:send', { partnershipId, text: 'poison', clientMsgId: id }),
          ['clientMsgId'],
          `partner:send with clientMsgId ${JSON.stringify(id)}`,
        );
        expectBadRequest(
          await r.attacker.ack('partner:checkin', { partnershipId, mood: 3, craving: 2, clientMsgId: id }),
          ['clientMsgId'],
          `partner:checkin with clientMsgId ${JSON.stringify(id)}`,
        );
      }
      expect((await r.attacker.ok('partner:history', { partnershipId })).messages, 'nothing stored between the partners').to.deep.equal([]);
      expectBadRequest(
        await r.listener.ack('mod:delete', { groupId, messageId: r.seed.id, reason: 'spam \udc00' }),
        ['reason'],
        'mod:delete with a lone surrogate in reason',
      );
      expectBadRequest(
        await r.listener.ack('mod:ban', { groupId, userId: r.a.id, reason: '\ud800' }),
        ['reason'],
        'mod:ban with a lone surrogate in reason',
      );
      const fac = srv.user('facilitator');
      for (const [field, body] of [
        ['name', { name: 'Tuesday \ud800' }],
        ['description', { name: 'Tuesday', description: '\udc00' }],
        ['schedule', { name: 'Tuesday', schedule: '7pm \ud800' }],
      ] as const) {
        const res = await http(srv.url, 'POST', '/api/groups', { token: fac.token, body: JSON.stringify(body) });
        expect(res.status, `a group ${field} with a lone surrogate`).to.equal(400);
        expect(
          res.body.error.issues.map((i: { path: Path }) => i.path),
          field,
        ).to.deep.include([field]);
      }
      expect(r.attacker.socket.connected).to.equal(true);
      await expectStillServing(r, []);
    });

    it('still deletes, reacts to and erases a message stored with a lone surrogate before ids were checked', async () => {
      const r = await room();
      const { groupId } = r;
      const c = { kind: 'group', id: groupId } as const;
      // As a node stored it before clientMsgId was checked: the store itself takes any string.
      const poisoned = async (clientMsgId: string) =>
        (
          await srv.store.log.appendMessage(c, {
            id: randomId('m'),
            conversation: c,
            sender: { id: r.a.id, name: r.a.name, role: 'participant' },
            kind: 'text',
            text: 'stored long ago',
            clientMsgId,
            createdAt: Date.now(),
          })
        ).message;
      const [deleted, reacted, erased] = [await poisoned('\ud800'), await poisoned('x\udc00'), await poisoned('y\ud800')];
      await r.listener.ok('mod:delete', { groupId, messageId: deleted.id });
      expect(await r.bystander.ok('group:react', { groupId, messageId: reacted.id, emoji: '🙏' })).to.deep.equal({
        reactions: { '🙏': [r.b.id] },
      });
      const res = await http(srv.url, 'DELETE', '/api/me', { token: r.a.token });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.data.erasedMessages, 'the two not deleted by the facilitator').to.equal(2);
      for (const m of [deleted, reacted, erased])
        expect(await srv.store.log.findMessage(c, m.id)).to.deep.include({ text: '', deleted: true });
    });

    it('closes only the sender socket for frames the parser refuses, and answers deeply nested JSON with BAD_REQUEST', async () => {
      const r = await room();
      // 30,000 nested arrays (60 KB) overflow socket.io-client's own recursive encoder, so this frame
      // is written raw, with an ack id of its own, and its ack read off the engine.
      const engine = r.attacker.socket.io.engine as unknown as { send(s: string): void; on(e: 'message', fn: (d: unknown) => void): void };
      const deepAck = new Promise<Ack<unknown>>((resolve) => {
        engine.on('message', (data) => {
          if (typeof data === 'string' && data.startsWith('39999[')) resolve((JSON.parse(data.slice(5)) as Ack<unknown>[])[0]!);
        });
      });
      engine.send(`29999["group:join",{"groupId":${'['.repeat(30_000)}${']'.repeat(30_000)}}]`);
      expectBadRequest(await deepAck, ['groupId'], '30,000 nested arrays as groupId');
      expect(r.attacker.socket.connected).to.equal(true);

      // Raw Socket.IO frames (engine.io adds the message type): broken JSON, a reserved event name,
      // an unknown packet type, a binary attachment that never comes.
      const frames = [
        '2["group:send",{"groupId":',
        '2["disconnect",{}]',
        '9["group:join"]',
        '51-["group:join",{"groupId":{"_placeholder":true,"num":7}}]',
      ];
      for (const frame of frames) {
        const c = await connect(srv.user());
        const closed = new Promise<string>((resolve) => c.socket.once('disconnect', resolve));
        (c.socket.io.engine as unknown as { send(s: string): void }).send(frame);
        if (frame.startsWith('51-')) {
          // The node waits for the attachment; the socket's other work must not be blocked by a broken frame.
          (c.socket.io.engine as unknown as { send(s: string): void }).send('not a binary attachment');
        }
        expect(await closed, `the socket that sent ${frame}`).to.be.a('string');
      }
      await expectStillServing(r, []);
    });
  });
}
