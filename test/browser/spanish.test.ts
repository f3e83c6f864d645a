// The client in Spanish (issue 19, first stage): the browser's language picks it, a switch on the
// sign-in page and in "Your data" changes it at once and is remembered, times follow the locale,
// and the Spanish catalogue (/es.js) is fetched only when it is needed.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { TestClient } from '../support/client.js';
import { makeGroup, serverPool } from '../support/server.js';
import { accessibleAtBothWidths, audit } from './axe.js';
import { browserSuite, openTab, screenshot } from './browser.js';

describe('browser: Spanish', function () {
  const suite = browserSuite(this, { server: false, timeout: 60_000 });
  const { start, closeAll: stopServers } = serverPool();

  after(async () => {
    await stopServers();
  });

  const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang);
  /** Whether the page fetched the Spanish catalogue. */
  const watchCatalogue = (page: Page) => {
    const seen = { es: false };
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/es.js') seen.es = true;
    });
    return seen;
  };

  it('shows the sign-in page in Spanish to a Spanish browser, axe-clean at 320 and 1280 px, and in English to an English one, without fetching Spanish', async () => {
    const srv = await start({ env: { JWT_SECRET: '' } });
    const es = await openTab(suite.browser, srv.url, undefined, { locale: 'es-US', width: 320, bypassCSP: true });
    suite.tabs.push(es);
    await es.page.getByRole('heading', { name: 'Iniciar sesión', level: 2 }).waitFor();
    expect(await htmlLang(es.page)).to.equal('es');
    expect(await es.page.title()).to.equal('Iniciar sesión · Bridge');
    await es.page.getByRole('heading', { name: 'Inicia sesión con un código de tu programa' }).waitFor();
    await es.page.getByLabel('Código de acceso').waitFor();
    await es.page.getByRole('heading', { name: 'Modo de demostración' }).waitFor();
    await es.page.getByLabel('Tu nombre en el grupo').waitFor();
    expect(
      await es.page.getByRole('group', { name: 'Idioma' }).getByRole('button', { name: 'Español' }).getAttribute('aria-pressed'),
    ).to.equal('true');
    // A problem is said in Spanish too.
    await es.page.getByLabel('Código de acceso').fill('   ');
    await es.page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await es.page.getByRole('alert').filter({ hasText: 'Pega el código de acceso que te dio tu programa.' }).waitFor();
    await accessibleAtBothWidths(es.page, 'the Spanish sign-in page');
    await screenshot(es.page, 'signin-es');

    const context = await suite.browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      const fetched = watchCatalogue(page);
      await page.goto(`${srv.url}/`);
      await page.getByRole('heading', { name: 'Demo mode' }).waitFor();
      await page.getByRole('heading', { name: 'Sign in', level: 2 }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await htmlLang(page)).to.equal('en');
      expect(fetched.es, 'the English page never fetches /es.js').to.equal(false);
    } finally {
      await context.close();
    }
  });

  it('switches the sign-in page at once, keeps focus on the switch, and remembers the choice after a reload', async () => {
    const srv = await start();
    const tab = await openTab(suite.browser, srv.url, undefined, { locale: 'en-US' });
    suite.tabs.push(tab);
    const { page } = tab;
    const fetched = watchCatalogue(page);
    await page.getByRole('heading', { name: 'Sign in', level: 2 }).waitFor();
    await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { name: 'Iniciar sesión', level: 2 }).waitFor();
    expect(fetched.es).to.equal(true);
    expect(await htmlLang(page)).to.equal('es');
    expect(
      await page.evaluate(() => [document.activeElement?.textContent, document.activeElement?.getAttribute('aria-pressed')]),
    ).to.deep.equal(['Español', 'true']);
    await page.reload();
    await page.getByRole('heading', { name: 'Iniciar sesión', level: 2 }).waitFor();
    expect(await htmlLang(page)).to.equal('es');
    await page.getByRole('group', { name: 'Idioma' }).getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Sign in', level: 2 }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in', level: 2 }).waitFor();
    expect(await htmlLang(page)).to.equal('en');
  });

  it('shows "Your data" in Spanish with its switch, axe-clean at 320 and 1280 px, and switching there is live and remembered', async () => {
    const srv = await start();
    const me = srv.user('participant', 'Paz');
    const tab = await openTab(suite.browser, srv.url, me.token, { locale: 'es-US', route: { to: 'your-data' }, bypassCSP: true });
    suite.tabs.push(tab);
    const { page } = tab;
    await page.getByRole('heading', { name: 'Tus datos', level: 2 }).waitFor();
    expect(await htmlLang(page)).to.equal('es');
    await page.getByRole('button', { name: 'Descargar mis datos' }).waitFor();
    await page.getByRole('button', { name: 'Borrar mis datos…' }).click();
    await page.getByRole('heading', { name: '¿Borrar mis datos?' }).waitFor();
    await page.getByRole('heading', { name: 'Qué se conserva, y por qué' }).waitFor();
    await page.getByRole('button', { name: 'Borrar mis datos', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Marca la casilla para confirmar, o elige Cancelar.' }).waitFor();
    await accessibleAtBothWidths(page, 'Tus datos, with the confirmation open');
    await screenshot(page, 'your-data-es');

    await page.getByRole('group', { name: 'Idioma' }).getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Your data', level: 2 }).waitFor();
    expect(await htmlLang(page)).to.equal('en');
    await page.getByRole('button', { name: 'Delete my data…' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Your data', level: 2 }).waitFor();
    expect(await htmlLang(page)).to.equal('en');
  });

  it('keeps "Your data" in English for an English browser', async () => {
    const srv = await start();
    const me = srv.user('participant', 'Pat');
    const tab = await openTab(suite.browser, srv.url, me.token, { locale: 'en-US', route: { to: 'your-data' } });
    suite.tabs.push(tab);
    await tab.page.getByRole('heading', { name: 'Your data', level: 2 }).waitFor();
    await tab.page.getByRole('button', { name: 'Download my data' }).waitFor();
    expect(await htmlLang(tab.page)).to.equal('en');
    expect(
      await tab.page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'English' }).getAttribute('aria-pressed'),
    ).to.equal('true');
  });

  it('writes times the Spanish way (the waiting room says since when)', async () => {
    const srv = await start();
    const fac = srv.user('facilitator', 'Fran');
    const ana = srv.user('participant', 'Ana');
    const groupId = await makeGroup(srv, fac, [ana]);
    const f = await TestClient.connect(srv.url, fac.token);
    try {
      await f.ok('group:join', { groupId });
      await f.ok('mod:waitingroom', { groupId, waitingRoom: true });
      const tab = await openTab(suite.browser, srv.url, ana.token, {
        locale: 'es-US',
        route: { to: 'group', groupId },
        timeZone: 'America/New_York',
        bypassCSP: true,
      });
      suite.tabs.push(tab);
      const screen = tab.page.getByRole('region', { name: 'Esperando para entrar' });
      await screen.waitFor();
      const status = (await screen.getByRole('status').textContent()) ?? '';
      expect(status).to.contain('Estás en la sala de espera de Tuesday evening group.');
      // es-US writes "9:41 p.m."; English would be "9:41 PM".
      expect(status).to.match(/En espera desde \d{1,2}:\d{2}\s?[ap]\.\s?m\./);
      expect(await audit(tab.page), 'the Spanish waiting screen').to.deep.equal([]);
    } finally {
      f.close();
    }
  });

  it('writes dates the Spanish way, and shows a facilitator the crisis inbox in Spanish (a disclosure recorded for an earlier day)', async () => {
    const srv = await start({ env: { ACCESS_LOG_KEY: 'k'.repeat(40) } });
    const fac = srv.user('facilitator', 'Fran');
    const sam = srv.user('participant', 'Sam');
    const groupId = await makeGroup(srv, fac, [sam]);
    const tab = await openTab(suite.browser, srv.url, fac.token, { locale: 'es-US', bypassCSP: true });
    suite.tabs.push(tab);
    const { page } = tab;
    const s = await TestClient.connect(srv.url, sam.token);
    try {
      await s.ok('group:send', { groupId, text: 'I want to end it all tonight', clientMsgId: 'w1' });
    } finally {
      s.close();
    }
    await page.getByRole('alert').filter({ hasText: 'Alerta de crisis: alguien a tu cargo podría necesitar apoyo ahora.' }).waitFor();
    await page.getByRole('heading', { name: 'Alertas de crisis (1)' }).waitFor();
    const alert = page.locator('.alert.crisis');
    await alert.getByText(' · esperando a alguien').waitFor();
    await alert.getByText('Divulgaciones de emergencia').click();
    await alert.getByText('No hay divulgaciones registradas.').waitFor();
    await alert.getByRole('textbox', { name: 'Destinatario (personal médico)' }).fill('Dr. Lee');
    await alert.getByRole('textbox', { name: 'Su institución' }).fill('County ER');
    await alert.getByLabel('Fecha y hora').fill('2026-03-03T21:41');
    await alert.getByRole('textbox', { name: 'Naturaleza de la emergencia' }).fill('Suspected overdose');
    await alert.getByRole('button', { name: 'Registrar la divulgación' }).click();
    const item = alert.locator('.disclosure-list li', { hasText: 'A Dr. Lee (County ER)' });
    await item.waitFor();
    // es-US: "3 mar, 9:41 p.m."; English would say "Mar 3, 9:41 PM".
    expect(await item.locator('time').textContent()).to.match(/^3 mar, 9:41\s?p\.\s?m\.$/);
    expect(await item.textContent()).to.contain(' por Fran, ');
    expect(await audit(page), 'the Spanish crisis inbox').to.deep.equal([]);
  });

  it('warns before an idle sign-out in Spanish, with the time in Spanish words', async () => {
    const srv = await start({ env: { IDLE_LOGOFF_SEC: '4' } });
    const tab = await openTab(suite.browser, srv.url, srv.user('participant', 'Paz').token, { locale: 'es-US', bypassCSP: true });
    suite.tabs.push(tab);
    const warning = tab.page.getByRole('alertdialog', { name: '¿Sigues ahí?' });
    await warning.waitFor();
    expect(await warning.textContent()).to.contain('Tu sesión se cerrará en 2 segundos');
    expect(await audit(tab.page), 'the Spanish idle warning').to.deep.equal([]);
    await warning.getByRole('button', { name: 'Mantener la sesión abierta' }).click();
    await warning.waitFor({ state: 'detached' });
  });

  it("shows a participant's own check-in in Spanish, and says in Spanish who will see it", async () => {
    const srv = await start();
    const tab = await openTab(suite.browser, srv.url, srv.user('participant', 'Paz').token, {
      locale: 'es-US',
      route: { to: 'partners' },
      bypassCSP: true,
    });
    suite.tabs.push(tab);
    const { page } = tab;
    const mine = page.getByRole('region', { name: 'Tu registro' });
    await mine.waitFor();
    await mine.getByText('Solo tú ves tus registros.').waitFor();
    await mine.getByLabel('Quién ve mis registros:').selectOption('staff');
    await mine.getByText('Los facilitadores de tus grupos ven tus registros.').waitFor();
    await mine.getByText('Registrarme ahora').click();
    await mine.getByRole('group', { name: '¿Cómo está tu ánimo hoy?' }).getByLabel('3 · regular').waitFor();
    await mine.getByRole('group', { name: '¿Consumiste desde tu último registro?' }).waitFor();
    await mine.getByRole('button', { name: 'Enviar registro' }).click();
    await mine.getByText('Registro guardado. Gracias por contarnos cómo estás.').waitFor();
    expect(await audit(page), 'the Spanish check-in').to.deep.equal([]);
  });

  it('opens in English, not blank, when the Spanish catalogue cannot be fetched', async () => {
    const srv = await start();
    const context = await suite.browser.newContext({ locale: 'es-US' });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.route('**/es.js', (route) => route.abort('internetdisconnected'));
      await page.goto(`${srv.url}/`);
      await page.getByRole('heading', { name: 'Sign in', level: 2 }).waitFor();
      expect(await htmlLang(page)).to.equal('en');
      // Choosing Spanish now says why nothing changed, in the language on screen.
      await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'Español' }).click();
      await page.locator('#live-polite', { hasText: 'That language could not be loaded right now.' }).waitFor({ state: 'attached' });
      expect(await page.getByRole('heading', { name: 'Sign in', level: 2 }).count()).to.equal(1);
      expect(errors).to.deep.equal([]);
    } finally {
      await context.close();
    }
  });
});
