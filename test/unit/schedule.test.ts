import { expect } from 'chai';
import { schedule as scheduleSchema, type Schedule, type WeeklySlot } from '../../shared/index.js';
import { localToUtc, occurrences, sessionIdAt, sessionWindows } from '../../server/sessions/schedule.js';
import { sessionAt } from '../../server/store/store.js';

const at = (iso: string) => Date.parse(iso);
/** A local wall-clock time written as if it were UTC (what localToUtc takes). */
const wall = (iso: string) => Date.parse(`${iso}Z`);
const weekly = (timeZone: string, ...slots: WeeklySlot[]): Schedule => ({ timeZone, weekly: slots, oneOff: [], cancelled: [] });
const starts = (s: Schedule, from: string, to: string) => occurrences(s, at(from), at(to)).map((o) => new Date(o.start).toISOString());

describe('schedule: local times to instants (Intl only)', () => {
  const cases: [zone: string, local: string, utc: string, what: string][] = [
    ['America/New_York', '2026-01-13T18:00', '2026-01-13T23:00:00.000Z', 'standard time'],
    ['America/New_York', '2026-07-14T18:00', '2026-07-14T22:00:00.000Z', 'daylight time'],
    ['America/New_York', '2026-03-08T02:30', '2026-03-08T07:30:00.000Z', 'spring gap: 02:30 moves forward to 03:30 EDT'],
    ['America/New_York', '2026-11-01T01:30', '2026-11-01T05:30:00.000Z', 'autumn repeat: the first 01:30 (EDT)'],
    ['America/Los_Angeles', '2026-03-08T02:00', '2026-03-08T10:00:00.000Z', 'spring gap at its very start: 03:00 PDT'],
    ['America/Los_Angeles', '2026-11-01T01:00', '2026-11-01T08:00:00.000Z', 'autumn repeat: the first 01:00 (PDT)'],
    ['Europe/London', '2026-03-29T01:30', '2026-03-29T01:30:00.000Z', 'spring gap: 01:30 moves forward to 02:30 BST'],
    ['Europe/London', '2026-10-25T01:30', '2026-10-25T00:30:00.000Z', 'autumn repeat: the first 01:30 (BST)'],
    ['Australia/Sydney', '2026-10-04T02:30', '2026-10-03T16:30:00.000Z', 'southern spring gap (October): 03:30 AEDT'],
    ['Australia/Sydney', '2026-04-05T02:30', '2026-04-04T15:30:00.000Z', 'southern autumn repeat (April): the first 02:30 (AEDT)'],
    ['Pacific/Auckland', '2026-09-27T02:30', '2026-09-26T14:30:00.000Z', 'southern spring gap (September): 03:30 NZDT'],
    ['Pacific/Auckland', '2026-04-05T02:30', '2026-04-04T13:30:00.000Z', 'southern autumn repeat (April): the first 02:30 (NZDT)'],
    ['Asia/Kolkata', '2026-03-08T02:30', '2026-03-07T21:00:00.000Z', 'a half-hour offset and no daylight saving'],
  ];
  for (const [zone, local, utc, what] of cases) {
    it(`${zone} ${local}: ${what}`, () => {
      expect(new Date(localToUtc(zone, wall(local))).toISOString()).to.equal(utc);
    });
  }
});

describe('schedule: weekly occurrences across daylight-saving changes', () => {
  it('America/New_York Tue and Thu 18:00 keep 18:00 local across the March change (23:00Z, then 22:00Z)', () => {
    const s = weekly('America/New_York', { day: 'tue', start: '18:00', minutes: 90 }, { day: 'thu', start: '18:00', minutes: 90 });
    expect(starts(s, '2026-03-02T00:00:00Z', '2026-03-13T00:00:00Z')).to.deep.equal([
      '2026-03-03T23:00:00.000Z',
      '2026-03-05T23:00:00.000Z',
      '2026-03-10T22:00:00.000Z',
      '2026-03-12T22:00:00.000Z',
    ]);
    const [first] = occurrences(s, at('2026-03-02T00:00:00Z'), at('2026-03-04T00:00:00Z'));
    expect(first!.end - first!.start).to.equal(90 * 60_000);
  });

  it('America/Los_Angeles Thu 18:00 across the November change (01:00Z, then 02:00Z)', () => {
    const s = weekly('America/Los_Angeles', { day: 'thu', start: '18:00', minutes: 60 });
    expect(starts(s, '2026-10-28T00:00:00Z', '2026-11-07T00:00:00Z')).to.deep.equal([
      '2026-10-30T01:00:00.000Z',
      '2026-11-06T02:00:00.000Z',
    ]);
  });

  it('Europe/London Sun 01:30 on both change days: forward in March, the first one in October', () => {
    const s = weekly('Europe/London', { day: 'sun', start: '01:30', minutes: 60 });
    expect(starts(s, '2026-03-21T00:00:00Z', '2026-04-06T00:00:00Z')).to.deep.equal([
      '2026-03-22T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-04-05T00:30:00.000Z',
    ]);
    expect(starts(s, '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z')).to.deep.equal(['2026-10-25T00:30:00.000Z']);
  });

  it('Australia/Sydney Mon 18:00 across the April change (07:00Z, then 08:00Z) and the October one (back to 07:00Z)', () => {
    const s = weekly('Australia/Sydney', { day: 'mon', start: '18:00', minutes: 90 });
    expect(starts(s, '2026-03-29T00:00:00Z', '2026-04-07T00:00:00Z')).to.deep.equal([
      '2026-03-30T07:00:00.000Z',
      '2026-04-06T08:00:00.000Z',
    ]);
    expect(starts(s, '2026-09-27T00:00:00Z', '2026-10-06T00:00:00Z')).to.deep.equal([
      '2026-09-28T08:00:00.000Z',
      '2026-10-05T07:00:00.000Z',
    ]);
  });

  it('Pacific/Auckland Sun 02:30 on both change days', () => {
    const s = weekly('Pacific/Auckland', { day: 'sun', start: '02:30', minutes: 60 });
    expect(starts(s, '2026-04-03T00:00:00Z', '2026-04-05T00:00:00Z')).to.deep.equal(['2026-04-04T13:30:00.000Z']);
    expect(starts(s, '2026-09-25T00:00:00Z', '2026-09-27T00:00:00Z')).to.deep.equal(['2026-09-26T14:30:00.000Z']);
  });

  it('a slot that crosses midnight is found from a range that starts after its start', () => {
    const s = weekly('UTC', { day: 'mon', start: '23:00', minutes: 120 });
    expect(starts(s, '2026-12-08T00:30:00Z', '2026-12-08T01:00:00Z')).to.deep.equal(['2026-12-07T23:00:00.000Z']);
  });
});

describe('schedule: ids, one-offs and cancellations', () => {
  const s: Schedule = {
    timeZone: 'America/New_York',
    weekly: [{ day: 'tue', start: '18:00', minutes: 90 }],
    oneOff: [{ start: '2026-12-10T15:00:00Z', end: '2026-12-10T16:00:00Z' }],
    cancelled: [],
  };
  const range = [at('2026-12-07T00:00:00Z'), at('2026-12-21T00:00:00Z')] as const;

  it('ids come from the start instant: the same on every call (every node)', () => {
    const a = occurrences(s, ...range);
    expect(a.map((o) => o.id)).to.deep.equal(occurrences(s, ...range).map((o) => o.id));
    expect(a.map((o) => o.id)).to.deep.equal(
      [at('2026-12-08T23:00:00Z'), at('2026-12-10T15:00:00Z'), at('2026-12-15T23:00:00Z')].map(sessionIdAt),
    );
    expect(a[1]).to.deep.equal({
      id: sessionIdAt(at('2026-12-10T15:00:00Z')),
      start: at('2026-12-10T15:00:00Z'),
      end: at('2026-12-10T16:00:00Z'),
    });
  });

  it('a cancelled occurrence is left out, the others stay', () => {
    const cancelled = sessionIdAt(at('2026-12-08T23:00:00Z'));
    expect(occurrences({ ...s, cancelled: [cancelled] }, ...range).map((o) => o.id)).to.not.include(cancelled);
    expect(occurrences({ ...s, cancelled: [cancelled] }, ...range)).to.have.length(2);
  });

  it('only sessions overlapping the range', () => {
    expect(occurrences(s, at('2026-12-09T00:00:00Z'), at('2026-12-10T15:00:00Z'))).to.have.length(1);
    expect(occurrences(s, at('2026-12-10T16:00:00Z'), at('2026-12-15T23:00:00Z'))).to.have.length(0);
  });
});

describe('schedule: windows with overrides', () => {
  const s: Schedule = {
    timeZone: 'UTC',
    weekly: [],
    oneOff: [
      { start: '2026-12-08T10:00:00Z', end: '2026-12-08T11:00:00Z' },
      { start: '2026-12-08T12:00:00Z', end: '2026-12-08T13:00:00Z' },
    ],
    cancelled: [],
  };
  const a = sessionIdAt(at('2026-12-08T10:00:00Z'));
  const b = sessionIdAt(at('2026-12-08T12:00:00Z'));
  const from = at('2026-12-08T00:00:00Z');
  const to = at('2026-12-09T00:00:00Z');

  it('an override moves a session (open early, close early, extend) and keeps its id', () => {
    const w = sessionWindows(s, { [a]: { start: at('2026-12-08T09:50:00Z'), end: at('2026-12-08T10:30:00Z') } }, from, to);
    expect(w).to.deep.equal([
      { id: a, start: at('2026-12-08T09:50:00Z'), end: at('2026-12-08T10:30:00Z') },
      { id: b, start: at('2026-12-08T12:00:00Z'), end: at('2026-12-08T13:00:00Z') },
    ]);
  });

  it('a session opened by hand is a window of its own; a cancelled id stays out even with an override', () => {
    const w = sessionWindows(
      { ...s, cancelled: [b] },
      { m1: { start: at('2026-12-08T14:00:00Z'), end: at('2026-12-08T15:00:00Z') }, [b]: { start: 1, end: 2 } },
      from,
      to,
    );
    expect(w.map((x) => x.id)).to.deep.equal([a, 'm1']);
  });

  it('windows never overlap: an extension into the next session pushes its start back, or swallows it', () => {
    const pushed = sessionWindows(s, { [a]: { start: at('2026-12-08T10:00:00Z'), end: at('2026-12-08T12:30:00Z') } }, from, to);
    expect(pushed[1]).to.deep.equal({ id: b, start: at('2026-12-08T12:30:00Z'), end: at('2026-12-08T13:00:00Z') });
    const swallowed = sessionWindows(s, { [a]: { start: at('2026-12-08T10:00:00Z'), end: at('2026-12-08T14:00:00Z') } }, from, to);
    expect(swallowed.map((x) => x.id)).to.deep.equal([a]);
  });

  it('no schedule and no overrides: no windows', () => {
    expect(sessionWindows(null, {}, from, to)).to.deep.equal([]);
  });

  it('sessionAt: the session open now and the next start', () => {
    const w = sessionWindows(s, {}, from, to);
    expect(sessionAt(w, at('2026-12-08T09:00:00Z'))).to.deep.equal({ current: null, nextStart: at('2026-12-08T10:00:00Z') });
    expect(sessionAt(w, at('2026-12-08T10:00:00Z'))).to.deep.equal({ current: w[0], nextStart: at('2026-12-08T12:00:00Z') });
    expect(sessionAt(w, at('2026-12-08T11:00:00Z'))).to.deep.equal({ current: null, nextStart: at('2026-12-08T12:00:00Z') });
    expect(sessionAt(w, at('2026-12-08T13:00:00Z'))).to.deep.equal({ current: null, nextStart: null });
  });
});

describe('schedule: the schema', () => {
  const ok: Schedule = { timeZone: 'Europe/London', weekly: [{ day: 'tue', start: '18:00', minutes: 90 }], oneOff: [], cancelled: [] };
  it('accepts a good schedule', () => expect(scheduleSchema.safeParse(ok).success).to.equal(true));
  for (const [what, bad] of [
    ['an unknown time zone', { ...ok, timeZone: 'Mars/Olympus' }],
    ['a start that is not HH:MM', { ...ok, weekly: [{ day: 'tue', start: '24:00', minutes: 90 }] }],
    ['an unknown day', { ...ok, weekly: [{ day: 'tuesday', start: '18:00', minutes: 90 }] }],
    ['a one-off that ends before it starts', { ...ok, oneOff: [{ start: '2026-12-08T10:00:00Z', end: '2026-12-08T09:00:00Z' }] }],
    ['a one-off start that is not an instant', { ...ok, oneOff: [{ start: 'tomorrow', end: '2026-12-08T09:00:00Z' }] }],
    ['a lone surrogate in the zone', { ...ok, timeZone: 'Europe/\ud800' }],
  ] as const) {
    it(`refuses ${what}`, () => expect(scheduleSchema.safeParse(bad).success).to.equal(false));
  }
});
