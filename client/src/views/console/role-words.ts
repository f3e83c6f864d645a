import type { GroupRole } from '../../../../shared/index.js';
import type { Key } from '../../i18n/en.js';

/** A group role as a label or a list item ("Facilitator · u123"). */
export const ROLE_NAMES: Record<GroupRole, Key> = { participant: 'Participant', facilitator: 'Facilitator' };

/** A role inside a sentence ("Make Ana facilitator", "fac1 (admin) read …"), through t(). */
export const ROLE_WORDS: Record<GroupRole | 'admin', Key> = {
  participant: 'participant',
  facilitator: 'facilitator',
  admin: 'admin',
};
