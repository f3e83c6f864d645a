import type { ClientError } from './api.js';

/** What to tell a person about an error, in plain words (the codes are §2's). */
export function describeError(e: ClientError): string {
  switch (e.code) {
    case 'MUTED':
      return 'A facilitator has muted you in this group: you can read along, but not send, react or raise your hand.';
    case 'SLOW_MODE':
      return 'Slow mode is on in this group.';
    case 'SESSION_CLOSED':
      return 'The session is closed: you can read, but not send, until a facilitator opens it again.';
    case 'RATE_LIMITED':
      return 'That was a lot in a short time. Take a breath.';
    case 'BANNED':
      return 'You can no longer take part in this group.';
    case 'ROOM_LOCKED':
      return 'This room is locked for this session. You will be let in as soon as a facilitator unlocks it.';
    case 'AGREEMENT_REQUIRED':
      return "Please read and accept the group's agreement to take part.";
    case 'AGREEMENT_CHANGED':
      return "The group's agreement has just changed. Please read the new version.";
    case 'FORBIDDEN':
      return 'You are not allowed to do that here.';
    case 'NOT_FOUND':
      return 'That no longer exists, or you cannot see it.';
    case 'BAD_REQUEST':
      return e.issues?.[0]?.message ? `That did not work: ${e.issues[0].message}.` : 'That did not work: please check what you entered.';
    case 'UNAUTHORIZED':
      return 'Your sign-in is no longer valid. Please sign in again.';
    case 'INTERNAL':
      return 'Something went wrong on the server. Please try again in a moment.';
    case 'NO_ANSWER':
      return e.message;
  }
}
