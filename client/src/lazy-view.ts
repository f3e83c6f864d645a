import type { View } from './context.js';
import { h, replace } from './dom.js';
import { t } from './i18n/i18n.js';

/**
 * A screen whose code is fetched when it is first opened (its own chunk of the bundle): the staff
 * screens stay out of everyone's first load. Until it arrives the page says so; if it cannot be
 * fetched (offline before it was ever kept), it says why and offers to try again.
 */
export class LazyView implements View {
  readonly el = h('div', { class: 'lazy-view' });
  private view: View | undefined;
  private disposed = false;

  constructor(
    readonly title: string,
    private readonly load: () => Promise<View>,
  ) {
    void this.open();
  }

  dispose(): void {
    this.disposed = true;
    this.view?.dispose();
  }

  private async open(): Promise<void> {
    replace(this.el, h('p', { class: 'page' }, t('Loading…')));
    let view: View;
    try {
      view = await this.load();
    } catch {
      if (this.disposed) return;
      replace(
        this.el,
        h(
          'section',
          { class: 'page' },
          h('p', { class: 'problem', role: 'alert' }, t('This page could not be loaded. Check your connection and try again.')),
          h('button', { type: 'button', onclick: () => void this.open() }, t('Try again')),
        ),
      );
      return;
    }
    if (this.disposed) return view.dispose();
    this.view = view;
    replace(this.el, view.el);
    view.el.querySelector<HTMLElement>('h2')?.focus();
  }
}
