// t() in the client (client/src/i18n/i18n.ts): placeholders filled, plural forms chosen by count,
// and the helpers built on it (the idle warning's "in 2 minutes", countdowns) in English, the
// language a page starts in before any catalogue is fetched.
import { expect } from 'chai';
import { formatWait } from '../../client/src/dom.js';
import { t } from '../../client/src/i18n/i18n.js';
import { inWords } from '../../client/src/idle.js';

describe('client text: t() and the helpers on it (English)', () => {
  it('fills every placeholder, and leaves one without a value visible rather than empty', () => {
    expect(t('Check-in alert ({rule}) for {name}', { rule: 'high craving', name: 'Ana' })).to.equal(
      'Check-in alert (high craving) for Ana',
    );
    expect(t('{name} has not checked in in the last 14 days.', {})).to.equal('{name} has not checked in in the last 14 days.');
  });

  it('picks the plural form by count', () => {
    expect([inWords(60_000), inWords(120_000), inWords(1000), inWords(90_000)]).to.deep.equal([
      '1 minute',
      '2 minutes',
      '1 second',
      '90 seconds',
    ]);
    expect(
      t('Crisis alert: {count} people in your care may need support now. Acknowledge to tell the other staff you are on it.', { count: 1 }),
    ).to.match(/^Crisis alert: someone in your care may need support now\./);
    expect(
      t('Crisis alert: {count} people in your care may need support now. Acknowledge to tell the other staff you are on it.', { count: 3 }),
    ).to.match(/^Crisis alert: 3 people in your care may need support now\./);
  });

  it('writes countdowns from the catalogue', () => {
    expect([formatWait(45_000), formatWait(120_000), formatWait(3 * 3600_000)]).to.deep.equal(['45 s', '2 min', '3 h']);
  });
});
