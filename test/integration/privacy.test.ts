import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createLogger } from '../../server/logger.js';
import { refused, waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { faultyStore, http, makeGroup, startServer, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

// Distinctive enough that finding one in a log line can only mean it was logged.
const NAMES = ['Marigold Fenwick-Oyelaran', 'Thaddeus Quillfeather', 'Ondine Vasquez-Harrow', 'Søren Kjærgaard-Ødegård'];
const TEXTS = [
  'I drank again on Saturday after 41 days, Kestrelmoor bridge was where it happened',
  'my sponsor Wilhelmina said to call her before the Larkspur meeting',
  'thirty-one days clean today, first time since the Juniperwick detox',
  'I still have the pills in the blue tin behind the Quellington books',
];
const BAD_TEXT = `${'Mandragorine overdose last winter '.repeat(60)}`; // over 2000 characters
const FAILED_TEXT = 'the Obsidianvale pharmacy knows me by name';
const FORGED_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJQZXJlZ3JpbmVIb2xsb3cifQ.forged-Zanzibarquist-signature';

/** A string and the ways it could appear in a JSON log line (raw, JSON-escaped, lower-cased). */
const forms = (s: string) => [s, JSON.stringify(s).slice(1, -1), s.toLowerCase()];

for (const kind of STORE_KINDS) {
  describe(`privacy of the logs (${kind} store)`, () => {
    let srv: TestServer;
    const fault = { on: false };
    const { connect, closeAll } = roomClients(() => srv);

    before(async () => {
      srv = await startServer({
        store: kind,
        env: { LOG_LEVEL: 'debug' },
        // A store that fails while the flag is set, as an unreachable Redis would.
        wrapStore: (store) =>
          faultyStore(store, (verb) =>
            fault.on && (verb === 'appendMessage' || verb === 'sendToGroup' || verb === 'toggleReaction')
              ? new Error('Connection is closed.')
              : undefined,
          ),
      });
    });
    afterEach(() => {
      fault.on = false;
      closeAll();
    });
    after(() => srv.close());

    it('logs no message text, token or display name through a whole session, but does log user ids', async () => {
      const [fac, ...people] = NAMES.map((name, i) => srv.user(i === 0 ? 'facilitator' : 'participant', name)) as [TestUser, ...TestUser[]];
      const everyone = [fac, ...people];
      const groupId = await makeGroup(srv, fac, people);

      // HTTP: a read, a refused body that carries a name, a forged bearer token.
      expect((await http(srv.url, 'GET', `/api/groups/${groupId}`, { token: people[0]!.token })).status).to.equal(200);
      const badEnrol = await http(srv.url, 'PUT', `/api/groups/${groupId}/members/${people[1]!.id}`, {
        token: fac.token,
        body: { role: 'overseer', name: NAMES[2] },
      });
      expect(badEnrol.status).to.equal(400);
      expect((await http(srv.url, 'GET', '/api/groups', { token: FORGED_TOKEN })).status).to.equal(401);

      // Refused handshakes: a forged token and an expired one.
      expect((await refused(srv.url, { token: FORGED_TOKEN })).message).to.equal('UNAUTHORIZED');
      expect((await refused(srv.url, { token: srv.token(people[2]!, -60) })).message).to.equal('UNAUTHORIZED');

      const cs = await Promise.all(everyone.map((u) => connect(u)));
      for (const c of cs) await c.ok('group:join', { groupId });
      const sent = [];
      for (const [i, text] of TEXTS.entries()) sent.push((await cs[i]!.ok('group:send', { groupId, text, clientMsgId: `m${i}` })).message);
      await cs[1]!.ok('group:react', { groupId, messageId: sent[0]!.id, emoji: '🤗' });
      await cs[2]!.ok('group:react', { groupId, messageId: sent[0]!.id, emoji: '💪' });
      await cs[1]!.ok('group:typing', { groupId, typing: true });
      await cs[1]!.ok('group:typing', { groupId, typing: false });
      await cs[2]!.ok('group:hand', { groupId, raised: true });
      await cs[3]!.ok('group:hand', { groupId, raised: true });
      await cs[0]!.ok('group:history', { groupId, limit: 10 });
      await cs[3]!.ok('group:leave', { groupId });
      await cs[3]!.ok('group:join', { groupId, since: 2 });

      // Refusals that carry text.
      const tooLong = await cs[1]!.ack('group:send', { groupId, text: BAD_TEXT, clientMsgId: 'bad1' });
      expect(tooLong).to.have.nested.property('error.code', 'BAD_REQUEST');
      const badGroup = await cs[1]!.ack('group:send', { groupId: 'not a group id', text: TEXTS[0]!, clientMsgId: 'bad2' });
      expect(badGroup).to.have.nested.property('error.code', 'BAD_REQUEST');

      // INTERNAL while sending text and while reacting.
      fault.on = true;
      const failed = await cs[2]!.ack('group:send', { groupId, text: FAILED_TEXT, clientMsgId: 'f1' });
      const failedReaction = await cs[2]!.ack('group:react', { groupId, messageId: sent[1]!.id, emoji: '🙏' });
      fault.on = false;
      expect(failed).to.have.nested.property('error.code', 'INTERNAL');
      expect(failedReaction).to.have.nested.property('error.code', 'INTERNAL');

      closeAll();
      for (const u of everyone) {
        await waitFor(() => srv.logs.some((l) => l.includes('disconnected') && l.includes(u.id)), `the disconnect of ${u.id} in the log`);
      }

      // Logging is on and carries ids: each user's connect and disconnect, and the two INTERNAL errors.
      const lines = srv.logs.map((l) => JSON.parse(l) as { level: number; userId?: string; ref?: string; msg?: string });
      for (const u of everyone) expect(lines.filter((l) => l.userId === u.id).length, `log lines with ${u.id}`).to.be.at.least(2);
      // The injected fault is a closed connection, which is logged as the store being unavailable.
      expect(lines.filter((l) => l.level === 40 && l.msg === 'store unavailable').length, 'store-unavailable lines').to.equal(2);

      const secrets: [string, string][] = [
        ...NAMES.map((s): [string, string] => ['a display name', s]),
        ...NAMES.flatMap((s) => s.split(' ')).map((s): [string, string] => ['part of a display name', s]),
        ...[...TEXTS, FAILED_TEXT, BAD_TEXT.slice(0, 40)].map((s): [string, string] => ['message text', s]),
        ...['Kestrelmoor', 'Wilhelmina', 'Larkspur', 'Juniperwick', 'Quellington', 'Mandragorine', 'Obsidianvale'].map(
          (s): [string, string] => ['a word of a message', s],
        ),
        ...everyone.flatMap((u) => [u.token, ...u.token.split('.').slice(1)]).map((s): [string, string] => ['a token', s]),
        ['a forged token', FORGED_TOKEN],
        ['part of a forged token', 'Zanzibarquist'],
      ];
      for (const [i, line] of srv.logs.entries()) {
        for (const [what, secret] of secrets) {
          for (const form of forms(secret)) {
            if (line.includes(form) || line.toLowerCase().includes(form.toLowerCase())) {
              expect.fail(`log line ${i} contains ${what} (${JSON.stringify(secret.slice(0, 30))}): ${line.slice(0, 300)}`);
            }
          }
        }
      }
    });
  });
}

describe('the logger', () => {
  it('redacts text, tokens and names should a call site ever pass them', () => {
    const lines: string[] = [];
    const log = createLogger(
      'info',
      new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    log.info(
      { text: 'I relapsed on Friday', token: 'eyJ.secret.sig', user: { id: 'u1', name: 'Robin Example' }, auth: { token: 'eyJ.other' } },
      'slipped',
    );
    expect(lines).to.have.length(1);
    for (const secret of ['relapsed', 'eyJ', 'Robin']) expect(lines[0]).to.not.include(secret);
    expect(lines[0]).to.include('u1');
  });
});
