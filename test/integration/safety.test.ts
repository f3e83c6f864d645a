import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../server/errors.js';
import { loadResources } from '../../server/safety/resources.js';
import type { CrisisResource, CrisisResourceSets } from '../../shared/index.js';
import { type TestClient, waitFor } from '../support/client.js';
import { partnerSync, roomClients, syncAll } from '../support/room.js';
import {
  enrol,
  faultyStore,
  http,
  makeGroup,
  serverPool,
  startServer,
  STORE_KINDS,
  type StoreKind,
  type TestServer,
  type TestUser,
} from '../support/server.js';

// Crisis wording as people type it in a chat (a varied pick from test/unit/crisis-matcher.test.ts
// and server/safety/crisis-phrases.txt): each must reach the room and raise the safety net.
const POSITIVE: readonly string[] = [
  'I want to kill myself',
  'i WaNt To DiE',
  'honestly i might just kill   myself',
  'kill-myself',
  'I want to\nkill\nmyself',
  '😭😭kill myself😭',
  'kil myself lol',
  'i could kill my self',
  'honestly gonna kms',
  'sometimes I just want to end it all...',
  'want 2 die tbh',
  'I don’t want to be here any more',
  "they'd all be better off without me",
  'thinking about sucide',
  "I'm going to take my own life",
  "I can't go on like this",
  'might unalive myself',
  "I think I'm going to overdose",
  "I OD'd on Saturday",
  'I took too many pills',
  'I took the whole bottle',
  'been cutting myself',
  'urges to self-harm tonight',
  'I want to jump off a bridge',
  'I want to go to sleep and not wake up',
  'ｋｉｌｌ ｍｙｓｅｌｆ',
  'kïll mysélf',
  'k\u200Bill myself',
  'I shot myself in the foot at work and honestly I want to die',
  'I wish I was dead',
  'honestly I have nothing to live for',
];

// Everyday recovery-group talk that a naive substring list would flag: each must reach the room
// and stay quiet.
const NEGATIVE: readonly string[] = [
  'that skill myself up class was great',
  'I could kill for a coffee',
  'this traffic is killing me',
  "I'm dying to see you all",
  'dead tired after group',
  'I need to cut myself some slack',
  'I cut myself off from my old using friends',
  'I hurt myself at the gym',
  'my rent is overdue',
  'she always overdoes it with the salt',
  'I take pills for my blood pressure',
  "I don't want to be here today, group is so early",
  'if your friends jumped off a bridge would you do it too',
  'we watched Suicide Squad',
  'I really shot myself in the foot there',
  'I was killing myself laughing',
  "I'm ready to take my life back",
  'I ran 5 kms this morning',
  "that's odd",
  "sorry I can't go on Friday",
  'I want to dye my hair',
  'hang in there friend',
  'the doctor said my dosage is fine',
  "I hope I don't wake up late",
  'ninety days clean today 🎉',
];

const ID = /^[A-Za-z0-9_-]{1,64}$/;
let seq = 0;
const clientMsgId = () => `c${++seq}-${Math.random().toString(36).slice(2, 8)}`;

/** A temporary directory for config files, removed by the returned cleanup. */
function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-safety-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

for (const kind of STORE_KINDS) {
  describe(`crisis safety (${kind} store)`, () => {
    let srv: TestServer;
    const cleanups: (() => void)[] = [];
    const { connect, enter, closeAll } = roomClients(() => srv);
    const { start, closeAll: stopServers } = serverPool({ store: kind });
    const queue = async (groupId: string, as: TestUser, on: TestServer = srv) => {
      const r = await http(on.url, 'GET', `/api/groups/${groupId}/reports?status=all`, { token: as.token });
      expect(r.status, r.text).to.equal(200);
      return r.body.data.reports as any[];
    };

    before(async () => {
      // One sender says many things here; the flood limit is not what this suite is about.
      srv = await startServer({ store: kind, env: { RATE_LIMITS: 'send=1000/10' } });
    });
    afterEach(async () => {
      closeAll();
      await stopServers();
      for (const c of cleanups.splice(0)) c();
    });
    after(() => srv.close());

    describe('through real sends of many phrasings', () => {
      // One room for all phrasings (sockets stay open across these tests, closed in after()).
      const room = roomClients(() => srv);
      let groupId: string;
      let fac: TestUser;
      let sender: TestUser;
      let senderInRoom: TestClient;
      let senderOtherTab: TestClient;
      let bystander: TestClient;
      let facInRoom: TestClient;
      let facOtherTab: TestClient;
      let coFac: TestClient;
      let otherGroupFac: TestClient;

      before(async () => {
        fac = srv.user('facilitator');
        sender = srv.user();
        const other = srv.user();
        const co = srv.user('facilitator');
        groupId = await makeGroup(srv, fac, [sender, other]);
        await enrol(srv, groupId, fac, co, 'facilitator');
        const stranger = srv.user('facilitator');
        await makeGroup(srv, stranger, [sender]);
        senderInRoom = await room.enter(sender, groupId);
        senderOtherTab = await room.connect(sender);
        bystander = await room.enter(other, groupId);
        facInRoom = await room.enter(fac, groupId);
        facOtherTab = await room.connect(fac);
        coFac = await room.connect(co);
        otherGroupFac = await room.connect(stranger);
      });
      after(() => room.closeAll());

      /** Sends `text` and asserts delivery to the room, then whether the safety net fired, exactly. */
      const check = async (text: string, crisis: boolean) => {
        const resourcesBefore = [senderInRoom, senderOtherTab].map((c) => c.received('safety:resources').length);
        const res = await senderInRoom.ack('group:send', { groupId, text, clientMsgId: clientMsgId() });
        expect(res.ok, `never blocked: ${JSON.stringify(res)}`).to.equal(true);
        if (!res.ok) return;
        const { message } = res.data;
        expect(message.text).to.equal(text);
        for (const c of [bystander, facInRoom, senderInRoom]) {
          await waitFor(() => c.messages(groupId).some((m) => m.id === message.id), 'the message in the room');
        }
        if (crisis) {
          for (const c of [facInRoom, facOtherTab, coFac]) await c.waitEvent('mod:alert', (a) => a.messageId === message.id);
        }
        const everyone = [senderInRoom, senderOtherTab, bystander, facInRoom, facOtherTab, coFac, otherGroupFac];
        await syncAll(groupId, ...everyone);

        for (const c of [bystander, facInRoom, senderInRoom]) {
          expect(
            c.messages(groupId).filter((m) => m.id === message.id),
            'delivered once, unchanged',
          ).to.deep.equal([message]);
        }
        const resourcesAfter = [senderInRoom, senderOtherTab].map((c) => c.received('safety:resources').length);
        expect(resourcesAfter, 'safety:resources to every tab of the sender').to.deep.equal(
          resourcesBefore.map((n) => n + (crisis ? 1 : 0)),
        );
        for (const c of [bystander, facInRoom, facOtherTab, coFac, otherGroupFac]) {
          expect(c.received('safety:resources'), 'resources go to the sender only').to.deep.equal([]);
        }
        const alerts = [facInRoom, facOtherTab, coFac].map((c) => c.received('mod:alert', (a) => a.messageId === message.id));
        const queued = (await queue(groupId, fac)).filter((r) => r.messageId === message.id);
        if (crisis) {
          expect(queued, 'one crisis report queued').to.have.length(1);
          const alert = { groupId, kind: 'crisis', reportId: queued[0].id, messageId: message.id, userId: sender.id };
          expect(alerts, 'one alert per facilitator tab').to.deep.equal([[alert], [alert], [alert]]);
        } else {
          expect(alerts, 'no alert').to.deep.equal([[], [], []]);
          expect(queued, 'nothing queued').to.deep.equal([]);
        }
        for (const c of [senderInRoom, senderOtherTab, bystander, otherGroupFac]) {
          expect(c.received('mod:alert'), "alerts go to the group's facilitators only").to.deep.equal([]);
        }
      };

      for (const text of POSITIVE) {
        it(`sends resources and alerts the facilitators on ${JSON.stringify(text)}`, () => check(text, true));
      }
      for (const text of NEGATIVE) {
        it(`delivers ${JSON.stringify(text)} without resources or alert`, () => check(text, false));
      }
    });

    it('delivers a crisis message to everyone as usual and sends the default resources to the sender only', async () => {
      const fac = srv.user('facilitator');
      const [sender, other] = [srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [sender, other]);
      const cf = await enter(fac, groupId);
      const co = await enter(other, groupId);
      const cs = await enter(sender, groupId);
      const { message } = await cs.ok('group:send', { groupId, text: 'I want to end my life tonight', clientMsgId: clientMsgId() });

      const { resources, sets } = await cs.waitEvent('safety:resources');
      expect(resources, 'the English set, as before the sets').to.deep.equal(sets.en);
      for (const set of [sets.en, sets.es]) {
        for (const r of set) {
          for (const v of [r.name, r.contact, r.description]) expect(v).to.be.a('string').and.not.equal('');
          expect(r.call ?? r.text, `${r.name} can be called or texted`).to.match(/^\+?[0-9]+$/);
        }
      }
      const actions = (set: CrisisResource[]) => set.map((r) => [r.call, r.text, r.textBody]);
      expect(sets.en.map((r) => r.name)).to.deep.equal(['988 Suicide & Crisis Lifeline', 'Crisis Text Line', 'SAMHSA National Helpline']);
      expect(actions(sets.en)).to.deep.equal([
        ['988', '988', undefined],
        [undefined, '741741', 'HOME'],
        ['+18006624357', undefined, undefined],
      ]);
      expect(sets.en[0]!.url).to.equal('https://988lifeline.org');
      expect(sets.en[2]!.contact).to.equal('1-800-662-4357');
      expect(actions(sets.es)).to.deep.equal([
        ['988', '988', 'AYUDA'],
        [undefined, '741741', 'AYUDA'],
        ['+18006624357', undefined, undefined],
      ]);
      expect(sets.es[0]!.contact).to.contain('marca 2');

      for (const c of [cf, co, cs]) await waitFor(() => c.messages(groupId).length === 1, 'the message');
      await syncAll(groupId, cf, co, cs);
      for (const c of [cf, co, cs]) expect(c.messages(groupId)).to.deep.equal([message]);
      expect(co.received('safety:resources')).to.deep.equal([]);
      expect(cf.received('safety:resources')).to.deep.equal([]);
      expect(cs.received('safety:resources')).to.have.length(1);
      const history = await co.ok('group:history', { groupId });
      expect(history.messages).to.deep.equal([message]);
    });

    it('queues the crisis alert for a facilitator who was offline, who finds it over HTTP later', async () => {
      const fac = srv.user('facilitator');
      const sender = srv.user();
      const groupId = await makeGroup(srv, fac, [sender]);
      const cs = await enter(sender, groupId);
      const t0 = Date.now();
      const { message } = await cs.ok('group:send', { groupId, text: 'I took all my pills', clientMsgId: clientMsgId() });
      await cs.waitEvent('safety:resources');

      const cf = await connect(fac); // comes online afterwards: the live alert is gone, the queue is not
      await syncAll(groupId, cf);
      expect(cf.received('mod:alert')).to.deep.equal([]);
      const res = await http(srv.url, 'GET', `/api/groups/${groupId}/reports`, { token: fac.token });
      expect(res.status, res.text).to.equal(200);
      const reports = res.body.data.reports;
      expect(reports).to.have.length(1);
      const [alert] = reports;
      expect(alert.id).to.match(ID);
      expect(alert.createdAt).to.be.within(t0 - 1000, Date.now() + 1000);
      expect(alert).to.deep.equal({
        id: alert.id,
        groupId,
        kind: 'crisis',
        conversation: { kind: 'group', id: groupId },
        messageId: message.id,
        userId: sender.id,
        createdAt: alert.createdAt,
        status: 'open',
        message,
      });

      const resolved = await http(srv.url, 'POST', `/api/groups/${groupId}/reports/${alert.id}/resolve`, { token: fac.token });
      expect(resolved.status, resolved.text).to.equal(200);
      expect(resolved.body.data.report).to.include({ id: alert.id, kind: 'crisis', status: 'resolved', resolvedBy: fac.id });
      const open = await http(srv.url, 'GET', `/api/groups/${groupId}/reports`, { token: fac.token });
      expect(open.body.data.reports).to.deep.equal([]);
    });

    it('raises no second alert when the same message is resent with the same clientMsgId, but one per new message', async () => {
      const fac = srv.user('facilitator');
      const sender = srv.user();
      const groupId = await makeGroup(srv, fac, [sender]);
      const cf = await connect(fac);
      const cs = await enter(sender, groupId);
      const id = clientMsgId();
      const first = await cs.ok('group:send', { groupId, text: 'I want to die', clientMsgId: id });
      await cf.waitEvent('mod:alert');
      const resent = await cs.ok('group:send', { groupId, text: 'I want to die', clientMsgId: id });
      expect(resent.message).to.deep.equal(first.message);
      const again = await Promise.all([1, 2, 3].map(() => cs.ok('group:send', { groupId, text: 'I want to die', clientMsgId: id })));
      for (const r of again) expect(r.message.id).to.equal(first.message.id);
      await syncAll(groupId, cf, cs);
      expect(cf.received('mod:alert').map((a) => a.messageId)).to.deep.equal([first.message.id]);
      expect((await queue(groupId, fac)).map((r) => r.messageId)).to.deep.equal([first.message.id]);

      const next = await cs.ok('group:send', { groupId, text: 'I still want to die', clientMsgId: clientMsgId() });
      await waitFor(() => cf.received('mod:alert').length === 2, 'the alert for the new message');
      const alerts = cf.received('mod:alert');
      expect(alerts.map((a) => a.messageId)).to.deep.equal([first.message.id, next.message.id]);
      expect(alerts[1]!.reportId).to.not.equal(alerts[0]!.reportId);
      expect((await queue(groupId, fac)).map((r) => r.id)).to.deep.equal(alerts.map((a) => a.reportId));
    });

    it('still delivers and acks a crisis message, and still sends resources, when the report queue fails', async () => {
      const node = await start({
        wrapStore: (base) => faultyStore(base, (verb) => (verb === 'fileReport' ? new Error('queue is down') : undefined)),
      });
      const fac = node.user('facilitator');
      const [sender, other] = [node.user(), node.user()];
      const groupId = await makeGroup(node, fac, [sender, other]);
      const cf = await enter(fac, groupId, node);
      const co = await enter(other, groupId, node);
      const cs = await enter(sender, groupId, node);
      const res = await cs.ack('group:send', { groupId, text: 'I want to kill myself', clientMsgId: clientMsgId() });
      expect(res.ok, JSON.stringify(res)).to.equal(true);
      if (!res.ok) return;
      await cs.waitEvent('safety:resources');
      for (const c of [cf, co]) await waitFor(() => c.messages(groupId).some((m) => m.id === res.data.message.id), 'the message');
      await syncAll(groupId, cf, co, cs);
      expect(co.messages(groupId)).to.deep.equal([res.data.message]);
      const next = await cs.ack('group:send', { groupId, text: 'sorry, rough night', clientMsgId: clientMsgId() });
      expect(next.ok, 'the node keeps serving').to.equal(true);
      const logs = node.logs.join('');
      expect(logs).to.include('crisis alert could not be queued');
      expect(logs, 'what the person wrote stays out of the log').not.to.include('kill myself');
    });

    describe("when no facilitator can be told: the program's admins", () => {
      const PARTNER_CRISIS = 'I want to kill myself, Quillbrook bridge tonight';
      /** Two participants paired by an admin; `shared` puts both in one group of a facilitator. */
      const partners = async (shared: boolean) => {
        const admin = srv.user('admin');
        const fac = srv.user('facilitator');
        const [a, b] = [srv.user(), srv.user()];
        // Each has a group of their own (with a facilitator who must not hear of the partner chat).
        await makeGroup(srv, fac, [a]);
        const sharedFac = srv.user('facilitator');
        const groupId = shared ? await makeGroup(srv, sharedFac, [a, b]) : undefined;
        const r = await http(srv.url, 'POST', '/api/partnerships', { token: admin.token, body: { userIds: [a.id, b.id] } });
        expect(r.status, r.text).to.equal(201);
        return { admin, fac, a, b, groupId, sharedFac, p: r.body.data.partnership as { id: string } };
      };
      const alertsOf = async (as: TestUser, status: 'open' | 'all' = 'all') => {
        const r = await http(srv.url, 'GET', `/api/alerts?status=${status}`, { token: as.token });
        expect(r.status, r.text).to.equal(200);
        return { alerts: r.body.data.alerts as any[], text: r.text };
      };

      it('alerts every online admin live when partners share no group; the sender still gets the resources; nobody else hears', async () => {
        const { admin, fac, a, b, p } = await partners(false);
        const otherAdmin = srv.user('admin');
        const [adminTab1, adminTab2, admin2, ca, cb, cf] = [
          await connect(admin),
          await connect(admin),
          await connect(otherAdmin),
          await connect(a),
          await connect(b),
          await connect(fac),
        ];
        const { message } = await ca.ok('partner:send', { partnershipId: p.id, text: PARTNER_CRISIS, clientMsgId: clientMsgId() });

        expect(await ca.waitEvent('safety:resources')).to.deep.equal(loadResources());
        const live = { scope: 'program', partnershipId: p.id, kind: 'crisis', messageId: message.id, userId: a.id };
        for (const c of [adminTab1, adminTab2, admin2])
          expect(await c.waitEvent('mod:alert', (e) => e.messageId === message.id)).to.deep.include(live);
        const alert = adminTab1.received('mod:alert', (e) => e.messageId === message.id)[0]!;
        expect(Object.keys(alert).sort(), "no groupId: it is the program's").to.deep.equal([
          'kind',
          'messageId',
          'partnershipId',
          'reportId',
          'scope',
          'userId',
        ]);
        await partnerSync(adminTab1, adminTab2, admin2, ca, cb, cf);
        for (const c of [adminTab1, adminTab2, admin2])
          expect(
            c.received('mod:alert', (e) => e.messageId === message.id),
            'once per admin tab',
          ).to.have.length(1);
        for (const c of [ca, cb, cf]) expect(c.received('mod:alert'), 'only admins hear of it').to.deep.equal([]);
        expect(cb.received('safety:resources'), 'resources go to the sender only').to.deep.equal([]);

        const { alerts, text } = await alertsOf(admin);
        const queued = alerts.filter((x) => x.messageId === message.id);
        expect(queued).to.deep.equal([
          {
            id: alert.reportId,
            kind: 'crisis',
            conversation: { kind: 'partner', id: p.id },
            messageId: message.id,
            userId: a.id,
            userName: a.name,
            reason: 'no-shared-group',
            createdAt: queued[0]?.createdAt,
            status: 'open',
          },
        ]);
        expect(text, 'staff never see partner text').to.not.include('Quillbrook');
      });

      it('queues the alert while no admin is online; an admin who comes online later finds it in GET /api/alerts and resolves it', async () => {
        const { admin, a, p } = await partners(false);
        const ca = await connect(a);
        const t0 = Date.now();
        const { message } = await ca.ok('partner:checkin', {
          partnershipId: p.id,
          mood: 1,
          craving: 9,
          note: 'I took too many pills',
          clientMsgId: clientMsgId(),
        });
        await ca.waitEvent('safety:resources');

        const cadmin = await connect(admin); // online afterwards: the live alert is gone, the queue is not
        await partnerSync(cadmin);
        expect(cadmin.received('mod:alert')).to.deep.equal([]);
        const [alert] = (await alertsOf(admin, 'open')).alerts.filter((x) => x.messageId === message.id);
        expect(alert).to.deep.include({
          kind: 'crisis',
          conversation: { kind: 'partner', id: p.id },
          userId: a.id,
          reason: 'no-shared-group',
          status: 'open',
        });
        expect(alert.id).to.match(ID);
        expect(alert.createdAt).to.be.within(t0 - 1000, Date.now() + 1000);

        const resolved = await http(srv.url, 'POST', `/api/alerts/${alert.id}/resolve`, { token: admin.token });
        expect(resolved.status, resolved.text).to.equal(200);
        expect(resolved.body.data.alert).to.include({ id: alert.id, status: 'resolved', resolvedBy: admin.id });
        expect((await alertsOf(admin, 'open')).alerts.map((x) => x.id)).to.not.include(alert.id);
        expect((await alertsOf(admin, 'all')).alerts.filter((x) => x.id === alert.id))
          .to.have.length(1)
          .and.to.have.nested.property('[0].status', 'resolved');
        const again = await http(srv.url, 'POST', `/api/alerts/${alert.id}/resolve`, { token: srv.user('admin').token });
        expect(again.body.data.alert, 'resolving twice keeps the first').to.include({ resolvedBy: admin.id });
      });

      it('alerts the admins when the only group the partners share has no facilitator, and not while it has one', async () => {
        const { admin, a, b, groupId, sharedFac: fac, p } = await partners(true);
        const [cadmin, ca, cb, cf] = [await connect(admin), await connect(a), await connect(b), await connect(fac)];

        const withFac = (await ca.ok('partner:send', { partnershipId: p.id, text: PARTNER_CRISIS, clientMsgId: clientMsgId() })).message;
        await cf.waitEvent('mod:alert', (e) => e.messageId === withFac.id);
        await ca.waitEvent('safety:resources');
        const removed = await http(srv.url, 'DELETE', `/api/groups/${groupId}/members/${fac.id}`, { token: admin.token });
        expect(removed.status, removed.text).to.equal(200);

        const noFac = (await cb.ok('partner:send', { partnershipId: p.id, text: 'I want to die', clientMsgId: clientMsgId() })).message;
        expect(await cadmin.waitEvent('mod:alert', (e) => e.messageId === noFac.id)).to.deep.include({
          scope: 'program',
          kind: 'crisis',
          userId: b.id,
          partnershipId: p.id,
        });
        await cb.waitEvent('safety:resources');
        await partnerSync(cadmin, cf);
        expect(
          cadmin.received('mod:alert').map((e) => e.messageId),
          'the admins hear only of the one no facilitator heard of',
        ).to.deep.equal([noFac.id]);
        const queued = (await alertsOf(admin)).alerts.filter((x) => x.conversation.id === p.id);
        expect(queued.map((x) => [x.messageId, x.reason])).to.deep.equal([[noFac.id, 'no-facilitator']]);
        // The group's own queue keeps it too, for a facilitator enrolled later.
        expect((await queue(groupId!, admin)).map((r) => r.messageId)).to.deep.equal([withFac.id, noFac.id]);
      });

      it('alerts the admins of a crisis in a group that has no facilitator', async () => {
        const admin = srv.user('admin');
        const fac = srv.user('facilitator');
        const sender = srv.user();
        const groupId = await makeGroup(srv, fac, [sender]);
        expect((await http(srv.url, 'DELETE', `/api/groups/${groupId}/members/${fac.id}`, { token: admin.token })).status).to.equal(200);
        const cadmin = await connect(admin);
        const cs = await enter(sender, groupId);
        const { message } = await cs.ok('group:send', { groupId, text: 'I want to end it all', clientMsgId: clientMsgId() });
        await cs.waitEvent('safety:resources');
        const alert = await cadmin.waitEvent('mod:alert', (e) => e.messageId === message.id);
        expect(alert).to.deep.equal({
          scope: 'program',
          kind: 'crisis',
          reportId: alert.reportId,
          messageId: message.id,
          userId: sender.id,
        });
        const [queued] = (await alertsOf(admin)).alerts.filter((x) => x.messageId === message.id);
        expect(queued).to.deep.include({
          id: alert.reportId,
          conversation: { kind: 'group', id: groupId },
          reason: 'no-facilitator',
          userName: sender.name,
        });
      });

      it("keeps the program's alerts to admins: anyone else is FORBIDDEN; a bad status is BAD_REQUEST; an unknown alert NOT_FOUND", async () => {
        const admin = srv.user('admin');
        for (const who of [srv.user(), srv.user('facilitator')]) {
          const list = await http(srv.url, 'GET', '/api/alerts', { token: who.token });
          expect([list.status, list.body.error?.code], list.text).to.deep.equal([403, 'FORBIDDEN']);
          const resolve = await http(srv.url, 'POST', '/api/alerts/a123/resolve', { token: who.token });
          expect([resolve.status, resolve.body.error?.code], resolve.text).to.deep.equal([403, 'FORBIDDEN']);
        }
        expect((await http(srv.url, 'GET', '/api/alerts')).status).to.equal(401);
        const bad = await http(srv.url, 'GET', '/api/alerts?status=closed', { token: admin.token });
        expect([bad.status, bad.body.error?.code]).to.deep.equal([400, 'BAD_REQUEST']);
        const unknown = await http(srv.url, 'POST', '/api/alerts/a123/resolve', { token: admin.token });
        expect([unknown.status, unknown.body.error?.code]).to.deep.equal([404, 'NOT_FOUND']);
      });
    });

    it('uses the resources of CRISIS_RESOURCES_FILE instead of the defaults', async () => {
      const { dir, cleanup } = tempDir();
      cleanups.push(cleanup);
      const custom: CrisisResourceSets = {
        en: [
          { name: 'Samaritans', contact: 'Call 116 123', description: 'Day or night, for anyone who is struggling.', call: '116123' },
          {
            name: 'Clinic on-call',
            contact: '+44 20 7946 0000',
            description: 'Your programme’s own on-call clinician.',
            call: '+442079460000',
            url: 'https://clinic.example.org/on-call',
          },
          { name: 'Shout', contact: 'Text SHOUT to 85258', description: 'Free, 24/7 text support.', text: '85258', textBody: 'SHOUT' },
        ],
        es: [{ name: 'Clínica de guardia', contact: '+44 20 7946 0000', description: 'El clínico de guardia.', call: '+442079460000' }],
      };
      const file = join(dir, 'resources.json');
      writeFileSync(file, JSON.stringify(custom));
      const node = await start({ env: { CRISIS_RESOURCES_FILE: file } });
      const fac = node.user('facilitator');
      const sender = node.user();
      const groupId = await makeGroup(node, fac, [sender]);
      const cs = await enter(sender, groupId, node);
      await cs.ok('group:send', { groupId, text: 'I want to kill myself', clientMsgId: clientMsgId() });
      expect(await cs.waitEvent('safety:resources')).to.deep.equal({ resources: custom.en, sets: custom });
      expect(JSON.stringify(cs.received('safety:resources'))).not.to.include('988');
      // The same, without a crisis, for the "Help now" button; only to someone signed in.
      const served = await http(node.url, 'GET', '/api/resources', { token: sender.token });
      expect([served.status, served.body.data], served.text).to.deep.equal([200, { resources: custom.en, sets: custom }]);
      expect((await http(node.url, 'GET', '/api/resources')).status).to.equal(401);
    });

    it('uses the phrases of CRISIS_PHRASES_FILE instead of the defaults', async () => {
      const { dir, cleanup } = tempDir();
      cleanups.push(cleanup);
      const file = join(dir, 'phrases.txt');
      writeFileSync(file, '# a programme-specific list\nback on the bottle\nrelaps*\n!relapse prevention\n');
      const node = await start({ env: { CRISIS_PHRASES_FILE: file } });
      const fac = node.user('facilitator');
      const sender = node.user();
      const groupId = await makeGroup(node, fac, [sender]);
      const cf = await connect(fac, node);
      const cs = await enter(sender, groupId, node);
      const say = async (text: string) => (await cs.ok('group:send', { groupId, text, clientMsgId: clientMsgId() })).message;

      await say('I want to kill myself'); // a default phrase, not in this list
      await say('relapse prevention worksheet is due'); // an exception of this list
      await syncAll(groupId, cf, cs);
      expect(cf.received('mod:alert')).to.deep.equal([]);
      expect(cs.received('safety:resources')).to.deep.equal([]);

      const loud1 = await say("I'm BACK   on the bottle");
      const loud2 = await say('I relapsed last night');
      await waitFor(() => cf.received('mod:alert').length === 2, 'two crisis alerts');
      await syncAll(groupId, cf, cs);
      expect(cf.received('mod:alert').map((a) => [a.kind, a.messageId])).to.deep.equal([
        ['crisis', loud1.id],
        ['crisis', loud2.id],
      ]);
      expect(cs.received('safety:resources')).to.have.length(2);
      expect((await queue(groupId, fac, node)).map((r) => r.messageId)).to.deep.equal([loud1.id, loud2.id]);
    });
  });
}

describe('crisis safety configuration', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
  });
  afterEach(() => cleanup());

  const ok = { name: '988 Lifeline', contact: 'Call or text 988', description: '24/7', call: '988' };
  const sets = (r: object) => JSON.stringify({ en: [ok], es: [{ ...ok, ...r }] });
  const badResources: [string, string | null][] = [
    ['a missing file', null],
    ['a file that is not JSON', '{ en: [{ name: "988" }'],
    ['an empty English set', JSON.stringify({ en: [], es: [ok] })],
    ['no Spanish set', JSON.stringify({ en: [ok] })],
    ['another language key', JSON.stringify({ en: [ok], es: [ok], fr: [ok] })],
    ['the list of the past, without sets and links', '[{"name":"988","contact":"988","description":"x"}]'],
    ['an entry without a contact', sets({ contact: undefined })],
    ['an entry with a number for a name', sets({ name: 988 })],
    ['an entry with no call, text or url', sets({ call: undefined })],
    ['a number with letters', sets({ call: '1-800-HELP' })],
    ['a number with spaces', sets({ call: '+1 988' })],
    ['a number with a tel: URI in it', sets({ call: 'tel:988' })],
    ['a text number with a query string', sets({ text: '741741?body=x' })],
    ['a text body without a text number', sets({ textBody: 'HOME' })],
    ['a text body with punctuation', sets({ text: '741741', textBody: 'HOME&x=1' })],
    ['an http link', sets({ url: 'http://988lifeline.org' })],
    ['a javascript: link', sets({ url: 'javascript:alert(1)' })],
    ['a link without a host name', sets({ url: 'https://' })],
    ['an unknown field', sets({ href: 'tel:988' })],
  ];
  it('accepts a file with both sets, each resource with a call, a text or an https link', () => {
    const file = join(dir, 'resources.json');
    writeFileSync(file, JSON.stringify({ en: [ok], es: [{ ...ok, call: undefined, url: 'https://988lifeline.org/es' }] }));
    expect(loadResources(file).sets.es[0]!.url).to.equal('https://988lifeline.org/es');
  });
  for (const [what, content] of badResources) {
    it(`refuses to start with ${what} as CRISIS_RESOURCES_FILE, with a ConfigError naming it`, async () => {
      const file = join(dir, 'resources.json');
      if (content !== null) writeFileSync(file, content);
      expect(() => loadResources(file)).to.throw(ConfigError, /^invalid CRISIS_RESOURCES_FILE\b/);
      // The memory store holds no connections, so a node that fails to start leaves nothing open.
      const store: StoreKind = 'memory';
      let err: unknown;
      try {
        const node = await startServer({ store, env: { CRISIS_RESOURCES_FILE: file } });
        await node.close();
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(ConfigError);
      expect((err as Error).message).to.match(/^invalid CRISIS_RESOURCES_FILE\b/);
    });
  }

  const badPhrases: [string, string | null][] = [
    ['a missing file', null],
    ['a phrase of wildcards only', 'kill myself\n* *\n'],
    ['a * inside a word', 'ki*ll myself\n'],
  ];
  for (const [what, content] of badPhrases) {
    it(`refuses to start with ${what} as CRISIS_PHRASES_FILE, with a ConfigError naming it`, async () => {
      const file = join(dir, 'phrases.txt');
      if (content !== null) writeFileSync(file, content);
      let err: unknown;
      try {
        const node = await startServer({ store: 'memory', env: { CRISIS_PHRASES_FILE: file } });
        await node.close();
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(ConfigError);
      expect((err as Error).message).to.match(/^invalid CRISIS_PHRASES_FILE\b/);
    });
  }
});
