import type { GroupState } from '../../../shared/index.js';
import { formatTime, formatWait } from '../dom.js';
import { perLocale, t } from '../i18n/i18n.js';

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 86_400_000;

/** The page's language writes the day and time (not the browser's). */
const startFormats = perLocale((now) => ({
  soon: new Intl.DateTimeFormat(now, { weekday: 'short', hour: 'numeric', minute: '2-digit' }),
  later: new Intl.DateTimeFormat(now, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }),
}));

/**
 * "Tue 6:00 PM" within the week, "Tue, Dec 15, 6:00 PM" beyond it (in Spanish "mar 6:00 p.m.",
 * "mar, 15 de dic, 6:00 p.m."): in the page's language and the viewer's time zone.
 */
export function formatSessionStart(ms: number, now: number): string {
  const { soon, later } = startFormats();
  return (ms - now < WEEK_MS - HOUR_MS ? soon : later).format(ms);
}

/**
 * The room's schedule line (§5.6): "Session open until 7:30 PM", or "Next session Tue 6:00 PM"
 * with a countdown when it is under an hour away; null for a group without a schedule (or with
 * nothing planned and nothing open).
 */
export function scheduleLine(state: GroupState, now: number): { text: string; countdown: boolean } | null {
  if (state.session) return { text: t('Session open until {time}', { time: formatTime(state.session.end) }), countdown: false };
  const next = state.nextSessionStart;
  if (next === null) return null;
  const when = formatSessionStart(next, now);
  if (next - now >= HOUR_MS || next <= now) return { text: t('Next session {when}', { when }), countdown: false };
  return { text: t('Next session {when} · starts in {wait}', { when, wait: formatWait(next - now) }), countdown: true };
}
