import { expect } from 'chai';
import { DEFAULT_RESOURCE_SETS } from '../../server/safety/resources.js';
import { crisisResource, crisisResourceSets } from '../../shared/index.js';

describe('crisis resources schema (§7)', () => {
  it('holds the defaults to the same rules as a CRISIS_RESOURCES_FILE', () => {
    expect(crisisResourceSets.parse(DEFAULT_RESOURCE_SETS)).to.deep.equal(DEFAULT_RESOURCE_SETS);
  });

  const base = { name: 'Line', contact: 'Call 988', description: '24/7' };
  const good: object[] = [
    { ...base, call: '988' },
    { ...base, call: '+18006624357' },
    { ...base, text: '741741', textBody: 'HOME' },
    { ...base, text: '988', textBody: 'AYUDA' },
    { ...base, url: 'https://988lifeline.org/chat' },
  ];
  for (const r of good) it(`accepts ${JSON.stringify(r)}`, () => expect(crisisResource.safeParse(r).success).to.equal(true));

  const bad: object[] = [
    base,
    { ...base, call: '' },
    { ...base, call: '9' },
    { ...base, call: '1234567890123456' },
    { ...base, call: '+1 988' },
    { ...base, call: '1-800-662-4357' },
    { ...base, call: '988,2' },
    { ...base, call: '++988' },
    { ...base, text: '741741', textBody: 'HOME?x' },
    { ...base, text: '741741', textBody: '' },
    { ...base, url: 'http://988lifeline.org' },
    { ...base, url: 'ftp://988lifeline.org' },
    { ...base, url: 'tel:988' },
    { ...base, url: 'javascript:alert(1)' },
    { ...base, call: '988', name: '' },
    { ...base, call: '988', extra: 'x' },
  ];
  for (const r of bad) it(`refuses ${JSON.stringify(r)}`, () => expect(crisisResource.safeParse(r).success).to.equal(false));
});
