// Escalation across nodes (docs/protocol.md §7.1): two real server processes poll one store for
// due escalations; each step reaches the webhook exactly once, also when the node that raised the
// alert is SIGKILLed before it is due.
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { roomClients } from '../support/room.js';
import { type Delivery, verifySignature, webhookReceiver } from '../support/webhook-receiver.js';
import { Cluster, type ClusterNode } from './cluster.js';

const SECRET = randomBytes(24).toString('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Step → how many deliveries of it, for one alert. */
function stepsOf(deliveries: Delivery[], alertId: string): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const d of deliveries.filter((x) => x.body.alertId === alertId)) counts[d.body.step] = (counts[d.body.step] ?? 0) + 1;
  return counts;
}

describe('cluster: escalation, each step once across nodes', function () {
  this.timeout(90_000);

  let cluster: Cluster;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  let A: ClusterNode;
  let B: ClusterNode;
  const { connect, enter, sent, group, closeAll } = roomClients(() => ({ url: A.url, user: (role) => cluster.user(role) }));

  before(async () => {
    receiver = await webhookReceiver();
    cluster = await Cluster.start(2, {
      env: {
        ESCALATE_AFTER_SEC: '3',
        ESCALATION_REPEAT_SEC: '2',
        ESCALATION_WEBHOOK_URL: receiver.url,
        ESCALATION_WEBHOOK_SECRET: SECRET,
      },
    });
    [A, B] = cluster.nodes as [ClusterNode, ClusterNode];
  });
  afterEach(() => closeAll());
  after(async () => {
    await cluster?.close();
    await receiver?.close();
  });

  it('with two nodes polling, pages steps 1, 2, 3… once each until a facilitator acknowledges', async () => {
    const {
      fac,
      people: [member],
      groupId,
    } = await group(1);
    closeAll(); // the facilitator goes offline: the alert escalates at once
    await sleep(200);
    const memberA = await enter(member, groupId, A);
    await sent(memberA, groupId, 'I want to kill myself');
    await sleep(5500); // steps 1 (at once), 2 (+2 s), 3 (+4 s)
    const facB = await connect(fac, B);
    const [alert] = (await facB.ok('alert:list', {})).alerts;
    await facB.ok('alert:ack', { groupId, alertId: alert!.id });
    await sleep(3000);
    const counts = stepsOf(receiver.deliveries, alert!.id);
    const steps = Object.keys(counts).map(Number);
    // 1 at once, then one every 2 s until the acknowledgement ~6 s in: a claim that did not move the
    // due time forward would page every poll.
    expect(steps.length, JSON.stringify(counts)).to.be.within(3, 4);
    expect(steps, 'no step skipped').to.deep.equal(steps.map((_, i) => i + 1));
    expect(Object.values(counts), 'each step delivered once').to.deep.equal(steps.map(() => 1));
    for (const d of receiver.deliveries) expect(verifySignature(SECRET, d.signature, d.raw)).to.equal(true);
  });

  it('escalates an alert raised on node A after A is SIGKILLed, once, from node B', async () => {
    const {
      fac,
      people: [member],
      groupId,
    } = await group(1);
    await connect(fac, B); // online on B (stays online): the alert waits ESCALATE_AFTER_SEC
    const memberA = await enter(member, groupId, A);
    const message = await sent(memberA, groupId, 'I want to kill myself');
    await cluster.kill(A);
    await sleep(4500);
    const facB = await connect(fac, B);
    const alert = (await facB.ok('alert:list', {})).alerts.find((a) => a.messageId === message.id)!;
    await facB.ok('alert:ack', { groupId, alertId: alert.id });
    await sleep(2500);
    const counts = stepsOf(receiver.deliveries, alert.id);
    expect(counts[1], JSON.stringify(counts)).to.equal(1);
    expect(
      Object.values(counts).every((n) => n === 1),
      JSON.stringify(counts),
    ).to.equal(true);
    const first = receiver.deliveries.find((d) => d.body.alertId === alert.id)!;
    expect(first.body.at - alert.createdAt).to.be.at.least(3000);
  });
});
