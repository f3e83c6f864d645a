// What the Spanish browser tests share: a view in Spanish has no English left in what it shows or
// says. One word list for every view (the union of what each view's test looked for).
import { expect } from 'chai';
import type { Locator } from 'playwright-core';

/**
 * English words that are not also Spanish: any of them in a Spanish view is a text that escaped
 * the catalogue. (Names and what people type in these tests are chosen so that none is here.)
 */
export const ENGLISH = new RegExp(
  // Word edges that know accented letters: "editó" and "canceló" are not "edit" and "cancel".
  String.raw`(?<![\p{L}\p{N}_])(the|and|you|your|with|of|to|in|is|are|was|not|can|for|from|by|this|until|since|yet|no one|send|save|cancel|remove|add|edit|refresh|accept|decline|invite|invitations?|groups?|sessions?|room|messages?|members?|partners?|partnership|pairings?|pair|schedule|attendance|agreement|version|status|name|description|minutes|hours?|week(ly)?|day|present|absent|late|still|ended|online|offline|connected|starts|off|default|check-ins?|craving|used|mood|notify|device|loading|could|download|waiting|seen|hand|raise|lower|report|reports|pin|delete|mute|muted|unmute|banned|unban|enrol|enrolled|sign|help|console|alerts|open|close|lock|admit|slow|manage|make|only|reactions|react|new|jump|next|queue|controls|actions?|show|entry|entries|read|resolved|access|audit|log|details|facilitator|participant|admin|moderation|person|everyone|first|second|nothing|older|load|create|all|records?|recorded|corrects|earlier|thresholds?|left|early|notice|disclosures?|emergency|program|alert)(?![\p{L}\p{N}_])`,
  'iu',
);

export type Leave = {
  /** selectors of parts another test checks (left out of the text and of the labels) */
  except?: string[];
  /** what people wrote, taken out of the text before looking */
  theirs?: string[];
};

/** Each line of what `scope` shows or says (its visible text, and its labels, titles, placeholders, alt) with an English word in it. */
export async function englishIn(scope: Locator, { except = [], theirs = [] }: Leave = {}): Promise<string[]> {
  const said = await scope.evaluate((el, skip) => {
    const skipped = skip.length ? Array.from(el.querySelectorAll<HTMLElement>(skip.join(','))) : [];
    let text = (el as HTMLElement).innerText;
    for (const s of skipped) text = text.replace(s.innerText, '');
    const attrs = ['aria-label', 'placeholder', 'title', 'alt'];
    const labels = [el, ...Array.from(el.querySelectorAll('*'))]
      .filter((e) => !skipped.some((s) => s.contains(e)))
      .flatMap((e) => attrs.map((a) => e.getAttribute(a) ?? ''));
    return [text, ...labels];
  }, except);
  return said
    .map((text) => theirs.reduce((left, t) => left.split(t).join(' '), text))
    .flatMap((text) => text.split('\n'))
    .filter((line) => ENGLISH.test(line));
}

/** Fails, naming the lines, when `scope` shows or says any English. */
export async function noEnglish(scope: Locator, what: string, leave: Leave = {}): Promise<void> {
  expect(await englishIn(scope, leave), `English left in ${what}`).to.deep.equal([]);
}
