// Escalation (docs/protocol.md §7.1, §7.2): a crisis alert nobody acknowledges goes to the
// program's on-call staff and a signed webhook, at once when no facilitator of its group is online
// or it has no group, else after ESCALATE_AFTER_SEC, and again every ESCALATION_REPEAT_SEC.
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { http, makeGroup, randomId, serverPool, STORE_KINDS, type TestServer } from '../support/server.js';
import { verifySignature, webhookReceiver } from '../support/webhook-receiver.js';

const CRISIS = 'I want to kill myself tonight';
const AFTER_SEC = 3;
const SECRET = randomBytes(24).toString('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const kind of STORE_KINDS) {
  describe(`escalation (${kind} store)`, function () {
    this.timeout(20_000);
    let srv: TestServer;
    let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
    const { start, closeAll: stopServers } = serverPool({ store: kind });
    const { connect, enter, sent, closeAll } = roomClients(() => srv);
    const onCallId = randomId('oncall');

    const startWith = async (env: Record<string, string> = {}, failFirst = 0) => {
      receiver = await webhookReceiver({ failFirst });
      srv = await start({
        env: {
          ESCALATE_AFTER_SEC: String(AFTER_SEC),
          ESCALATION_REPEAT_SEC: '60',
          ON_CALL: onCallId,
          ESCALATION_WEBHOOK_URL: receiver.url,
          ESCALATION_WEBHOOK_SECRET: SECRET,
          METRICS_TOKEN: 'm'.repeat(16),
          ...env,
        },
      });
    };
    const onCall = () => connect({ token: srv.token({ id: onCallId, name: 'On call', role: 'participant' }) });

    const firstDelivery = () => waitFor(() => receiver.deliveries[0], 'webhook delivery', 2500);
    /** The whole webhook body: nothing else may be in it. */
    const hookOf = (alertId: string, group: { groupId?: string }, at: number) => ({
      type: 'alert.escalated',
      alertId,
      kind: 'crisis',
      severity: 'crisis',
      ...group,
      step: 1,
      at,
      link: `/#alert=${alertId}`,
    });

    afterEach(async () => {
      closeAll();
      await stopServers();
      await receiver?.close();
    });

    /** A group whose facilitator is enrolled (connected only when `online`) and a member in the room. */
    const group = async (online: boolean) => {
      const [fac, member] = [srv.user('facilitator', 'Fay Facilitator'), srv.user('participant', 'Quillon Member')];
      const groupId = await makeGroup(srv, fac, [member]);
      const cf = online ? await connect(fac) : undefined;
      const cm = await enter(member, groupId);
      return { fac, member, groupId, cf, cm };
    };

    it('escalates at once when no facilitator of the group is online: alert:escalated to the on-call staff, and a signed webhook with ids only', async () => {
      await startWith();
      const oc = await onCall();
      const { groupId, cm, member } = await group(false);
      const message = await sent(cm, groupId, CRISIS);
      const live = await oc.waitEvent('alert:escalated', undefined, 2500);
      expect(live.step).to.equal(1);
      expect(live.alert).to.include({ scope: 'group', groupId, kind: 'crisis', severity: 'crisis', status: 'open', messageId: message.id });
      expect(live.at - live.alert.createdAt).to.be.below(AFTER_SEC * 1000);

      const d = await firstDelivery();
      expect(d.body).to.deep.equal(hookOf(live.alert.id, { groupId }, d.body.at));
      expect(verifySignature(SECRET, d.signature, d.raw)).to.equal(true);
      expect(verifySignature(SECRET, d.signature, d.raw.replace('"step":1', '"step":2')), 'a changed body fails').to.equal(false);
      expect(verifySignature(SECRET, d.signature, d.raw, Math.floor(Date.now() / 1000) + 600), 'an old timestamp fails').to.equal(false);
      for (const secretish of ['kill', 'Quillon', 'Fay', member.id, message.id]) expect(d.raw).not.to.include(secretish);
      await sleep(1500);
      expect(receiver.attempts, 'one delivery for step 1').to.have.length(1);
    });

    it('escalates only after ESCALATE_AFTER_SEC when a facilitator is online but silent', async () => {
      await startWith();
      const oc = await onCall();
      const { groupId, cm } = await group(true);
      await sent(cm, groupId, CRISIS);
      const live = await oc.waitEvent('alert:escalated', undefined, (AFTER_SEC + 2) * 1000);
      expect(live.at - live.alert.createdAt).to.be.at.least(AFTER_SEC * 1000);
      const d = await waitFor(() => receiver.deliveries[0], 'webhook delivery', 2500);
      expect(d.body).to.include({ alertId: live.alert.id, step: 1 });
    });

    it('does not escalate an alert acknowledged before the delay; the acknowledgement is in bridge_alert_ack_seconds', async () => {
      await startWith();
      const oc = await onCall();
      const { groupId, cm, cf } = await group(true);
      await sent(cm, groupId, CRISIS);
      const alert = await cf!.waitEvent('alert:changed', (a) => a.kind === 'crisis');
      await cf!.ok('alert:ack', { alertId: alert.id, groupId });
      await sleep((AFTER_SEC + 1.5) * 1000);
      expect(oc.received('alert:escalated')).to.deep.equal([]);
      expect(receiver.attempts).to.deep.equal([]);
      const metrics = await fetch(`${srv.url}/metrics`, { headers: { authorization: `Bearer ${'m'.repeat(16)}` } });
      expect(await metrics.text()).to.match(/^bridge_alert_ack_seconds_count 1$/m);
    });

    it('escalates a report with reason crisis like a crisis phrase, and never an ordinary report', async () => {
      await startWith();
      const oc = await onCall();
      const { groupId, cm } = await group(false);
      const m = await sent(cm, groupId, 'my sponsor said something worrying');
      const report = (messageId: string, reason: 'crisis' | 'harassment') =>
        cm.ok('report', { conversation: { kind: 'group', id: groupId }, messageId, reason });
      const { reportId: ordinary } = await report(m.id, 'harassment');
      const live = await oc.waitEvent('alert:escalated', undefined, 2500).catch(() => undefined);
      expect(live, 'an ordinary report does not escalate').to.equal(undefined);
      const other = await sent(cm, groupId, 'another worrying message');
      const { reportId } = await report(other.id, 'crisis');
      const escalated = await oc.waitEvent('alert:escalated', undefined, 2500);
      expect(escalated.alert).to.include({ id: reportId, kind: 'report', severity: 'crisis' });
      expect(receiver.deliveries.map((d) => d.body.alertId)).not.to.include(ordinary);
    });

    it('escalates a crisis between partners who share no group at once (a program alert)', async () => {
      await startWith();
      const oc = await onCall();
      const admin = srv.user('admin');
      const [a, b] = [srv.user(), srv.user()];
      const r = await http(srv.url, 'POST', '/api/partnerships', { token: admin.token, body: { userIds: [a.id, b.id] } });
      expect(r.status, r.text).to.equal(201);
      const ca = await connect(a);
      await ca.ok('partner:send', { partnershipId: r.body.data.partnership.id, text: CRISIS, clientMsgId: 'c1' });
      const live = await oc.waitEvent('alert:escalated', undefined, 2500);
      expect(live.alert).to.include({ scope: 'program', kind: 'crisis', severity: 'crisis' });
      const d = await firstDelivery();
      expect(d.body).to.deep.equal(hookOf(live.alert.id, {}, d.body.at));
    });

    it('pages again every ESCALATION_REPEAT_SEC until someone acknowledges', async () => {
      await startWith({ ESCALATION_REPEAT_SEC: '1', ON_CALL: `${onCallId},role:admin` });
      const oc = await onCall();
      const admin = srv.user('admin');
      const ca = await connect(admin);
      const { groupId, cm } = await group(false);
      await sent(cm, groupId, CRISIS);
      const second = await oc.waitEvent('alert:escalated', (e) => e.step === 2, 4000);
      expect(ca.received('alert:escalated').map((e) => e.step)).to.include(1);
      await ca.ok('alert:ack', { alertId: second.alert.id, groupId });
      const pagesAtAck = receiver.deliveries.length;
      await sleep(2500);
      expect(receiver.deliveries.length, 'at most the page already claimed when the ack came').to.be.at.most(pagesAtAck + 1);
      const steps = receiver.deliveries.map((d) => d.body.step);
      expect(steps.slice(0, 2)).to.deep.equal([1, 2]);
    });

    it('retries a failing receiver (500 twice) with backoff, then delivers once', async () => {
      await startWith({}, 2);
      const { groupId, cm } = await group(false);
      await sent(cm, groupId, CRISIS);
      const d = await waitFor(() => receiver.deliveries[0], 'delivery after two failures', 8000);
      expect(receiver.attempts).to.have.length(3);
      expect(receiver.attempts.map((x) => x.body.alertId)).to.deep.equal([d.body.alertId, d.body.alertId, d.body.alertId]);
      const gaps = [receiver.attempts[1]!.at - receiver.attempts[0]!.at, receiver.attempts[2]!.at - receiver.attempts[1]!.at];
      expect(gaps[0]).to.be.at.least(900);
      expect(gaps[1]).to.be.at.least(1900);
      expect(verifySignature(SECRET, d.signature, d.raw)).to.equal(true);
      expect(srv.logs.join('')).to.include('escalation webhook failed; retrying');
    });
  });
}
