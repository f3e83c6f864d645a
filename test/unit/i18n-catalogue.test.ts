import { expect } from 'chai';
import { CRISIS_WORDS } from '../../client/src/i18n/crisis.js';
import { en, enPlurals, type Key, type Plural } from '../../client/src/i18n/en.js';
import { es } from '../../client/src/i18n/es.js';

const counted = enPlurals as Record<string, Plural | undefined>;
const textsOf = (entry: string | Plural): string[] =>
  typeof entry === 'string' ? [entry] : Object.values(entry).filter((v) => v !== undefined);
/** An English key with its forms: a counted text's plural entry, else the text itself. */
const english = (key: Key): string | Plural => counted[key] ?? key;

/** The placeholders an entry uses, across all its plural forms. */
function placeholders(entry: string | Plural): string[] {
  return [...new Set(textsOf(entry).flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)))].sort();
}

const keys: Key[] = [...en, ...(Object.keys(enPlurals) as Key[])];

describe('the client catalogues (English and Spanish)', () => {
  it('list each English text once, and Spanish translates exactly those', () => {
    expect(new Set(keys).size, 'no text listed twice').to.equal(keys.length);
    // The compiler already refuses a missing or extra key in es.ts; this holds at run time too.
    expect(Object.keys(es).sort()).to.deep.equal([...keys].sort());
  });

  it('use the same placeholders in every entry, so no value is lost or left as "{name}"', () => {
    const differ = keys
      .filter((k) => placeholders(english(k)).join() !== placeholders(es[k]).join())
      .map((k) => `${k}: en {${placeholders(english(k)).join(', ')}} es {${placeholders(es[k]).join(', ')}}`);
    expect(differ).to.deep.equal([]);
  });

  it('give counted texts a `{count}` and the forms each language needs', () => {
    for (const key of Object.keys(enPlurals) as Key[]) {
      const spanish = es[key];
      expect(typeof spanish, key).to.equal('object');
      for (const [lang, forms] of [
        ['en', english(key) as Plural],
        ['es', spanish as Plural],
      ] as const) {
        const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories.filter((c) => c === 'one' || c === 'other');
        for (const c of needed) expect(forms[c], `${key} (${lang}) lacks "${c}"`).to.be.a('string');
        expect(placeholders(forms), key).to.include('count');
      }
      expect((english(key) as Plural).other, 'a counted text is keyed by its `other` form').to.equal(key);
    }
  });

  it('have no empty text', () => {
    for (const key of keys) for (const text of [...textsOf(english(key)), ...textsOf(es[key])]) expect(text.trim(), key).to.not.equal('');
  });

  it('give the crisis dialog the same words in both languages', () => {
    expect(Object.keys(CRISIS_WORDS.es).sort()).to.deep.equal(Object.keys(CRISIS_WORDS.en).sort());
  });
});
