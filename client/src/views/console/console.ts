import type { AppContext, View } from '../../context.js';
import { h, replace } from '../../dom.js';
import { t } from '../../i18n/i18n.js';
import type { Panel } from './panel.js';
import { SECTIONS, type ConsoleSection } from './sections.js';

/**
 * The staff console (§8 without curl): one page with a section list, each section a panel of its
 * own module (sections.ts) that shows what the signed-in role may do. Facilitators and admins only.
 */
export class ConsoleView implements View {
  readonly el: HTMLElement;
  private readonly sections: ConsoleSection[];
  private readonly picker: HTMLElement;
  private readonly body = h('div', { class: 'console-body' });
  private panel: Panel | undefined;

  constructor(
    private readonly ctx: AppContext,
    section?: string,
  ) {
    this.sections = SECTIONS.filter((s) => s.allowed(ctx.me));
    this.picker = h(
      'nav',
      { class: 'console-sections', 'aria-label': t('Console sections') },
      ...this.sections.map((s) =>
        h('button', { type: 'button', 'data-section': s.id, onclick: () => ctx.go({ to: 'console', section: s.id }) }, t(s.label)),
      ),
    );
    this.el = h('section', { class: 'page console' }, h('h2', { tabindex: -1 }, t('Program console')), this.picker, this.body);
    this.open(section);
  }

  get title(): string {
    return t('Program console');
  }

  dispose(): void {
    this.panel?.dispose();
  }

  /** Shows one section: the first allowed when `id` is unknown or not allowed. */
  private open(id: string | undefined): void {
    const section = this.sections.find((s) => s.id === id) ?? this.sections[0];
    if (!section) return replace(this.body, h('p', null, t('The console is for facilitators and admins.')));
    this.picker.querySelectorAll('button').forEach((b) => {
      if (b.dataset.section === section.id) b.setAttribute('aria-current', 'true');
      else b.removeAttribute('aria-current');
    });
    this.panel = section.open(this.ctx);
    replace(this.body, this.panel.el);
  }
}
