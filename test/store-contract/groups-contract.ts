// The groups port's contract (GroupDirectory in server/store/ports.ts): groups, enrolments and
// former groups. Run against every store by stores.test.ts.
import { expect } from 'chai';
import type { Group } from '../../shared/index.js';
import type { Stores } from '../../server/store/ports.js';
import { byUserId, enrolmentOf, makeGroup, uid } from './fixtures.js';

export function describeGroupsContract(getStore: () => Stores): void {
  describe('groups port', function () {
    let store: Stores;

    before(function () {
      store = getStore();
    });

    describe('groups', function () {
      it('createGroup stores the group so getGroup returns it unchanged', async function () {
        const g = makeGroup();
        await store.groups.createGroup(g, enrolmentOf(g.createdBy, 'facilitator', 'Dana'));
        expect(await store.groups.getGroup(g.id)).to.deep.equal(g);
      });

      it('getGroup returns null for an unknown group', async function () {
        expect(await store.groups.getGroup(uid('g'))).to.equal(null);
      });

      it('updateGroup sets the fields given, keeps the rest, and returns the group as stored', async function () {
        const g = makeGroup();
        await store.groups.createGroup(g, enrolmentOf(g.createdBy, 'facilitator'));
        const renamed = await store.groups.updateGroup(g.id, { name: 'Morning group' });
        expect(renamed).to.deep.equal({ ...g, name: 'Morning group' });
        const described = await store.groups.updateGroup(g.id, { description: 'Café, "quoted" \\ / 🌱' });
        expect(described).to.deep.equal({ ...g, name: 'Morning group', description: 'Café, "quoted" \\ / 🌱' });
        expect(await store.groups.getGroup(g.id)).to.deep.equal(described);
        expect(await store.groups.allGroups()).to.deep.include(described);
      });

      it('updateGroup returns null for an unknown group and creates nothing', async function () {
        const id = uid('g');
        expect(await store.groups.updateGroup(id, { name: 'Ghost' })).to.equal(null);
        expect(await store.groups.getGroup(id)).to.equal(null);
      });

      it('two edits at once of different fields both stay', async function () {
        const g = makeGroup();
        await store.groups.createGroup(g, enrolmentOf(g.createdBy, 'facilitator'));
        await Promise.all([
          store.groups.updateGroup(g.id, { name: 'New name' }),
          store.groups.updateGroup(g.id, { description: 'New words' }),
        ]);
        expect(await store.groups.getGroup(g.id)).to.deep.equal({ ...g, name: 'New name', description: 'New words' });
      });

      it('createGroup enrols the creator with the given role and name', async function () {
        const g = makeGroup();
        const creator = enrolmentOf(g.createdBy, 'facilitator', 'Dana');
        await store.groups.createGroup(g, creator);
        expect(await store.groups.enrolment(g.id, creator.userId)).to.deep.equal(creator);
        expect(await store.groups.members(g.id)).to.deep.equal([creator]);
        expect(await store.groups.groupIdsOf(creator.userId)).to.deep.equal([g.id]);
      });

      it('getGroups returns the known groups in the order asked and skips unknown ids', async function () {
        const a = makeGroup({ name: 'A' });
        const b = makeGroup({ name: 'B' });
        await store.groups.createGroup(a, enrolmentOf(a.createdBy));
        await store.groups.createGroup(b, enrolmentOf(b.createdBy));
        expect(await store.groups.getGroups([b.id, uid('g'), a.id])).to.deep.equal([b, a]);
      });

      it('getGroups of no ids is empty', async function () {
        expect(await store.groups.getGroups([])).to.deep.equal([]);
      });

      it('allGroups lists every group oldest first by createdAt, whatever the creation order', async function () {
        const base = Date.now();
        const middle = makeGroup({ createdAt: base + 2000 });
        const newest = makeGroup({ createdAt: base + 3000 });
        const oldest = makeGroup({ createdAt: base + 1000 });
        for (const g of [middle, newest, oldest]) await store.groups.createGroup(g, enrolmentOf(g.createdBy));
        const mine = new Set([middle.id, newest.id, oldest.id]);
        const listed = (await store.groups.allGroups()).filter((g) => mine.has(g.id));
        expect(listed).to.deep.equal([oldest, middle, newest]);
      });
    });

    describe('enrolment', function () {
      let g: Group;
      beforeEach(async function () {
        g = makeGroup();
        await store.groups.createGroup(g, enrolmentOf(g.createdBy, 'facilitator', 'Dana'));
      });

      it('enrol adds a member that enrolment(), members() and groupIdsOf() all see', async function () {
        const e = enrolmentOf(uid('u'), 'participant', 'Alex');
        await store.groups.enrol(g.id, e);
        expect(await store.groups.enrolment(g.id, e.userId)).to.deep.equal(e);
        expect((await store.groups.members(g.id)).sort(byUserId)).to.deep.equal(
          [enrolmentOf(g.createdBy, 'facilitator', 'Dana'), e].sort(byUserId),
        );
        expect(await store.groups.groupIdsOf(e.userId)).to.deep.equal([g.id]);
      });

      it('re-enrolling updates the role and name without adding a second member', async function () {
        const userId = uid('u');
        await store.groups.enrol(g.id, enrolmentOf(userId, 'participant', 'Alex'));
        await store.groups.enrol(g.id, enrolmentOf(userId, 'facilitator', 'Alexandra'));
        expect(await store.groups.enrolment(g.id, userId)).to.deep.equal(enrolmentOf(userId, 'facilitator', 'Alexandra'));
        const members = await store.groups.members(g.id);
        expect(members.filter((m) => m.userId === userId)).to.deep.equal([enrolmentOf(userId, 'facilitator', 'Alexandra')]);
        expect(members).to.have.length(2);
        expect(await store.groups.groupIdsOf(userId)).to.deep.equal([g.id]);
      });

      it('unenrol returns true and removes the member from enrolment(), members() and groupIdsOf()', async function () {
        const e = enrolmentOf(uid('u'));
        await store.groups.enrol(g.id, e);
        expect(await store.groups.unenrol(g.id, e.userId)).to.equal(true);
        expect(await store.groups.enrolment(g.id, e.userId)).to.equal(null);
        expect((await store.groups.members(g.id)).map((m) => m.userId)).to.deep.equal([g.createdBy]);
        expect(await store.groups.groupIdsOf(e.userId)).to.deep.equal([]);
      });

      it('unenrol returns false for a user who is not enrolled, and on a second unenrol', async function () {
        const userId = uid('u');
        expect(await store.groups.unenrol(g.id, userId)).to.equal(false);
        expect(await store.groups.unenrol(uid('g'), userId)).to.equal(false);
        await store.groups.enrol(g.id, enrolmentOf(userId));
        expect(await store.groups.unenrol(g.id, userId)).to.equal(true);
        expect(await store.groups.unenrol(g.id, userId)).to.equal(false);
      });

      it('unenrolling from one group leaves the user enrolled in the others', async function () {
        const other = makeGroup();
        await store.groups.createGroup(other, enrolmentOf(other.createdBy));
        const userId = uid('u');
        await store.groups.enrol(g.id, enrolmentOf(userId));
        await store.groups.enrol(other.id, enrolmentOf(userId));
        await store.groups.unenrol(g.id, userId);
        expect(await store.groups.groupIdsOf(userId)).to.deep.equal([other.id]);
        expect(await store.groups.enrolment(other.id, userId)).to.deep.equal(enrolmentOf(userId));
      });

      it('unenrol remembers the group as a former group, only when there was an enrolment', async function () {
        const userId = uid('u');
        await store.groups.unenrol(g.id, userId);
        expect(await store.groups.formerGroupIdsOf(userId), 'never enrolled').to.deep.equal([]);
        await store.groups.enrol(g.id, enrolmentOf(userId));
        expect(await store.groups.formerGroupIdsOf(userId), 'while enrolled').to.deep.equal([]);
        await store.groups.unenrol(g.id, userId);
        expect(await store.groups.formerGroupIdsOf(userId)).to.deep.equal([g.id]);
        expect(await store.groups.groupIdsOf(userId)).to.deep.equal([]);
      });

      it('enrolling again takes the group out of the former groups; forgetFormerGroups empties them', async function () {
        const other = makeGroup();
        await store.groups.createGroup(other, enrolmentOf(other.createdBy));
        const userId = uid('u');
        for (const group of [g, other]) {
          await store.groups.enrol(group.id, enrolmentOf(userId));
          await store.groups.unenrol(group.id, userId);
        }
        expect((await store.groups.formerGroupIdsOf(userId)).sort()).to.deep.equal([g.id, other.id].sort());
        await store.groups.enrol(g.id, enrolmentOf(userId));
        expect(await store.groups.formerGroupIdsOf(userId)).to.deep.equal([other.id]);
        await store.groups.forgetFormerGroups(userId);
        expect(await store.groups.formerGroupIdsOf(userId)).to.deep.equal([]);
        expect(await store.groups.groupIdsOf(userId), 'current groups are untouched').to.deep.equal([g.id]);
      });

      it('enrolment() returns null for an unknown user or an unknown group', async function () {
        expect(await store.groups.enrolment(g.id, uid('u'))).to.equal(null);
        expect(await store.groups.enrolment(uid('g'), g.createdBy)).to.equal(null);
      });

      it('members() of an unknown group and groupIdsOf() of an unknown user are empty', async function () {
        expect(await store.groups.members(uid('g'))).to.deep.equal([]);
        expect(await store.groups.groupIdsOf(uid('u'))).to.deep.equal([]);
      });

      it('groupIdsOf lists every group the user is enrolled in', async function () {
        const others = [makeGroup(), makeGroup()];
        for (const o of others) await store.groups.createGroup(o, enrolmentOf(o.createdBy));
        const userId = uid('u');
        for (const id of [g.id, ...others.map((o) => o.id)]) await store.groups.enrol(id, enrolmentOf(userId));
        expect((await store.groups.groupIdsOf(userId)).sort()).to.deep.equal([g.id, ...others.map((o) => o.id)].sort());
      });
    });

    describe('returned objects are copies', function () {
      it('mutating returned groups, enrolments, members and room state does not change what is stored', async function () {
        const g = makeGroup();
        const creator = enrolmentOf(g.createdBy, 'facilitator', 'Dana');
        await store.groups.createGroup(g, creator);
        const u = uid('u');
        await store.room.setHand(g.id, u, true);

        (await store.groups.getGroup(g.id))!.name = 'changed';
        (await store.groups.getGroups([g.id]))[0]!.name = 'changed';
        (await store.groups.enrolment(g.id, creator.userId))!.role = 'participant';
        (await store.groups.members(g.id))[0]!.name = 'changed';
        (await store.groups.groupIdsOf(creator.userId)).push('changed');
        (await store.room.roomState(g.id)).handQueue.push('changed');

        expect(await store.groups.getGroup(g.id)).to.deep.equal(g);
        expect(await store.groups.enrolment(g.id, creator.userId)).to.deep.equal(creator);
        expect(await store.groups.members(g.id)).to.deep.equal([creator]);
        expect(await store.groups.groupIdsOf(creator.userId)).to.deep.equal([g.id]);
        expect((await store.room.roomState(g.id)).handQueue).to.deep.equal([u]);
      });

      it('mutating the group or enrolment passed in does not change what is stored', async function () {
        const g = makeGroup();
        const creator = enrolmentOf(g.createdBy, 'facilitator', 'Dana');
        const original = { ...g };
        await store.groups.createGroup(g, creator);
        const e = enrolmentOf(uid('u'), 'participant', 'Alex');
        await store.groups.enrol(g.id, e);
        g.name = 'changed';
        creator.name = 'changed';
        e.role = 'facilitator';
        expect(await store.groups.getGroup(g.id)).to.deep.equal(original);
        expect(await store.groups.enrolment(g.id, creator.userId)).to.deep.equal({ ...creator, name: 'Dana' });
        expect(await store.groups.enrolment(g.id, e.userId)).to.deep.equal({ ...e, role: 'participant' });
      });
    });
  });
}
