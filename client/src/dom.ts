// The only way this client builds DOM: text goes in as text nodes, never as HTML, so nothing a
// user types can become markup or script.
import { perLocale, t } from './i18n/i18n.js';

type Child = Node | string | number | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Record<string, AttrValue | ((e: Event) => void)>;

/**
 * Creates an element. `on…` keys become listeners, `true` a bare attribute, `false`/null/undefined
 * nothing; strings and numbers among the children become text nodes.
 * @example h('p', { class: 'note' }, 'Hello ', h('strong', null, name))
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else if (value !== false && value !== null && value !== undefined) el.setAttribute(key, String(value));
  }
  append(el, ...children);
  return el;
}

/**
 * Makes a <details> action menu close once one of its actions is chosen, with focus back on its
 * summary (so a dialog the action opens returns focus there). A button marked `data-keep-open`
 * shows more inside the menu instead, and leaves it open.
 */
export function closesAfterAction<T extends HTMLDetailsElement>(menu: T): T {
  menu.addEventListener('click', (e) => {
    const button = (e.target as Element).closest('button');
    if (!button || button.closest('summary') || button.hasAttribute('data-keep-open')) return;
    menu.open = false;
    menu.querySelector('summary')?.focus();
  });
  return menu;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces an element's children. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el as T;
}

let uid = 0;
/** A page-unique id for label/aria wiring. */
export const nextId = (prefix: string) => `${prefix}-${++uid}`;

/**
 * Says something to screen readers through the page's live regions. Assertive is for alerts that
 * should interrupt (crisis resources, a facilitator's action on you), polite for everything else.
 */
export function announce(text: string, assertive = false): void {
  const region = byId(assertive ? 'live-assertive' : 'live-polite');
  // Clearing first makes a repeat of the same sentence be read again.
  region.textContent = '';
  window.setTimeout(() => (region.textContent = text), 50);
}

/** The date formats of the page's locale. */
const dateFormats = perLocale((now) => ({
  time: new Intl.DateTimeFormat(now, { hour: 'numeric', minute: '2-digit' }),
  day: new Intl.DateTimeFormat(now, { month: 'short', day: 'numeric' }),
}));

/** "9:41 PM" today, "Mar 3, 9:41 PM" on another day (in Spanish "9:41 p.m.", "3 mar, 9:41 p.m."). */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const { time, day } = dateFormats();
  const today = new Date().toDateString() === d.toDateString();
  return today ? time.format(d) : `${day.format(d)}, ${time.format(d)}`;
}

/** "2 min", "45 s": for countdowns. */
export function formatWait(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 90) return t('{n} s', { n: s });
  const m = Math.ceil(s / 60);
  return m < 90 ? t('{n} min', { n: m }) : t('{n} h', { n: Math.round(m / 60) });
}

/** A random id for `clientMsgId`; getRandomValues works on plain http too, unlike randomUUID. */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
