// The `sendStanding` part of the `Store` contract: the one read a send is judged on must say
// exactly what the separate reads (enrolment, isBanned, muteOf, roomState) say. Called from
// describeStoreContract (contract.ts), so it runs against every implementation.
import { expect } from 'chai';
import type { Store } from '../../server/store/store.js';
import { uid } from './contract.js';

const DEFAULT_SETTINGS = { locked: false, slowModeSec: 0, sessionOpen: true, pinnedMessageId: null };

export function describeSendStandingContract(getStore: () => Store): void {
  let store: Store;

  before(function () {
    store = getStore();
  });

  it('is empty for someone unknown to a group with nothing stored: not enrolled, not banned, not muted, default settings', async function () {
    expect(await store.sendStanding(uid('g'), uid('u'), Date.now())).to.deep.equal({
      enrolment: null, banned: false, mute: null, settings: DEFAULT_SETTINGS,
    });
  });

  it('reports the enrolment, the ban, an open mute and the settings, without the hand queue', async function () {
    const g = uid('g');
    const u = uid('u');
    await store.enrol(g, { userId: u, role: 'participant', name: 'Sam' });
    await store.setBan(g, u, true);
    await store.setMute(g, u, { until: null });
    await store.updateRoomState(g, { locked: true, slowModeSec: 30, sessionOpen: false, pinnedMessageId: 'm1' });
    await store.setHand(g, u, true);
    expect(await store.sendStanding(g, u, Date.now())).to.deep.equal({
      enrolment: { userId: u, role: 'participant', name: 'Sam' },
      banned: true,
      mute: { until: null },
      settings: { locked: true, slowModeSec: 30, sessionOpen: false, pinnedMessageId: 'm1' },
    });
  });

  it('counts a timed mute only until it ends, as muteOf does', async function () {
    const g = uid('g');
    const u = uid('u');
    const now = Date.now();
    await store.setMute(g, u, { until: now + 60_000 });
    expect((await store.sendStanding(g, u, now)).mute).to.deep.equal({ until: now + 60_000 });
    expect((await store.sendStanding(g, u, now + 60_000)).mute).to.equal(null);
    expect(await store.muteOf(g, u, now + 60_000)).to.equal(null);
  });

  it('reads one user only: another member\'s ban and mute are not the caller\'s', async function () {
    const g = uid('g');
    const [u, other] = [uid('u'), uid('u')];
    await store.enrol(g, { userId: u, role: 'facilitator', name: 'Dana' });
    await store.setBan(g, other, true);
    await store.setMute(g, other, { until: null });
    const standing = await store.sendStanding(g, u, Date.now());
    expect(standing).to.deep.include({ banned: false, mute: null });
    expect(standing.enrolment).to.deep.equal(await store.enrolment(g, u));
  });
}
