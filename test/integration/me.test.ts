import { expect } from 'chai';
import { waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { enrol, faultyStore, http, makeGroup, startServer, storedText, STORE_KINDS, type TestServer } from '../support/server.js';

for (const kind of STORE_KINDS) {
  describe(`a person's own data: export and erasure (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, enter, sent, closeAll } = roomClients(() => srv);

    /** While set, erasing a message in this conversation fails, as a conversation whose stored state went bad would. */
    const fault: { conversationId?: string } = {};

    before(async () => {
      srv = await startServer({
        store: kind,
        wrapStore: (store) =>
          faultyStore(store, (verb, args) =>
            verb === 'eraseMessage' && (args[0] as { id: string }).id === fault.conversationId
              ? new Error('ERR user_script: undecodable record')
              : undefined,
          ),
      });
    });
    afterEach(() => {
      delete fault.conversationId;
      closeAll();
    });
    after(() => srv.close());

    /** Sam in two groups with Kim, partners with Kim, and messages from both. */
    async function scene() {
      const fac = srv.user('facilitator', 'Fay Facilitator');
      const sam = srv.user('participant', 'Sam Example');
      const kim = srv.user('participant', 'Kim Otherperson');
      const g1 = await makeGroup(srv, fac, [sam, kim]);
      const g2 = await makeGroup(srv, fac, [sam]);
      const [s1, k1] = [await enter(sam, g1), await enter(kim, g1)];
      const samMine = [await sent(s1, g1, 'sam says one'), await sent(s1, g1, 'sam says two')];
      const kims = await sent(k1, g1, 'kim says something private');
      const s2 = await enter(sam, g2);
      samMine.push(await sent(s2, g2, 'sam in the second group'));
      const { inviteId } = await s1.ok('partner:invite', { userId: kim.id, note: 'nightly check-in?' });
      const { partnership } = await k1.ok('partner:respond', { inviteId, accept: true });
      samMine.push((await s1.sent('partner:send', { partnershipId: partnership!.id, text: 'sam to kim', clientMsgId: 'p1' })).message);
      await k1.sent('partner:send', { partnershipId: partnership!.id, text: 'kim to sam', clientMsgId: 'p2' });
      return { fac, sam, kim, g1, g2, k1, kims, samMine, partnershipId: partnership!.id };
    }

    it('exports everything kept about the caller and nothing about anyone else', async () => {
      const { sam, kim, g1, g2, samMine, partnershipId } = await scene();
      const res = await http(srv.url, 'GET', '/api/me/export', { token: sam.token });
      expect(res.status, res.text).to.equal(200);
      const data = res.body.data;
      expect(data.user).to.deep.equal({ id: sam.id, name: sam.name, role: 'participant' });
      expect(data.groups.map((g: any) => g.group.id).sort()).to.deep.equal([g1, g2].sort());
      for (const g of data.groups) expect(g.enrolment).to.deep.include({ userId: sam.id, role: 'participant' });
      expect(data.partnerships).to.deep.equal([
        { id: partnershipId, partnerId: kim.id, createdAt: data.partnerships[0].createdAt, status: 'active', myLastReadSeq: 1 },
      ]); // her own message, not Kim's reply
      expect(data.messages.map((m: any) => m.id).sort()).to.deep.equal(samMine.map((m) => m.id).sort());
      const text = JSON.stringify(data);
      for (const theirs of ['kim says something private', 'kim to sam', kim.name, 'Fay Facilitator'])
        expect(text, theirs).to.not.include(theirs);
      expect((await http(srv.url, 'GET', '/api/me/export')).status, 'no token').to.equal(401);
    });

    it("exports no other user's id but the partner's: no group creator, reactions as counts, invites without the other person", async () => {
      const { fac, sam, kim, g1, k1, samMine, partnershipId } = await scene();
      const lee = srv.user('participant', 'Lee Thirdperson');
      await enrol(srv, g1, fac, lee, 'participant', lee.name);
      const l = await enter(lee, g1);
      const mine = samMine[0]!;
      await l.ok('group:react', { groupId: g1, messageId: mine.id, emoji: '💪' });
      await k1.ok('group:react', { groupId: g1, messageId: mine.id, emoji: '💪' });
      await k1.ok('group:react', { groupId: g1, messageId: mine.id, emoji: '🙏' });
      const invited = await l.ok('partner:invite', { userId: sam.id, note: 'from Lee' });

      const data = (await http(srv.url, 'GET', '/api/me/export', { token: sam.token })).body.data;
      const text = JSON.stringify(data);
      for (const [who, id] of [
        ['the facilitator who created the groups', fac.id],
        ['a member who reacted and invited', lee.id],
      ])
        expect(text, who).to.not.include(id);
      expect(text.split(kim.id).length - 1, 'the partner appears once, as partnerId').to.equal(1);
      expect(data.partnerships[0]).to.deep.include({ id: partnershipId, partnerId: kim.id });
      expect(data.messages.find((m: any) => m.id === mine.id))
        .to.deep.include({ reactionCounts: { '💪': 2, '🙏': 1 } })
        .and.not.have.property('reactions');
      for (const g of data.groups) expect(g.group).to.not.have.property('createdBy');
      expect(data.invites).to.deep.equal([
        { id: invited.inviteId, direction: 'received', createdAt: data.invites[0].createdAt, status: 'pending' },
      ]);
    });

    it("erases the caller's text everywhere, tells the room, ends partnerships and removes memberships", async () => {
      const { sam, g1, k1, kims, samMine, partnershipId } = await scene();
      const res = await http(srv.url, 'DELETE', '/api/me', { token: sam.token });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.data).to.deep.equal({ erasedMessages: 4, leftGroups: 2, endedPartnerships: 1, erasedCheckins: 0 });

      const groupMine = samMine.filter((m) => m.conversation.kind === 'group' && m.conversation.id === g1);
      await waitFor(() => k1.received('group:deleted').length === groupMine.length, 'group:deleted for each of her messages in the room');
      const history = (await k1.ok('group:history', { groupId: g1 })).messages;
      for (const m of groupMine) expect(history.find((x) => x.id === m.id)).to.deep.include({ text: '', deleted: true });
      expect(history.find((x) => x.id === kims.id)?.text, "others' messages stay").to.equal('kim says something private');
      const partnerLog = (await k1.ok('partner:history', { partnershipId })).messages;
      expect(partnerLog.map((m) => [m.text, m.deleted ?? false])).to.deep.equal([
        ['', true],
        ['kim to sam', false],
      ]);
      await waitFor(
        () => k1.received('partner:updated', (p) => p.partnership.status === 'ended').length > 0,
        'the partner learns it ended',
      );
      for (const m of samMine) expect(JSON.stringify(await srv.store.log.findMessage(m.conversation, m.id))).to.not.include('sam ');

      const again = await connect(sam);
      const join = await again.ack('group:join', { groupId: g1 });
      expect(join.ok === false && join.error.code).to.equal('FORBIDDEN');
      const after = (await http(srv.url, 'GET', '/api/me/export', { token: sam.token })).body.data;
      expect(after.groups).to.deep.equal([]);
      expect(after.formerGroupIds, 'the groups erasure took her out of are forgotten too').to.deep.equal([]);
    });

    it("settles the caller's open invites, sent and received, and keeps none of their free text or clientMsgIds", async () => {
      const fac = srv.user('facilitator');
      const [sam, kim, lee, ann] = [srv.user(), srv.user(), srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [sam, kim, lee, ann]);
      const [s, k, l, a] = [await enter(sam, groupId), await enter(kim, groupId), await enter(lee, groupId), await enter(ann, groupId)];
      // An accepted invite with a note, a partnership with a check-in, a message, a report with a note.
      const first = await s.ok('partner:invite', { userId: kim.id, note: 'Quarrendale evenings?' });
      const { partnership } = await k.ok('partner:respond', { inviteId: first.inviteId, accept: true });
      const partnershipId = partnership!.id;
      const checkin = (
        await s.sent('partner:checkin', { partnershipId, mood: 2, craving: 7, note: 'Bramblecote craving', clientMsgId: 'Zyxcheckin' })
      ).message;
      const said = (await s.ok('group:send', { groupId, text: 'Wolvercote in the group', clientMsgId: 'Zyxgroup' })).message;
      const kims = (await k.ok('group:send', { groupId, text: 'kim in the group', clientMsgId: 'k1' })).message;
      await s.ok('report', {
        conversation: { kind: 'group', id: groupId },
        messageId: kims.id,
        reason: 'other',
        note: 'Fernhollow report note',
      });
      await s.ok('group:react', { groupId, messageId: kims.id, emoji: '💪' });
      await k.ok('group:react', { groupId, messageId: kims.id, emoji: '🙏' });
      // Open invites: one sent, one received.
      const sentInvite = await s.ok('partner:invite', { userId: lee.id, note: 'Ossington nights' });
      const receivedInvite = await a.ok('partner:invite', { userId: sam.id, note: 'from ann' });

      const res = await http(srv.url, 'DELETE', '/api/me', { token: sam.token });
      expect(res.status, res.text).to.equal(200);

      const accept = await l.ack('partner:respond', { inviteId: sentInvite.inviteId, accept: true });
      expect(accept.ok === false && accept.error.code, 'the invitee can no longer accept').to.equal('FORBIDDEN');
      expect(await srv.store.partners.activePartnershipBetween(sam.id, lee.id), 'no partnership with the erased person').to.equal(null);
      expect(await srv.store.partners.invite(sentInvite.inviteId))
        .to.deep.include({ status: 'withdrawn' })
        .and.not.have.property('note');
      expect(await srv.store.partners.invite(receivedInvite.inviteId))
        .to.deep.include({ status: 'declined' })
        .and.not.have.property('note');
      expect(await srv.store.partners.invite(first.inviteId), 'an invite answered before keeps no note either').to.not.have.property(
        'note',
      );
      expect(await srv.store.partners.pendingInvitesOf(sam.id)).to.deep.equal([]);
      expect(
        (await srv.store.log.findMessage(kims.conversation, kims.id))?.reactions,
        'her reactions are taken back, others stay',
      ).to.deep.equal({ '🙏': [kim.id] });
      await waitFor(() => k.received('group:reaction').some((r) => r.messageId === kims.id && !r.reactions['💪']), 'the room learns it');
      const [report] = await srv.store.reportQueue.reports(groupId, 'all');
      expect(report, 'the report stays, by ids').to.deep.include({ reporterId: sam.id, messageId: kims.id }).and.not.have.property('note');
      const c = { kind: 'partner', id: partnershipId } as const;
      const erasedCheckin = await srv.store.log.findMessage(c, checkin.id);
      expect(erasedCheckin).to.deep.include({ text: '', deleted: true });
      expect(erasedCheckin).to.not.have.any.keys('checkin', 'clientMsgId');
      expect(await srv.store.log.findMessage(said.conversation, said.id)).to.not.have.property('clientMsgId');
      expect(await srv.store.log.messageByClientId(said.conversation, sam.id, 'Zyxgroup'), 'no idempotency entry').to.equal(null);
      expect(await srv.store.log.messageByClientId(c, sam.id, 'Zyxcheckin'), 'no idempotency entry').to.equal(null);
      if (kind === 'redis') {
        const everything = await storedText(srv.config.redisPrefix);
        for (const theirs of ['Quarrendale', 'Bramblecote', 'Wolvercote', 'Fernhollow', 'Ossington', 'Zyx'])
          expect(everything, `${theirs} in Redis`).to.not.include(theirs);
      }
    });

    it('covers groups the caller was unenrolled from: exported, then erased', async () => {
      const { fac, sam, g2, samMine } = await scene();
      const inG2 = samMine.find((m) => m.conversation.id === g2)!;
      const out = await http(srv.url, 'DELETE', `/api/groups/${g2}/members/${sam.id}`, { token: fac.token });
      expect(out.status, out.text).to.equal(200);

      const exported = (await http(srv.url, 'GET', '/api/me/export', { token: sam.token })).body.data;
      expect(exported.groups.map((g: any) => g.group.id)).to.not.include(g2);
      expect(exported.formerGroupIds).to.deep.equal([g2]);
      expect(exported.messages.map((m: any) => m.id).sort(), 'her message in the group she left is hers to see').to.deep.equal(
        samMine.map((m) => m.id).sort(),
      );

      const res = await http(srv.url, 'DELETE', '/api/me', { token: sam.token });
      expect(res.body.data).to.deep.equal({ erasedMessages: 4, leftGroups: 1, endedPartnerships: 1, erasedCheckins: 0 });
      expect(await srv.store.log.findMessage(inG2.conversation, inG2.id)).to.deep.include({ text: '', deleted: true });
    });

    it('erases everything else when one conversation fails, answers that DELETE /api/me must be called again, and the second call finishes', async () => {
      const { sam, g1, samMine } = await scene();
      fault.conversationId = g1;
      const first = await http(srv.url, 'DELETE', '/api/me', { token: sam.token });
      expect(first.status, first.text).to.equal(500);
      expect(first.body.error.code).to.equal('INTERNAL');
      expect(first.body.error.message).to.include('DELETE /api/me again');
      for (const m of samMine) {
        const stored = await srv.store.log.findMessage(m.conversation, m.id);
        if (m.conversation.id === g1)
          expect(stored, 'the failed conversation is left for the second call').to.deep.include({ text: m.text });
        else expect(stored, `erased in ${m.conversation.kind} ${m.conversation.id}`).to.deep.include({ text: '', deleted: true });
      }
      expect(
        srv.logs.some((l) => l.includes('erasure incomplete') && l.includes(g1) && !l.includes('sam says')),
        'logged by id',
      ).to.equal(true);
      const between = (await http(srv.url, 'GET', '/api/me/export', { token: sam.token })).body.data;
      expect(between.formerGroupIds, 'what is left is still hers to find').to.include(g1);

      delete fault.conversationId;
      const second = await http(srv.url, 'DELETE', '/api/me', { token: sam.token });
      expect(second.status, second.text).to.equal(200);
      expect(second.body.data).to.deep.equal({ erasedMessages: 2, leftGroups: 0, endedPartnerships: 0, erasedCheckins: 0 });
      for (const m of samMine) expect(await srv.store.log.findMessage(m.conversation, m.id)).to.deep.include({ text: '', deleted: true });
      expect((await http(srv.url, 'GET', '/api/me/export', { token: sam.token })).body.data.formerGroupIds).to.deep.equal([]);
    });
  });
}
