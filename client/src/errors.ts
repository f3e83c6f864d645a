import type { ClientError } from './api.js';
import { t } from './i18n/i18n.js';

/** What to tell a person about an error, in plain words (the codes are §2's; each has its catalogue entry). */
export function describeError(e: ClientError): string {
  if (e.code === 'NO_ANSWER') return e.message;
  if (e.code === 'BAD_REQUEST' && e.issues?.[0]?.message) return t('error.BAD_REQUEST_ISSUE', { issue: e.issues[0].message });
  return t(`error.${e.code}`);
}
