import type { Invite, PartnershipView } from '../../../shared/index.js';
import { MAX_NOTE_CHARS } from '../../../shared/vocabulary.js';
import type { AppContext, View } from '../context.js';
import { announce, h, nextId, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/i18n.js';
import { distinctNames } from '../names.js';
import { myCheckinPanel } from './my-checkin.js';

/** Accountability partners: my partnerships with unread badges, invites to answer, and inviting someone. */
export class PartnersView implements View {
  readonly el: HTMLElement;
  private readonly listBox = h('div', null, h('p', null, t('Loading…')));
  private readonly invitesBox = h('div');
  private readonly inviteBox = h('div');
  private readonly flashEl = h('p', { class: 'flash', role: 'status' });
  private readonly offs: (() => void)[] = [];
  private partnerships: PartnershipView[] = [];
  private invites: Invite[] = [];
  /** people who share a group with me, by id */
  private people: Map<string, string> | undefined;

  get title(): string {
    return t('Partners');
  }

  constructor(private readonly ctx: AppContext) {
    this.el = h(
      'section',
      { class: 'page partners' },
      h('h2', { tabindex: -1 }, t('Accountability partners')),
      h('p', { class: 'muted-text' }, t('One-to-one support between sessions. Only the two of you can read your conversation.')),
      myCheckinPanel(ctx),
      this.flashEl,
      this.invitesBox,
      this.listBox,
      this.inviteBox,
    );
    const { conn } = ctx;
    this.offs.push(
      conn.onOnline(() => void this.load()),
      conn.on('partner:invited', (p) => {
        announce(t('{name} invited you to be accountability partners.', { name: p.from.name }));
        void this.load();
      }),
      conn.on('partner:updated', () => void this.load()),
      conn.on('partner:message', () => this.renderList()),
      conn.on('partner:presence', (p) => {
        this.partnerships = this.partnerships.map((x) =>
          x.id === p.partnershipId && x.partner.id === p.userId ? { ...x, partner: { ...x.partner, online: p.online } } : x,
        );
        this.renderList();
      }),
    );
    void this.loadPeople();
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }

  private async load(): Promise<void> {
    const res = await this.ctx.conn.request('partner:list', {});
    if (!res.ok) return replace(this.listBox, h('p', { class: 'problem' }, describeError(res.error)));
    this.partnerships = res.data.partnerships;
    this.invites = res.data.invites;
    this.ctx.invitesListed(this.invites);
    for (const p of this.partnerships) this.ctx.unread.set(p.id, p.unread);
    this.renderList();
    this.renderInvites();
    this.renderInviteForm();
  }

  private renderList(): void {
    if (!this.partnerships.length) {
      replace(this.listBox, h('h3', null, t('Your partners')), h('p', null, t('No partners yet. Invite someone from your group below.')));
      return;
    }
    replace(
      this.listBox,
      h('h3', null, t('Your partners')),
      h(
        'ul',
        { class: 'cards partner-list' },
        ...this.partnerships.map((p) => {
          const unread = this.ctx.unread.get(p.id);
          return h(
            'li',
            { class: 'card partner' },
            h(
              'button',
              { type: 'button', class: 'partner-open', onclick: () => this.ctx.go({ to: 'partner', partnershipId: p.id }) },
              h('span', { class: `dot ${p.partner.online ? 'on' : 'off'}`, 'aria-hidden': 'true' }),
              h('span', { class: 'member-name' }, p.partner.name),
              h('span', { class: 'sr-only' }, p.partner.online ? t(', online') : t(', offline')),
              p.status === 'ended' ? h('span', { class: 'badge' }, t('ended')) : null,
              unread ? h('span', { class: 'unread' }, String(unread), h('span', { class: 'sr-only' }, t(' unread'))) : null,
            ),
          );
        }),
      ),
    );
  }

  private renderInvites(): void {
    const incoming = this.invites.filter((i) => i.status === 'pending' && i.to.id === this.ctx.me.id);
    const outgoing = this.invites.filter((i) => i.status === 'pending' && i.from.id === this.ctx.me.id);
    replace(
      this.invitesBox,
      incoming.length
        ? h(
            'section',
            { class: 'panel', 'aria-label': t('Invitations for you') },
            h('h3', null, t('Invitations for you')),
            h(
              'ul',
              { class: 'invites' },
              ...incoming.map((i) =>
                h(
                  'li',
                  { class: 'invite' },
                  h(
                    'p',
                    null,
                    ...around(t('{name} would like to be your accountability partner.'), 'name', h('strong', null, i.from.name)),
                  ),
                  i.note ? h('p', { class: 'note' }, `“${i.note}”`) : null,
                  h(
                    'div',
                    { class: 'inline' },
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'primary',
                        'aria-label': t('Accept {name}', { name: i.from.name }),
                        onclick: () => void this.respond(i, true),
                      },
                      t('Accept'),
                    ),
                    h(
                      'button',
                      {
                        type: 'button',
                        'aria-label': t('Decline {name}', { name: i.from.name }),
                        onclick: () => void this.respond(i, false),
                      },
                      t('Decline'),
                    ),
                  ),
                ),
              ),
            ),
          )
        : null,
      outgoing.length
        ? h('p', { class: 'muted-text' }, t('Waiting for an answer from {names}.', { names: outgoing.map((i) => i.to.name).join(', ') }))
        : null,
    );
  }

  private async respond(i: Invite, accept: boolean): Promise<void> {
    const res = await this.ctx.conn.request('partner:respond', { inviteId: i.id, accept });
    this.flash(
      res.ok
        ? accept
          ? t('You and {name} are now partners.', { name: i.from.name })
          : t('Invitation declined.')
        : describeError(res.error),
    );
    await this.load();
    if (res.ok && accept && res.data.partnership) this.ctx.go({ to: 'partner', partnershipId: res.data.partnership.id });
  }

  /** The people I could invite: members of my groups. */
  private async loadPeople(): Promise<void> {
    const groups = await this.ctx.call('GET /api/groups');
    if (!groups.ok) return;
    const people = new Map<string, string>();
    for (const g of groups.data.groups) {
      const res = await this.ctx.call('GET /api/groups/:groupId', { params: { groupId: g.id } });
      if (res.ok) for (const m of res.data.members) if (m.id !== this.ctx.me.id) people.set(m.id, m.name);
    }
    this.people = people;
    this.renderInviteForm();
  }

  /** Invite someone who shares a group with me, and is not already my partner or invited. */
  private renderInviteForm(): void {
    if (!this.people) return;
    const taken = new Set([
      ...this.partnerships.filter((p) => p.status === 'active').map((p) => p.partner.id),
      ...this.invites.filter((i) => i.status === 'pending').flatMap((i) => [i.from.id, i.to.id]),
    ]);
    const people = new Map([...this.people].filter(([id]) => !taken.has(id)));
    if (!people.size) return replace(this.inviteBox);
    const whoId = nextId('invitee');
    const noteId = nextId('invite-note');
    const who = h(
      'select',
      { id: whoId, required: true },
      ...[...distinctNames([...people].map(([id, name]) => ({ id, name })))]
        .sort((a, b) => a[1].localeCompare(b[1]))
        .map(([id, label]) => h('option', { value: id }, label)),
    );
    const note = h('input', { id: noteId, type: 'text', maxlength: MAX_NOTE_CHARS });
    replace(
      this.inviteBox,
      h(
        'form',
        {
          class: 'card',
          onsubmit: (e) => {
            e.preventDefault();
            void this.invite(who.value, note, people.get(who.value) ?? t('them'));
          },
        },
        h('h3', null, t('Invite a partner')),
        h('label', { for: whoId }, t('Someone from your group')),
        who,
        h('label', { for: noteId }, t('A short note (optional)')),
        note,
        h('button', { type: 'submit', class: 'primary' }, t('Send invitation')),
      ),
    );
  }

  /** Sends the invitation; the note field is cleared once it is sent. */
  private async invite(userId: string, note: HTMLInputElement, name: string): Promise<void> {
    const res = await this.ctx.conn.request('partner:invite', note.value.trim() ? { userId, note: note.value } : { userId });
    this.flash(res.ok ? t('Invitation sent to {name}.', { name }) : describeError(res.error));
    if (res.ok) {
      note.value = '';
      void this.load();
    }
  }

  private flash(text: string): void {
    this.flashEl.textContent = text;
  }
}

/** A translated text with the `{slot}` placeholder replaced by a node (a name in bold), wherever the language puts it. */
function around(text: string, slot: string, node: Node): (string | Node)[] {
  const [before = '', after = ''] = text.split(`{${slot}}`);
  return [before, node, after];
}
