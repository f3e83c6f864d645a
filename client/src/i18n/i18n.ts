// The page's language: English is bundled; Spanish is a separate file (/es.js) fetched only when
// it is chosen or the browser asks for it, so the English first load stays small.
import { enPlurals, type Catalogue, type Key, type Plural } from './en.js';

export type Lang = 'en' | 'es';
export const LANGS: readonly Lang[] = ['en', 'es'];
/** Each language's name in itself, so a person who cannot read the current one still finds theirs. */
export const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', es: 'Español' };

const STORE_KEY = 'bridge.lang';
let current: Lang = 'en';
/** The current language's catalogue; English has none (its texts are the keys). */
let words: Catalogue | undefined;
let plurals = new Intl.PluralRules('en');

export type Params = Record<string, string | number>;

/** The current language. */
export const lang = (): Lang => current;

/** Where the browser names no variant of the language: our Spanish is Latin American. */
const DEFAULT_LOCALE: Record<Lang, string> = { en: 'en', es: 'es-419' };

/**
 * The BCP 47 locale for dates and numbers: the browser's own when it is in the current language
 * (es-MX keeps its conventions), else the language's default.
 */
export function locale(): string {
  const own = navigator.languages.find((l) => l.toLowerCase().split('-')[0] === current);
  return own ?? DEFAULT_LOCALE[current];
}

/** What `make` builds for the page's locale (Intl formats are costly to make), made again when the language changes. */
export function perLocale<T>(make: (locale: string) => T): () => T {
  let made: { locale: string; value: T } | undefined;
  return () => {
    const now = locale();
    if (made?.locale !== now) made = { locale: now, value: make(now) };
    return made.value;
  };
}

/** What the person chose on this device, else the first of the browser's languages we speak. */
export function preferredLang(): Lang {
  const saved = readSaved();
  if (saved) return saved;
  for (const l of navigator.languages) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'es') return 'es';
    if (base === 'en') return 'en';
  }
  return 'en';
}

function readSaved(): Lang | undefined {
  try {
    const saved = localStorage.getItem(STORE_KEY);
    return LANGS.find((l) => l === saved);
  } catch {
    return undefined; // storage refused (privacy mode): the browser's language then
  }
}

/**
 * A failing connection often hangs rather than fails (the app shell waits as long, §8.1): the page
 * then opens in English rather than blank.
 */
const LOAD_TIMEOUT_MS = 3000;

/** The catalogue of `to`, or undefined when it could not be fetched in time. */
async function catalogue(to: Lang): Promise<Catalogue | 'en' | undefined> {
  if (to === 'en') return 'en';
  // A URL, not a module path, so the bundler leaves it out of app.js (server/http/client.ts
  // bundles es.ts as its own file, beside app.js). From the root, not beside this module: once a
  // lazily loaded screen uses t() too, this module is in a shared chunk under /chunks/.
  const file = new URL('/es.js', import.meta.url).href;
  const load = import(file).then(
    (m: typeof import('./es.js')) => m.es,
    () => undefined,
  );
  let timer: number | undefined;
  const late = new Promise<undefined>((resolve) => (timer = window.setTimeout(resolve, LOAD_TIMEOUT_MS)));
  const got = await Promise.race([load, late]);
  window.clearTimeout(timer);
  return got;
}

/**
 * Switches to `to`, fetching its catalogue first; `remember` keeps the choice on this device.
 * Resolves false, staying in the language it was in, when the catalogue cannot be fetched (a
 * catalogue that arrives too late is not used, so a page never changes language by itself).
 */
export async function setLang(to: Lang, remember = false): Promise<boolean> {
  const next = await catalogue(to);
  if (!next) return false;
  current = to;
  words = next === 'en' ? undefined : next;
  plurals = new Intl.PluralRules(locale());
  document.documentElement.lang = to;
  if (remember) {
    try {
      localStorage.setItem(STORE_KEY, to);
    } catch {
      // not remembered, but switched for this page
    }
  }
  return true;
}

const counted = enPlurals as Record<string, Plural | undefined>;

/**
 * A text that reads differently by use carries its use before a U+0004 (gettext's msgctxt):
 * 'verb\u0004Report' is "Report" in English, and has its own entry in every other language.
 */
const english = (key: string) => key.slice(key.indexOf('\u0004') + 1);

/**
 * The English text `key` in the current language, with `{name}` placeholders filled from
 * `params`; a counted text picks its plural form by `params.count`.
 * @example t('{name} is typing…', { name: 'Ana' }); t('{count} minutes', { count: 1 }) // "1 minute"
 */
export function t(key: Key, params: Params = {}): string {
  const entry: string | Plural = words?.[key] ?? counted[key] ?? english(key);
  const text = typeof entry === 'string' ? entry : (entry[plurals.select(Number(params.count ?? 0))] ?? entry.other);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
