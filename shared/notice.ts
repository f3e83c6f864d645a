// The redisclosure notice of 42 CFR §2.32, carried by every export of a person's records (issue 18
// item 3): in a JSON export as its `notice` field, in a CSV export as its first line.

/** The §2.32(a)(1) statement, word for word, that must accompany each disclosure made with consent. */
export const REDISCLOSURE_NOTICE =
  'This record which has been disclosed to you is protected by federal confidentiality rules (42 CFR part 2). ' +
  'These rules prohibit you from using or disclosing this record, or testimony that describes the information contained in this record, ' +
  'in any civil, criminal, administrative, or legislative proceedings by any Federal, State, or local authority, against the patient, ' +
  'unless authorized by the consent of the patient, except as provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. ' +
  'In addition, the Federal rules prohibit you from making any other use or disclosure of this record unless at least one of the following applies: ' +
  '(A) Further use or disclosure is expressly permitted by the written consent of the individual whose information is being disclosed in this record ' +
  'or as otherwise permitted by 42 CFR part 2. ' +
  '(B) You are a covered entity or business associate and have received the record for treatment, payment, or health care operations, or ' +
  '(C) You have received the record from a covered entity or business associate as permitted by 45 CFR part 164, subparts A and E. ' +
  'A general authorization for the release of medical or other information is NOT sufficient to meet the required elements of written consent ' +
  'to further use or redisclose the record (see 42 CFR 2.31).';

/**
 * A CSV export with the notice before its header: a preamble row of one quoted field (the notice
 * has commas but no quotes), so a spreadsheet shows it whole in the first cell.
 * @example withNotice('day,mood\r\n2026-01-01,3\r\n')
 */
export function withNotice(csv: string): string {
  return `"${REDISCLOSURE_NOTICE}"\r\n${csv}`;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a leading = + - @ is defused for spreadsheets. */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
