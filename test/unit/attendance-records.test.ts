import { expect } from 'chai';
import { attendanceCsv, recordTimes, statusOf } from '../../server/attendance/records.js';
import type { AttendanceRecord } from '../../shared/index.js';

const MIN = 60_000;
const S = 1_700_000_000_000;
const session = { id: `s${S}`, start: S, end: S + 60 * MIN };
const settings = { lateAfterMin: 10, earlyLeaveMin: 10 };

describe('attendance records (pure)', function () {
  it('clips time in the room to the session and adds the stretches', function () {
    const t = recordTimes(
      [
        { start: S - 5 * MIN, end: S + 20 * MIN },
        { start: S + 30 * MIN, end: S + 90 * MIN },
        { start: S + 100 * MIN, end: null },
      ],
      session,
      S + 200 * MIN,
    );
    expect(t).to.deep.equal({
      firstJoined: S - 5 * MIN,
      lastLeft: S + 90 * MIN,
      ms: 50 * MIN,
      stretches: [
        { start: S, end: S + 20 * MIN },
        { start: S + 30 * MIN, end: S + 60 * MIN },
      ],
    });
  });

  it('an interval still open counts to now in an open session, and has no last left', function () {
    const open = { ...session, end: null };
    expect(recordTimes([{ start: S + MIN, end: null }], open, S + 11 * MIN)).to.deep.equal({
      firstJoined: S + MIN,
      lastLeft: null,
      ms: 10 * MIN,
      stretches: [{ start: S + MIN, end: null }],
    });
  });

  it('nothing overlapping is absent', function () {
    const t = recordTimes([{ start: S - 20 * MIN, end: S - 10 * MIN }], session, S + 200 * MIN);
    expect(t).to.deep.equal({ firstJoined: null, lastLeft: null, ms: 0, stretches: [] });
    expect(statusOf(t, session, settings, S + 200 * MIN)).to.equal('absent');
  });

  it('status: late past the threshold after the start, left early past it before the end, late first', function () {
    const now = S + 200 * MIN;
    const st = (first: number, last: number | null) =>
      statusOf({ firstJoined: first, lastLeft: last, ms: 1, stretches: [] }, session, settings, now);
    expect(st(S + 10 * MIN, S + 60 * MIN)).to.equal('present');
    expect(st(S + 11 * MIN, S + 60 * MIN)).to.equal('late');
    expect(st(S - 5 * MIN, S + 49 * MIN)).to.equal('left_early');
    expect(st(S - 5 * MIN, S + 50 * MIN)).to.equal('present');
    expect(st(S + 30 * MIN, S + 31 * MIN)).to.equal('late');
    expect(st(S, null), 'still in the room').to.equal('present');
    const open = { ...session, end: null };
    expect(
      statusOf({ firstJoined: S, lastLeft: S + MIN, ms: 1, stretches: [] }, open, settings, S + 2 * MIN),
      'no early leave before the end',
    ).to.equal('present');
  });

  it('CSV: a header, the JSON values, quotes doubled, formula-looking cells defused', function () {
    const base: AttendanceRecord = {
      userId: 'u1',
      name: 'Sam',
      firstJoined: S,
      lastLeft: null,
      minutes: 12.5,
      stretches: [],
      waitingMinutes: 0,
      status: 'present',
      computedStatus: 'present',
    };
    const csv = attendanceCsv(session, [
      base,
      {
        ...base,
        userId: 'u2',
        name: '=HYPERLINK("x"), "Al"',
        status: 'absent',
        corrected: { status: 'absent', note: '+1 @me', by: { id: 'f', name: 'Fay' }, at: S },
      },
      { ...base, userId: 'u3', name: '-2', firstJoined: null },
    ]);
    const lines = csv.split('\r\n');
    expect(lines[0]).to.equal('session,userId,name,firstJoined,lastLeft,minutes,waitingMinutes,status,computedStatus,corrected,note');
    expect(lines[1]).to.equal(`s${S},u1,Sam,${new Date(S).toISOString()},,12.5,0,present,present,,`);
    expect(lines[2]).to.equal(`s${S},u2,"'=HYPERLINK(""x""), ""Al""",${new Date(S).toISOString()},,12.5,0,absent,present,yes,'+1 @me`);
    expect(lines[3]).to.equal(`s${S},u3,'-2,,,12.5,0,present,present,,`);
    expect(lines[4]).to.equal('');
  });
});
