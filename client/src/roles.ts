import type { GlobalRole } from '../../shared/index.js';
import type { Key } from './i18n/en.js';
import { t } from './i18n/i18n.js';

const ROLE: Record<GlobalRole, Key> = { participant: 'participant', facilitator: 'facilitator', admin: 'admin' };

/** A role as it shows beside a name ("Fran · facilitator"), in the page's language. */
export const roleName = (role: GlobalRole): string => t(ROLE[role]);
