import { h } from '../../dom.js';

/** One part of the console on screen; disposed when another section opens or the page is left. */
export interface Panel {
  readonly el: HTMLElement;
  dispose(): void;
}

/** A console panel's section, named by its heading, with a line on what it shows (and never shows). */
export function panelSection(id: string, title: string, intro: string, ...children: Node[]): HTMLElement {
  return h(
    'section',
    { class: 'panel console-panel', 'aria-labelledby': id },
    h('h3', { id }, title),
    h('p', { class: 'muted-text' }, intro),
    ...children,
  );
}
