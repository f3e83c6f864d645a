import { announce, h } from '../dom.js';
import { lang, LANGS, LANGUAGE_NAMES, setLang, t, type Lang } from '../i18n/i18n.js';

/**
 * One button per language, each named in its own language (and marked with its `lang`), the
 * shown one pressed. `pick` runs on a press; `show` marks which one is shown.
 */
export function langButtons(label: string, pick: (l: Lang) => void, className = 'lang-switch') {
  const el = h(
    'div',
    { class: className, role: 'group', 'aria-label': label },
    ...LANGS.map((l) => h('button', { type: 'button', lang: l, 'data-lang': l, onclick: () => pick(l) }, LANGUAGE_NAMES[l])),
  );
  const show = (l: Lang) =>
    el.querySelectorAll<HTMLButtonElement>('button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === l)));
  return { el, show };
}

/**
 * The page's language switch (sign-in page, "Your data"): a choice is remembered on this device
 * and applied at once; `rerender` redraws the view in it, and focus goes back to the switch.
 */
export function languageSwitch(rerender: () => void): HTMLElement {
  const buttons = langButtons(
    t('Language'),
    (l) => {
      if (l !== lang()) void choose(l);
    },
    'lang-switch app-lang',
  );
  const choose = async (l: Lang) => {
    if (!(await setLang(l, true))) return announce(t('That language could not be loaded right now. Please try again in a moment.'));
    rerender();
    document.querySelector<HTMLElement>(`.app-lang [data-lang="${l}"]`)?.focus();
  };
  buttons.show(lang());
  return buttons.el;
}
