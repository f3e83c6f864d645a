import { expect } from 'chai';
import { CRISIS_WORDS } from '../../client/src/i18n/crisis.js';
import { en, type Plural } from '../../client/src/i18n/en.js';
import { es } from '../../client/src/i18n/es.js';

const textsOf = (entry: string | Plural): string[] =>
  typeof entry === 'string' ? [entry] : Object.values(entry).filter((v) => v !== undefined);

/** The placeholders an entry uses, across all its plural forms. */
function placeholders(entry: string | Plural): string[] {
  return [...new Set(textsOf(entry).flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)))].sort();
}

describe('the client catalogues (English and Spanish)', () => {
  it('have the same keys', () => {
    // The compiler already refuses a missing or extra key in es.ts; this holds at run time too.
    expect(Object.keys(es).sort()).to.deep.equal(Object.keys(en).sort());
  });

  it('use the same placeholders in every entry, so no value is lost or left as "{name}"', () => {
    const differ = Object.keys(en)
      .map((k) => k as keyof typeof en)
      .filter((k) => placeholders(en[k]).join() !== placeholders(es[k]).join())
      .map((k) => `${k}: en {${placeholders(en[k]).join(', ')}} es {${placeholders(es[k]).join(', ')}}`);
    expect(differ).to.deep.equal([]);
  });

  it('give counted strings a `{count}` and the forms each language needs', () => {
    for (const [key, entry] of Object.entries(en)) {
      if (typeof entry === 'string') continue;
      const spanish = es[key as keyof typeof es];
      expect(typeof spanish, key).to.equal('object');
      for (const [lang, forms] of [
        ['en', entry],
        ['es', spanish as Plural],
      ] as const) {
        const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories.filter((c) => c === 'one' || c === 'other');
        for (const c of needed) expect(forms[c], `${key} (${lang}) lacks "${c}"`).to.be.a('string');
        expect(placeholders(forms), key).to.include('count');
      }
    }
  });

  it('have no empty text', () => {
    for (const cat of [en, es])
      for (const [key, entry] of Object.entries(cat)) for (const text of textsOf(entry)) expect(text.trim(), key).to.not.equal('');
  });

  it('give the crisis dialog the same words in both languages', () => {
    expect(Object.keys(CRISIS_WORDS.es).sort()).to.deep.equal(Object.keys(CRISIS_WORDS.en).sort());
  });
});
