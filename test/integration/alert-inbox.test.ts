// The staff alert inbox (docs/protocol.md §5.5): every alert is a record that goes open →
// acknowledged → resolved, each step audited, and seen live by the group's other facilitators and
// the admins through their own sockets, wherever they are in the app (not only in the room).
import { expect } from 'chai';
import { codeOf, waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { enrol, http, makeGroup, serverPool, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

const CRISIS = 'I want to kill myself tonight';

for (const kind of STORE_KINDS) {
  describe(`staff alert inbox (${kind} store)`, () => {
    let srv: TestServer;
    const { start, closeAll: stopServers } = serverPool({ store: kind });
    const { connect, enter, sent, closeAll } = roomClients(() => srv);
    const audit = async (groupId: string, as: TestUser) => {
      const r = await http(srv.url, 'GET', `/api/groups/${groupId}/audit?limit=200`, { token: as.token });
      expect(r.status, r.text).to.equal(200);
      return r.body.data.entries as any[];
    };

    beforeEach(async () => {
      srv = await start();
    });
    afterEach(async () => {
      closeAll();
      await stopServers();
    });

    /** A group with two facilitators (both connected, neither in the room) and a participant in it. */
    const staffedGroup = async () => {
      const [fac, fac2, member] = [srv.user('facilitator'), srv.user('facilitator'), srv.user()];
      const groupId = await makeGroup(srv, fac, [member]);
      await enrol(srv, groupId, fac, fac2, 'facilitator');
      const [cf, cf2] = [await connect(fac), await connect(fac2)];
      const cm = await enter(member, groupId);
      return { fac, fac2, member, groupId, cf, cf2, cm };
    };

    it('a crisis reaches every facilitator of the group live, outside the room, as a record with ids only; alert:list puts crisis first', async () => {
      const { fac, member, groupId, cf, cf2, cm } = await staffedGroup();
      const plain = await sent(cm, groupId, 'you are all useless');
      const { reportId } = await cm.ok('report', {
        conversation: { kind: 'group', id: groupId },
        messageId: plain.id,
        reason: 'harassment',
      });
      const message = await sent(cm, groupId, CRISIS);

      for (const c of [cf, cf2]) {
        const live = await c.waitEvent('alert:changed', (a) => a.kind === 'crisis');
        expect(live).to.deep.equal({
          id: live.id,
          scope: 'group',
          groupId,
          kind: 'crisis',
          severity: 'crisis',
          conversation: { kind: 'group', id: groupId },
          messageId: message.id,
          userId: member.id,
          createdAt: live.createdAt,
          status: 'open',
        });
        expect(JSON.stringify(c.received('alert:changed'))).not.to.include('kill');
      }
      const { alerts } = await cf.ok('alert:list', {});
      expect(alerts.map((a) => [a.kind, a.severity, a.status])).to.deep.equal([
        ['crisis', 'crisis', 'open'],
        ['report', 'report', 'open'],
      ]);
      expect(alerts[1]!.id).to.equal(reportId);
      const overHttp = await http(srv.url, 'GET', '/api/inbox', { token: fac.token });
      expect(overHttp.status, overHttp.text).to.equal(200);
      expect(overHttp.body.data.alerts).to.deep.equal(alerts);
      expect((await http(srv.url, 'GET', '/api/inbox', { token: member.token })).body.data.alerts).to.deep.equal([]);
    });

    it('a report with reason crisis is a crisis alert too', async () => {
      const { groupId, cf, cm } = await staffedGroup();
      const m = await sent(cm, groupId, 'I am worried about my sponsor');
      await cm.ok('report', { conversation: { kind: 'group', id: groupId }, messageId: m.id, reason: 'crisis' });
      const live = await cf.waitEvent('alert:changed');
      expect(live).to.include({ kind: 'report', severity: 'crisis', reason: 'crisis' });
    });

    it('acknowledge then resolve with a note: audited once each, seen live by the other facilitator, gone from the open list', async () => {
      const { fac, fac2, groupId, cf, cf2, cm } = await staffedGroup();
      const message = await sent(cm, groupId, CRISIS);
      const opened = await cf2.waitEvent('alert:changed');

      const t0 = Date.now();
      const { alert: acked } = await cf.ok('alert:ack', { groupId, alertId: opened.id });
      expect(acked).to.include({ id: opened.id, status: 'acknowledged', acknowledgedBy: fac.id });
      expect(acked.acknowledgedAt).to.be.within(t0 - 1000, Date.now() + 1000);
      expect(await cf2.waitEvent('alert:changed', (a) => a.status === 'acknowledged')).to.deep.equal(acked);
      // A second acknowledgement keeps the first and is neither audited nor announced again.
      expect((await cf2.ok('alert:ack', { groupId, alertId: opened.id })).alert).to.deep.equal(acked);

      const { alert: resolved } = await cf2.ok('alert:resolve', { groupId, alertId: opened.id, note: 'Called her; she is with family.' });
      expect(resolved).to.include({
        status: 'resolved',
        acknowledgedBy: fac.id,
        resolvedBy: fac2.id,
        resolutionNote: 'Called her; she is with family.',
      });
      expect(await cf.waitEvent('alert:changed', (a) => a.status === 'resolved')).to.deep.equal(resolved);
      expect((await cf.ok('alert:resolve', { groupId, alertId: opened.id, note: 'again' })).alert).to.deep.equal(resolved);
      expect(cf.received('alert:changed').map((a) => a.status)).to.deep.equal(['open', 'acknowledged', 'resolved']);
      expect((await cf.ok('alert:list', {})).alerts).to.deep.equal([]);

      const entries = (await audit(groupId, fac)).filter((e) => e.action.endsWith('_alert'));
      expect(entries.map((e) => [e.action, e.actor.id, e.reportId, e.messageId, e.reason])).to.deep.equal([
        ['resolve_alert', fac2.id, opened.id, message.id, 'Called her; she is with family.'],
        ['acknowledge_alert', fac.id, opened.id, message.id, undefined],
      ]);
    });

    it("resolving from the group's queue over HTTP (the room's panel) is announced too, and audited as resolve_report", async () => {
      const { fac, groupId, cf, cf2, cm } = await staffedGroup();
      await sent(cm, groupId, CRISIS);
      const { id } = await cf2.waitEvent('alert:changed');
      const r = await http(srv.url, 'POST', `/api/groups/${groupId}/reports/${id}/resolve`, { token: fac.token });
      expect(r.status, r.text).to.equal(200);
      expect(await cf2.waitEvent('alert:changed', (a) => a.status === 'resolved')).to.include({ id, resolvedBy: fac.id });
      expect((await cf.ok('alert:list', {})).alerts).to.deep.equal([]);
      expect((await audit(groupId, fac)).map((e) => e.action)).to.include('resolve_report');
    });

    it('a participant gets FORBIDDEN and an empty list; bad input is BAD_REQUEST; an unknown alert NOT_FOUND', async () => {
      const { groupId, cf, cf2, cm } = await staffedGroup();
      await sent(cm, groupId, CRISIS);
      const { id } = await cf.waitEvent('alert:changed');
      expect(codeOf(await cm.ack('alert:ack', { groupId, alertId: id }))).to.equal('FORBIDDEN');
      expect(codeOf(await cm.ack('alert:resolve', { groupId, alertId: id }))).to.equal('FORBIDDEN');
      expect((await cm.ok('alert:list', {})).alerts).to.deep.equal([]);
      expect(codeOf(await cm.ack('alert:ack', { alertId: id }))).to.equal('FORBIDDEN'); // a program alert: admins only
      expect(codeOf(await cf.ack('alert:resolve', { groupId, alertId: id, note: 'x'.repeat(501) }))).to.equal('BAD_REQUEST');
      expect(codeOf(await cf.ack('alert:resolve', { groupId, alertId: id, note: 'bad \uD800 note' }))).to.equal('BAD_REQUEST');
      expect(codeOf(await cf.ack('alert:ack', { groupId, alertId: 'nosuchalert1' }))).to.equal('NOT_FOUND');
      await cf2.sync(groupId).catch(() => undefined);
      expect(cf2.received('alert:changed')).to.have.length(1);
    });

    it('admins: a group alert reaches them live; a program alert is in their list, acknowledged and resolved without a group audit', async () => {
      const admin = srv.user('admin');
      const ca = await connect(admin);
      const { groupId, cm } = await staffedGroup();
      await sent(cm, groupId, CRISIS);
      await ca.waitEvent('alert:changed', (a) => a.scope === 'group' && a.groupId === groupId);

      // A group without a facilitator: the crisis goes to the program's queue.
      const lone = srv.user('facilitator');
      const member = srv.user();
      const bare = await makeGroup(srv, lone, [member]);
      await enrol(srv, bare, admin, lone, 'participant');
      const cb = await enter(member, bare);
      await sent(cb, bare, CRISIS);
      const program = await ca.waitEvent('alert:changed', (a) => a.scope === 'program');
      expect(program).to.include({ kind: 'crisis', severity: 'crisis', status: 'open', reason: 'no-facilitator' });
      expect(program).not.to.have.property('groupId');
      const listed = (await ca.ok('alert:list', {})).alerts.filter((a) => a.scope === 'program' || a.groupId === groupId);
      expect(listed.map((a) => a.scope)).to.have.members(['program', 'group']);

      await ca.ok('alert:ack', { alertId: program.id });
      const { alert } = await ca.ok('alert:resolve', { alertId: program.id, note: 'on-call reached him' });
      expect(alert).to.include({ scope: 'program', status: 'resolved', acknowledgedBy: admin.id, resolvedBy: admin.id });
      await waitFor(() => ca.received('alert:changed', (a) => a.id === program.id).length === 3, 'three program alert states');
      const r = await http(srv.url, 'GET', '/api/alerts?status=all', { token: admin.token });
      expect(r.body.data.alerts.find((a: any) => a.id === program.id)).to.include({ resolutionNote: 'on-call reached him' });
    });
  });
}
