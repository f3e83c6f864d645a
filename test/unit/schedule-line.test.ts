// The room's schedule line (client/src/views/schedule-line.ts, §5.6): what a member reads about the
// session open now or the next one, with a countdown only under an hour away.
import { expect } from 'chai';
import type { GroupState } from '../../shared/index.js';
import { scheduleLine } from '../../client/src/views/schedule-line.js';

const NOW = Date.UTC(2026, 11, 8, 12, 0);
const state = (patch: Partial<GroupState>): GroupState => ({
  locked: false,
  waitingRoom: false,
  slowModeSec: 0,
  sessionOpen: false,
  pinnedMessageId: null,
  quietPartnerChat: false,
  handQueue: [],
  session: null,
  nextSessionStart: null,
  ...patch,
});

describe('schedule line (browser client)', () => {
  it('none without a schedule, or with nothing open or planned', () => {
    expect(scheduleLine(state({ sessionOpen: true }), NOW)).to.equal(null);
  });

  it('the open session and its end', () => {
    const line = scheduleLine(state({ sessionOpen: true, session: { id: 's1', start: NOW - 60_000, end: NOW + 90 * 60_000 } }), NOW);
    expect(line?.text).to.match(/^Session open until .*\d:\d\d/);
    expect(line?.countdown).to.equal(false);
  });

  it('the next session with its weekday and time, and no countdown an hour or more away', () => {
    const line = scheduleLine(state({ nextSessionStart: NOW + 2 * 86_400_000 }), NOW);
    expect(line?.text).to.match(/^Next session \S+ .*\d:\d\d/);
    expect(line?.countdown).to.equal(false);
    expect(scheduleLine(state({ nextSessionStart: NOW + 3_600_000 }), NOW)?.countdown).to.equal(false);
  });

  it('a countdown under an hour away', () => {
    const line = scheduleLine(state({ nextSessionStart: NOW + 12 * 60_000 }), NOW);
    expect(line?.text).to.match(/ · starts in 12 min$/);
    expect(line?.countdown).to.equal(true);
    expect(scheduleLine(state({ nextSessionStart: NOW + 45_000 }), NOW)?.text).to.match(/ · starts in 45 s$/);
  });
});
