import type { GroupState } from '../../../shared/index.js';
import { formatTime, formatWait } from '../dom.js';

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 86_400_000;
const soonFmt = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit' });
const laterFmt = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});

/** "Tue 6:00 PM" within the week, "Tue, Dec 15, 6:00 PM" beyond it: in the viewer's locale and time zone. */
export function formatSessionStart(ms: number, now: number): string {
  return (ms - now < WEEK_MS - HOUR_MS ? soonFmt : laterFmt).format(ms);
}

/**
 * The room's schedule line (§5.6): "Session open until 7:30 PM", or "Next session Tue 6:00 PM"
 * with a countdown when it is under an hour away; null for a group without a schedule (or with
 * nothing planned and nothing open).
 */
export function scheduleLine(state: GroupState, now: number): { text: string; countdown: boolean } | null {
  if (state.session) return { text: `Session open until ${formatTime(state.session.end)}`, countdown: false };
  const next = state.nextSessionStart;
  if (next === null) return null;
  const text = `Next session ${formatSessionStart(next, now)}`;
  if (next - now >= HOUR_MS || next <= now) return { text, countdown: false };
  return { text: `${text} · starts in ${formatWait(next - now)}`, countdown: true };
}
