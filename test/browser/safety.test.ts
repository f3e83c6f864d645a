import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { TestClient } from '../support/client.js';
import { http, makeGroup } from '../support/server.js';
import { audit } from './axe.js';
import { browserSuite, messageItems, screenshot, send } from './browser.js';

/** axe's serious and critical violations, by rule id. */
const ids = async (page: Page) => (await audit(page)).map((v) => v.id);

/** The links in a dialog, by their name: what a tap on each does. */
async function hrefs(dialog: Locator): Promise<Record<string, string | null>> {
  const links = dialog.getByRole('link');
  const out: Record<string, string | null> = {};
  for (let i = 0; i < (await links.count()); i++) out[(await links.nth(i).textContent()) ?? ''] = await links.nth(i).getAttribute('href');
  return out;
}

describe('browser: safety', function () {
  const suite = browserSuite(this);

  it('renders HTML and script in messages and names as text, and runs none of it', async () => {
    const fac = suite.srv.user('facilitator', 'Fran');
    const evil = suite.srv.user('participant', '<img src=x onerror=alert(3)>');
    const reader = suite.srv.user('participant', 'Rae');
    const groupId = await makeGroup(suite.srv, fac, [evil, reader]);
    const route = { to: 'group', groupId } as const;
    const [e, r] = [await suite.open(evil.token, { route }), await suite.open(reader.token, { route })];
    const payloads = [
      '<img src=x onerror=alert(1)>',
      '<script>alert(2)</script>',
      '<b onmouseover=alert(4)>bold</b> &amp; <a href="javascript:alert(5)">x</a>',
    ];
    for (const text of payloads) await send(e.page, text);
    for (const text of payloads) {
      const item = messageItems(r.page, text);
      await item.waitFor();
      expect(await item.locator('.text').textContent()).to.equal(text);
    }
    await r.page.locator('.member-name', { hasText: '<img src=x onerror=alert(3)>' }).waitFor();
    for (const t of [e, r]) {
      const injected = await t.page.evaluate(() => ({
        img: document.querySelectorAll('main img').length,
        script: document.querySelectorAll('main script, body > script').length,
        b: document.querySelectorAll('main b, main a').length,
      }));
      expect(injected).to.deep.equal({ img: 0, script: 0, b: 0 });
      expect(t.dialogs).to.deep.equal([]);
      expect(t.errors).to.deep.equal([]);
    }
  });

  it('shows the sender the crisis resources, kindly, and alerts the facilitator', async () => {
    const fac = suite.srv.user('facilitator', 'Fran');
    const sam = suite.srv.user('participant', 'Sam');
    const groupId = await makeGroup(suite.srv, fac, [sam]);
    const route = { to: 'group', groupId } as const;
    const [s, f] = [await suite.open(sam.token, { route, bypassCSP: true }), await suite.open(fac.token, { route })];
    const text = 'some nights I just want to end it all';
    await s.page.locator('.composer textarea').fill(text);
    await s.page.locator('.composer textarea').press('Enter');
    const dialog = s.page.getByRole('dialog', { name: 'You don’t have to go through this alone' });
    await dialog.waitFor();
    expect(await dialog.textContent())
      .to.contain('988')
      .and.to.contain('Your message was sent to your group');
    // Each resource is a link a phone calls or texts at once, built from the numbers alone.
    expect(await hrefs(dialog)).to.deep.equal({
      'Call 988': 'tel:988',
      'Text 988': 'sms:988',
      'Visit 988lifeline.org': 'https://988lifeline.org',
      'Text HOME to 741741': 'sms:741741?body=HOME',
      'Call 1-800-662-4357': 'tel:+18006624357',
    });
    expect(await ids(s.page)).to.deep.equal([]);
    await screenshot(s.page, 'crisis-resources');

    // The Spanish set, one tap away in the same dialog.
    await dialog.getByRole('button', { name: 'Español' }).click();
    const spanish = s.page.getByRole('dialog', { name: 'No tienes que pasar por esto a solas' });
    await spanish.waitFor();
    expect(await spanish.getAttribute('lang')).to.equal('es');
    expect(await spanish.getByRole('button', { name: 'Español' }).getAttribute('aria-pressed')).to.equal('true');
    expect(await hrefs(spanish)).to.deep.equal({
      'Llamar al 988': 'tel:988',
      'Enviar AYUDA al 988': 'sms:988?body=AYUDA',
      'Enviar AYUDA al 741741': 'sms:741741?body=AYUDA',
      'Llamar al 1-800-662-4357': 'tel:+18006624357',
    });
    expect(await spanish.textContent()).to.contain('marca 2');
    expect(await ids(s.page)).to.deep.equal([]);
    await screenshot(s.page, 'crisis-resources-es');
    await spanish.getByRole('button', { name: 'English' }).click();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    await s.page.getByRole('button', { name: 'Help now' }).waitFor();
    // The message was not blocked, and the facilitator's queue has the alert.
    await messageItems(f.page, text).waitFor();
    await f.page.locator('.alert.crisis', { hasText: 'Crisis alert: Sam may need support' }).waitFor();
  });

  it('offers "Help now" on every page without a crisis: a focused dialog of links, Spanish for a Spanish browser, axe clean', async () => {
    const pat = suite.srv.user('participant', 'Pat');
    const t = await suite.open(pat.token, { route: { to: 'partners' }, bypassCSP: true, locale: 'es-MX' });
    // A Spanish page: the shell's button is Spanish too; the dialog's own switch changes only the dialog.
    const help = t.page.locator('#account').getByRole('button', { name: 'Ayuda ahora' });
    await help.click();
    const dialog = t.page.getByRole('dialog', { name: 'Ayuda ahora' });
    await dialog.waitFor();
    expect(await dialog.getAttribute('lang')).to.equal('es');
    // Focus starts in the dialog, on its title, so it opens at the top.
    expect(await t.page.evaluate(() => [document.activeElement?.tagName, document.activeElement?.textContent])).to.deep.equal([
      'H2',
      'Ayuda ahora',
    ]);
    const links = Object.values(await hrefs(dialog));
    expect(links).to.include('sms:741741?body=AYUDA');
    for (const href of links) expect(href).to.match(/^(tel:\+?[0-9]+|sms:\+?[0-9]+(\?body=[A-Z]+)?|https:\/\/)/);
    expect(await ids(t.page)).to.deep.equal([]);
    await screenshot(t.page, 'help-now-es');

    await dialog.getByRole('button', { name: 'English' }).click();
    const english = t.page.getByRole('dialog', { name: 'Help now' });
    await english.waitFor();
    expect(await hrefs(english)).to.include({ 'Text HOME to 741741': 'sms:741741?body=HOME', 'Call 988': 'tel:988' });
    expect(await english.textContent()).not.to.contain('Your message was sent');
    // Escape closes it and the focus goes back to the button, which stays on every page.
    await t.page.keyboard.press('Escape');
    await english.waitFor({ state: 'detached' });
    expect(await t.page.evaluate(() => document.activeElement?.textContent)).to.equal('Ayuda ahora');
    await t.page.getByRole('button', { name: 'Grupos' }).click();
    await help.click();
    await t.page.getByRole('dialog', { name: 'Ayuda ahora' }).waitFor();
    expect(t.errors).to.deep.equal([]);
  });

  it('shows an admin, where they land, the crisis alerts no facilitator could get, queued and live, and lets them resolve one', async () => {
    const admin = suite.srv.user('admin', 'Ada');
    const [pat, quinn] = [suite.srv.user('participant', 'Pat'), suite.srv.user('participant', 'Quinn')];
    const paired = await http(suite.srv.url, 'POST', '/api/partnerships', { token: admin.token, body: { userIds: [pat.id, quinn.id] } });
    expect(paired.status, paired.text).to.equal(201);
    const partnershipId = paired.body.data.partnership.id as string;
    const cp = await TestClient.connect(suite.srv.url, pat.token);
    try {
      // Raised while no admin is online: it waits in the program's queue.
      await cp.ok('partner:send', { partnershipId, text: 'I want to kill myself', clientMsgId: 'b1' });
      await cp.waitEvent('safety:resources');
      const a = await suite.open(admin.token, { bypassCSP: true });
      const panel = a.page.getByRole('region', { name: /Program alerts/ });
      const alerts = panel.locator('.alert.crisis');
      await alerts.filter({ hasText: 'Crisis alert: Pat may need support' }).waitFor();
      expect(await panel.textContent())
        .to.contain('no facilitator')
        .and.not.to.contain('kill myself');

      // Raised while the admin is here: it appears without a reload.
      await cp.ok('partner:send', { partnershipId, text: 'I took too many pills', clientMsgId: 'b2' });
      await a.page.getByText('Program alerts (2)').waitFor();
      expect(await alerts.count()).to.equal(2);
      expect(await ids(a.page)).to.deep.equal([]);
      await screenshot(a.page, 'program-alerts');

      await alerts.first().getByRole('button', { name: 'Mark resolved' }).click();
      await a.page.getByText('Program alerts (1)').waitFor();
      const open = await http(suite.srv.url, 'GET', '/api/alerts', { token: admin.token });
      expect(open.body.data.alerts.filter((x: { conversation: { id: string } }) => x.conversation.id === partnershipId)).to.have.length(1);
      expect(a.errors).to.deep.equal([]);
    } finally {
      cp.close();
    }
  });

  it('shows no program alerts to a facilitator', async () => {
    const fac = suite.srv.user('facilitator', 'Fran');
    await makeGroup(suite.srv, fac, []);
    const f = await suite.open(fac.token);
    await f.page.getByRole('button', { name: /^Open/ }).first().waitFor();
    expect(await f.page.getByRole('region', { name: /Program alerts/ }).count()).to.equal(0);
  });

  // The staff alert inbox (§5.5), on every page: at the top of a phone's page, and live across tabs.
  it('a crisis reaches the facilitator on another page: badge, banner and title; crisis first; acknowledging in one tab shows in the other', async () => {
    const fac = suite.srv.user('facilitator', 'Fran');
    const sam = suite.srv.user('participant', 'Sam');
    const groupId = await makeGroup(suite.srv, fac, [sam]);
    // One tab on the groups list, another on a 390 px phone on the Partners page.
    const desk = await suite.open(fac.token, { bypassCSP: true });
    const phone = await suite.open(fac.token, { bypassCSP: true, width: 390, height: 800, route: { to: 'partners' } });
    await desk.page.getByRole('button', { name: /^Open/ }).first().waitFor();
    await phone.page.getByRole('heading', { name: 'Accountability partners' }).waitFor();

    const cs = await TestClient.connect(suite.srv.url, sam.token);
    try {
      const plain = await cs.ok('group:send', { groupId, text: 'this group is pointless', clientMsgId: 'w1' });
      await cs.ok('report', { conversation: { kind: 'group', id: groupId }, messageId: plain.message.id, reason: 'spam' });
      await cs.ok('group:send', { groupId, text: 'I want to end it all tonight', clientMsgId: 'w2' });
    } finally {
      cs.close();
    }

    for (const t of [desk, phone]) {
      const banner = t.page.getByRole('alert').filter({ hasText: 'Crisis alert' });
      await banner.waitFor();
      await t.page.getByRole('button', { name: /Alerts 2 open alerts/ }).waitFor();
      await t.page.waitForFunction(() => document.title.startsWith('(1) Crisis alert — '));
      const inbox = t.page.getByRole('region', { name: 'Staff alerts' });
      const items = inbox.locator('.alert');
      expect(await items.first().textContent()).to.contain('Crisis alert · Tuesday evening group');
      expect(await items.nth(1).textContent()).to.contain('Report (spam)');
      expect(await inbox.textContent()).not.to.contain('end it all');
      expect(await ids(t.page)).to.deep.equal([]);
    }
    // On the phone the crisis is at the top of the page, above the view.
    const box = await phone.page.locator('.alert.crisis').first().boundingBox();
    expect(box!.y, 'the crisis alert is near the top of a 390 px page').to.be.below(400);
    await screenshot(phone.page, 'inbox-390');

    await desk.page.locator('.alert.crisis').getByRole('button', { name: 'Acknowledge' }).click();
    for (const t of [desk, phone]) {
      await t.page.locator('.alert.crisis', { hasText: /acknowledged by you/ }).waitFor();
      await t.page.getByRole('alert').filter({ hasText: 'Crisis alert' }).waitFor({ state: 'hidden' });
      await t.page.waitForFunction(() => !document.title.includes('Crisis alert'));
    }
    expect(await phone.page.locator('.alert.crisis').getByRole('button', { name: 'Acknowledge' }).count()).to.equal(0);

    await phone.page.locator('.alert.crisis').getByRole('textbox', { name: 'Note' }).fill('Called Sam; safe with family');
    await phone.page.locator('.alert.crisis').getByRole('button', { name: 'Resolve' }).click();
    await desk.page.getByRole('button', { name: /Alerts 1 open alerts/ }).waitFor();
    expect(await desk.page.locator('.alert.crisis').count()).to.equal(0);
    for (const t of [desk, phone]) expect(t.errors).to.deep.equal([]);
  });
});
