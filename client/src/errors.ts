import type { ClientError } from './api.js';
import type { Key } from './i18n/en.js';
import { t } from './i18n/i18n.js';

/** Each server error in plain words (the codes are §2's): a new code is a compile error until it has its text. */
const TEXT: Record<Exclude<ClientError['code'], 'NO_ANSWER'>, Key> = {
  MUTED: 'A facilitator has muted you in this group: you can read along, but not send, react or raise your hand.',
  SLOW_MODE: 'Slow mode is on in this group.',
  SESSION_CLOSED: 'The session is closed: you can read, but not send, until a facilitator opens it again.',
  RATE_LIMITED: 'That was a lot in a short time. Take a breath.',
  BANNED: 'You can no longer take part in this group.',
  ROOM_LOCKED: 'This room is locked for this session. You will be let in as soon as a facilitator unlocks it.',
  AGREEMENT_REQUIRED: "Please read and accept the group's agreement to take part.",
  AGREEMENT_CHANGED: "The group's agreement has just changed. Please read the new version.",
  FORBIDDEN: 'You are not allowed to do that here.',
  NOT_FOUND: 'That no longer exists, or you cannot see it.',
  BAD_REQUEST: 'That did not work: please check what you entered.',
  UNAUTHORIZED: 'Your sign-in is no longer valid. Please sign in again.',
  INTERNAL: 'Something went wrong on the server. Please try again in a moment.',
};

/** What to tell a person about an error, in plain words. */
export function describeError(e: ClientError): string {
  if (e.code === 'NO_ANSWER') return e.message;
  if (e.code === 'BAD_REQUEST' && e.issues?.[0]?.message) return t('That did not work: {issue}.', { issue: e.issues[0].message });
  return t(TEXT[e.code]);
}
