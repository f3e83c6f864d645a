// Web Push for staff devices (docs/protocol.md §5.5): a facilitator's or admin's device subscribes;
// a new alert wakes it with an encrypted push carrying only { type: 'alert', alertId }, sent to a
// push service on the loopback over HTTPS with a certificate this test made; endpoints off
// PUSH_HOSTS are refused; a 410 from the push service removes the subscription.
import { expect } from 'chai';
import webpush from 'web-push';
import { codeOf, waitFor } from '../support/client.js';
import { pushReceiver } from '../support/push-receiver.js';
import { roomClients } from '../support/room.js';
import { enrol, http, makeGroup, serverPool, STORE_KINDS, type TestServer } from '../support/server.js';

const CRISIS = 'I want to kill myself tonight';
const vapid = webpush.generateVAPIDKeys();

for (const kind of STORE_KINDS) {
  describe(`web push for staff (${kind} store)`, function () {
    this.timeout(20_000);
    let srv: TestServer;
    let receiver: Awaited<ReturnType<typeof pushReceiver>>;
    const { start, closeAll: stopServers } = serverPool({ store: kind });
    const { connect, enter, sent, closeAll } = roomClients(() => srv);

    const startWith = async (env: Record<string, string> = {}) => {
      receiver = await pushReceiver();
      srv = await start({
        pushAgent: receiver.agent,
        env: {
          VAPID_PUBLIC_KEY: vapid.publicKey,
          VAPID_PRIVATE_KEY: vapid.privateKey,
          VAPID_SUBJECT: 'mailto:ops@example.org',
          PUSH_HOSTS: 'fcm.googleapis.com,127.0.0.1',
          ...env,
        },
      });
    };

    afterEach(async () => {
      closeAll();
      await stopServers();
      await receiver?.close();
    });

    it('a new crisis alert pushes exactly { type, alertId } to the facilitator and an admin, encrypted for each device', async () => {
      await startWith();
      const [fac, admin, member] = [
        srv.user('facilitator', 'Fay Facilitator'),
        srv.user('admin', 'Ada Admin'),
        srv.user('participant', 'Quillon Member'),
      ];
      const groupId = await makeGroup(srv, fac, [member]);
      const [facSub, adminSub] = [receiver.subscription(), receiver.subscription()];
      const [cf, ca] = [await connect(fac), await connect(admin)];
      await cf.ok('push:subscribe', facSub);
      await ca.ok('push:subscribe', adminSub);
      const cm = await enter(member, groupId);
      await sent(cm, groupId, CRISIS);
      const alert = await cf.waitEvent('alert:changed', undefined, 2500);
      await waitFor(() => receiver.deliveries.length >= 2, 'two pushes', 2500);
      expect(receiver.deliveries.map((d) => d.path).sort()).to.deep.equal(
        [facSub, adminSub].map((s) => new URL(s.endpoint).pathname).sort(),
      );
      for (const d of receiver.deliveries) {
        expect(d.headers['content-encoding']).to.equal('aes128gcm');
        expect(String(d.headers.authorization)).to.match(/^vapid t=.+, k=/);
        expect(JSON.parse(receiver.plaintext(d))).to.deep.equal({ type: 'alert', alertId: alert.id });
        for (const secretish of ['kill', 'Quillon', 'Fay', member.id, groupId]) expect(d.body.toString('latin1')).not.to.include(secretish);
      }
      expect((await http(srv.url, 'GET', '/api/push/key', { token: fac.token })).body.data).to.deep.equal({ publicKey: vapid.publicKey });
    });

    it('a program alert (a group without a facilitator) pushes to the admins who subscribed, not to other staff', async () => {
      await startWith();
      const [admin, lone, other, member] = [srv.user('admin'), srv.user('facilitator'), srv.user('facilitator'), srv.user()];
      const [adminSub, otherSub] = [receiver.subscription(), receiver.subscription()];
      const [ca, co] = [await connect(admin), await connect(other)];
      await ca.ok('push:subscribe', adminSub);
      await co.ok('push:subscribe', otherSub);
      const bare = await makeGroup(srv, lone, [member]);
      await enrol(srv, bare, admin, lone, 'participant');
      const cm = await enter(member, bare);
      await sent(cm, bare, CRISIS);
      const program = await ca.waitEvent('alert:changed', (a) => a.scope === 'program', 2500);
      // The admin also sees the group's own alert (admins staff every group): the program one is among theirs.
      const pushed = () => receiver.deliveries.map((d) => (JSON.parse(receiver.plaintext(d)) as { alertId: string }).alertId);
      await waitFor(() => pushed().includes(program.id), 'the program alert pushed', 2500);
      expect(new Set(receiver.deliveries.map((d) => d.path))).to.deep.equal(new Set([new URL(adminSub.endpoint).pathname]));
    });

    it('a hanging push service does not hold up the ack of the report that raised the alert', async () => {
      await startWith();
      const [fac, member] = [srv.user('facilitator'), srv.user('participant')];
      const groupId = await makeGroup(srv, fac, [member]);
      const cf = await connect(fac);
      await cf.ok('push:subscribe', receiver.subscription());
      const cm = await enter(member, groupId);
      const m = await sent(cm, groupId, 'hello');
      receiver.control.hold = true;
      const acked = cm.ok('report', { conversation: { kind: 'group', id: groupId }, messageId: m.id, reason: 'crisis' });
      await waitFor(() => receiver.deliveries.length === 1, 'the push request in flight', 2500);
      const outcome = await Promise.race([acked.then(() => 'acked'), new Promise((r) => setTimeout(() => r('waiting'), 2000))]);
      expect(outcome, 'acked while the push is unanswered').to.equal('acked');
      receiver.release();
    });

    it('refuses endpoints off PUSH_HOSTS or not https (BAD_REQUEST), and participants (FORBIDDEN)', async () => {
      await startWith();
      const fac = srv.user('facilitator');
      const cf = await connect(fac);
      const keys = receiver.subscription().keys;
      for (const endpoint of [
        'https://evil.example/x',
        'http://127.0.0.1/x',
        'https://fcm.googleapis.com.evil.example/x',
        'https://127.0.0.1.nip.io/x',
      ])
        expect(codeOf(await cf.ack('push:subscribe', { endpoint, keys })), endpoint).to.equal('BAD_REQUEST');
      expect(codeOf(await cf.ack('push:subscribe', { endpoint: 'https://fcm.googleapis.com/fcm/send/abc', keys }))).to.equal('ok');
      const member = srv.user('participant');
      const cm = await connect(member);
      expect(codeOf(await cm.ack('push:subscribe', receiver.subscription()))).to.equal('FORBIDDEN');
      expect(await srv.store.push.pushSubscriptionsOf(member.id)).to.deep.equal([]);
    });

    it('a 410 from the push service removes the subscription; push:unsubscribe removes one; erasure removes all', async () => {
      await startWith();
      const [fac, member] = [srv.user('facilitator'), srv.user('participant')];
      const groupId = await makeGroup(srv, fac, [member]);
      const [dead, alive] = [receiver.subscription('/dead'), receiver.subscription('/alive')];
      receiver.gone.add('/dead');
      const cf = await connect(fac);
      await cf.ok('push:subscribe', dead);
      await cf.ok('push:subscribe', alive);
      const cm = await enter(member, groupId);
      await sent(cm, groupId, CRISIS);
      await waitFor(() => receiver.deliveries.length >= 2, 'two pushes', 2500);
      let left = await srv.store.push.pushSubscriptionsOf(fac.id);
      for (const until = Date.now() + 2500; left.length > 1 && Date.now() < until;) left = await srv.store.push.pushSubscriptionsOf(fac.id);
      expect(left.map((s) => s.endpoint)).to.deep.equal([alive.endpoint]);
      await cf.ok('push:unsubscribe', { endpoint: alive.endpoint });
      expect(await srv.store.push.pushSubscriptionsOf(fac.id)).to.deep.equal([]);
      await cf.ok('push:subscribe', alive);
      expect((await http(srv.url, 'DELETE', '/api/me', { token: fac.token })).status).to.equal(200);
      expect(await srv.store.push.pushSubscriptionsOf(fac.id)).to.deep.equal([]);
    });

    it('is off without VAPID keys: the key is null and subscribing is NOT_FOUND', async () => {
      receiver = await pushReceiver();
      srv = await start({ pushAgent: receiver.agent, env: { PUSH_HOSTS: '127.0.0.1' } });
      const fac = srv.user('facilitator');
      expect((await http(srv.url, 'GET', '/api/push/key', { token: fac.token })).body.data).to.deep.equal({ publicKey: null });
      const cf = await connect(fac);
      expect(codeOf(await cf.ack('push:subscribe', receiver.subscription()))).to.equal('NOT_FOUND');
    });
  });
}
