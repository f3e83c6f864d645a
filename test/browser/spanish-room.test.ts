// The shell, "My groups" and the group room in Spanish (issue 19, second stage): a participant's
// groups with their unread counts, the room's messages, reactions, the new-messages marker, the
// empty-room prompt, the composer and why it cannot send, the connection badge; a facilitator's
// members list and room controls; the navigation and signing out. Nothing in English is left.
import { expect } from 'chai';
import type { TestClient } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { makeGroup, type TestServer, type TestUser } from '../support/server.js';
import { accessibleAtBothWidths, audit, fitsWidth } from './axe.js';
import { englishIn } from './spanish-words.js';
import { browserSuite, messageItems, openTab, screenshot, send } from './browser.js';

describe('browser: the shell, My groups and the room in Spanish', function () {
  const suite = browserSuite(this, { server: { env: { RATE_LIMITS: 'send=1000/10' } }, timeout: 90_000 });
  let srv: TestServer;
  let fac: TestUser;
  let ana: TestUser;
  let ben: TestUser;
  let groupId: string;
  let benClient: TestClient;
  let facClient: TestClient;
  const { enter, sent, closeAll } = roomClients(() => srv);
  /** What people wrote or are called: not ours to translate. */
  const GROUP = 'Tuesday evening group';
  const theirs = [GROUP, 'Fran', 'Ana', 'Ben'];

  before(async () => {
    srv = suite.srv;
    fac = srv.user('facilitator', 'Fran');
    ana = srv.user('participant', 'Ana');
    ben = srv.user('participant', 'Ben');
    groupId = await makeGroup(srv, fac, [ana, ben]);
    benClient = await enter(ben, groupId);
    facClient = await enter(fac, groupId);
    for (let i = 1; i <= 30; i++) await sent(benClient, groupId, `hola ${i}`);
  });

  after(async () => {
    closeAll();
  });

  const open = async (user: TestUser, opts: { width?: number; colorScheme?: 'light' | 'dark'; gid?: string } = {}) => {
    const tab = await openTab(suite.browser, srv.url, user.token, {
      locale: 'es-US',
      bypassCSP: true,
      width: opts.width ?? 1280,
      height: 800,
      colorScheme: opts.colorScheme ?? 'light',
      route: { to: 'group', groupId: opts.gid ?? groupId },
    });
    suite.tabs.push(tab);
    await tab.page.locator('.room-head h2', { hasText: GROUP }).waitFor();
    return tab;
  };

  it('shows the navigation, the empty-room prompt and "My groups" with their unread counts in Spanish', async () => {
    const quiet = await makeGroup(srv, fac, [ana, ben]);
    const { page } = await open(ana, { gid: quiet });
    expect(await page.evaluate(() => document.documentElement.lang)).to.equal('es');
    expect(await page.title()).to.equal(`${GROUP} · Bridge`);
    const nav = page.locator('#nav');
    await nav.getByRole('button', { name: 'Grupos', exact: true }).waitFor();
    await nav.getByRole('button', { name: 'Compañeros' }).waitFor();
    const account = page.locator('#account');
    for (const name of ['Ayuda ahora', 'Tus datos', 'Cerrar sesión']) await account.getByRole('button', { name }).waitFor();
    await page.locator('.conn.online', { hasText: 'Conectado' }).waitFor();
    await page.locator('.empty-prompt', { hasText: 'Todavía no hay mensajes. Este es un lugar seguro para empezar' }).waitFor();
    // On a phone only: the way down to the room's panel.
    await page.locator('.to-side', { hasText: 'Miembros y herramientas de la sala ↓' }).waitFor({ state: 'attached' });
    expect(await englishIn(page.locator('body'), { theirs }), 'the empty room').to.deep.equal([]);

    await page.getByRole('button', { name: '← Todos los grupos' }).click();
    await page.getByRole('heading', { name: 'Mis grupos', level: 2 }).waitFor();
    expect(await page.title()).to.equal('Mis grupos · Bridge');
    const ben2 = await enter(ben, quiet);
    await sent(ben2, quiet, 'hola, ¿hay alguien?');
    await sent(ben2, quiet, 'espero un rato');
    await nav.getByRole('button', { name: 'Grupos', exact: true }).click();
    const badge = page.locator('.card .unread').filter({ visible: true });
    await badge.filter({ hasText: '2 mensajes nuevos' }).waitFor();
    expect(await badge.count(), 'only the group with news').to.equal(1);
    expect(await badge.locator('[aria-hidden="true"]').textContent(), 'the number is what shows').to.equal('2');
    await page
      .locator('.card')
      .first()
      .getByRole('button', { name: /^Abrir / })
      .waitFor();
    expect(await englishIn(page.locator('body'), { theirs }), 'My groups').to.deep.equal([]);
    await accessibleAtBothWidths(page, 'Mis grupos');
    await screenshot(page, 'groups-es');
  });

  it("shows a participant's room in Spanish: messages, reactions, the new-messages marker, a raised hand and the reasons not to send", async () => {
    const { page } = await open(ana, { width: 1280 });
    await messageItems(page, 'hola 30').waitFor();
    await page.getByRole('region', { name: /^Miembros \(\d de 3 en línea\)$/ }).waitFor();
    await page.locator('.member', { hasText: 'Ana (tú)' }).waitFor();
    await page.getByLabel('Mensaje para el grupo').waitFor();

    // A reaction, from the message's menu.
    const item = messageItems(page, 'hola 30');
    await item.locator('summary', { hasText: 'Acciones para el mensaje de Ben' }).click();
    await item.getByRole('button', { name: 'Reportar' }).waitFor();
    await item.getByRole('group', { name: 'Reaccionar' }).getByRole('button', { name: 'Reaccionar 💪' }).click();
    await item.locator('.reaction.mine[title="incluida la tuya"]', { hasText: '💪 1' }).waitFor();
    await send(page, 'gracias a todos');
    await page.locator('.msg.mine .sender', { hasText: 'Ana (tú)' }).first().waitFor();

    // Scrolled up, what arrives is marked, and counted in Spanish plurals.
    await page.locator('.room-main .scroller').evaluate((el) => (el.scrollTop = 0));
    await sent(benClient, groupId, 'mientras leías');
    const jump = page.getByRole('button', { name: /^Ir a lo más reciente/ });
    await jump.filter({ hasText: 'Ir a lo más reciente (1 nuevo)' }).waitFor();
    await sent(benClient, groupId, 'y otro más');
    await jump.filter({ hasText: 'Ir a lo más reciente (2 nuevos)' }).waitFor();
    expect(await page.locator('.new-marker').textContent()).to.equal('Mensajes nuevos');
    expect(await englishIn(page.locator('.room-main'), { theirs }), 'the room, scrolled up').to.deep.equal([]);
    await jump.click();
    await jump.waitFor({ state: 'hidden' });

    // A raised hand, as the facilitator sees it too.
    await page.getByRole('button', { name: '✋ Levantar la mano' }).click();
    await page.getByRole('button', { name: '✋ Bajar la mano', pressed: true }).waitFor();
    await page.locator('.flash', { hasText: 'Tienes la mano levantada. Un facilitador te dará la palabra.' }).waitFor();
    await facClient.ok('mod:lowerHand', { groupId, userId: ana.id });
    await page.getByRole('button', { name: '✋ Levantar la mano', pressed: false }).waitFor();

    // Slow mode: the refusal counts down in Spanish.
    await facClient.ok('mod:slowmode', { groupId, seconds: 30 });
    await page.locator('.badge', { hasText: 'Modo lento: 30 s' }).waitFor();
    await send(page, 'primero con modo lento');
    const box = page.locator('.composer textarea');
    await box.fill('demasiado pronto');
    await box.press('Enter');
    const problem = page.locator('.composer .problem');
    await problem.filter({ hasText: /^El modo lento está activado en este grupo\. Podrás volver a enviar en \d+ s\.$/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Enviar' }).isDisabled()).to.equal(true);
    await box.fill('');
    await facClient.ok('mod:slowmode', { groupId, seconds: 0 });
    await problem.waitFor({ state: 'hidden' });

    // Muted: the reason, with until when, in Spanish; and the room still says nothing in English.
    await facClient.ok('mod:mute', { groupId, userId: ana.id, minutes: 15 });
    await problem.filter({ hasText: /^Un facilitador te silenció hasta \d{1,2}:\d{2}\s?[ap]\.\s?m\.\. Puedes seguir leyendo/ }).waitFor();
    expect(await box.isDisabled()).to.equal(true);
    expect(await englishIn(page.locator('body'), { theirs: [...theirs, 'gracias a todos'] }), 'the muted room').to.deep.equal([]);
    await page.setViewportSize({ width: 320, height: 700 });
    expect(await fitsWidth(page), 'the muted room fits 320 px').to.be.at.most(320);
    expect(await audit(page), 'the muted room at 320 px').to.deep.equal([]);
    await screenshot(page, 'room-muted-es-320');
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await audit(page), 'the muted room at 1280 px').to.deep.equal([]);
    await facClient.ok('mod:unmute', { groupId, userId: ana.id });
    await problem.waitFor({ state: 'hidden' });
  });

  it('says offline in Spanish, in the badge and above the box, and keeps what is written to send when back', async () => {
    const { page, context } = await open(ana, { width: 320, colorScheme: 'dark' });
    await context.setOffline(true);
    await page.locator('.conn.offline', { hasText: 'No tienes conexión. Lo que escribas se guarda' }).waitFor({ timeout: 3000 });
    await page.locator('.composer-note', { hasText: 'Sin conexión: lo que envíes ahora espera aquí' }).waitFor();
    await page.locator('.composer textarea').fill('escrito sin conexión');
    await page.locator('.composer textarea').press('Enter');
    const pending = page.locator('.msg.pending', { hasText: 'escrito sin conexión' });
    await pending.locator('.status', { hasText: 'Todavía no se envió: se enviará cuando vuelvas a conectarte' }).waitFor();
    expect(await englishIn(page.locator('body'), { theirs: [...theirs, 'escrito sin conexión'] }), 'the room offline').to.deep.equal([]);
    expect(await audit(page), 'the room offline, dark, at 320 px').to.deep.equal([]);
    expect(await fitsWidth(page)).to.be.at.most(320);
    await screenshot(page, 'room-offline-es-dark-320');
    await context.setOffline(false);
    await messageItems(page, 'escrito sin conexión').waitFor();
    await page.locator('.conn.online', { hasText: 'Conectado' }).waitFor();
  });

  it("shows a facilitator's members list and room controls in Spanish, and they act in Spanish", async () => {
    const { page } = await open(fac);
    expect(await page.locator('#account .who').textContent()).to.equal('Fran · facilitador');
    const controls = page.getByRole('region', { name: 'Controles de la sala' });
    await controls.getByText('La sesión está abierta.').waitFor();
    await controls.getByRole('button', { name: 'Cerrar la sesión' }).waitFor();
    await controls.getByRole('button', { name: 'Asistencia' }).waitFor();
    await controls.getByRole('button', { name: 'Activar la sala de espera' }).click();
    await page.locator('.flash', { hasText: 'Sala de espera activada: las personas esperan hasta que las dejes entrar.' }).waitFor();
    await controls.getByRole('heading', { name: 'En espera (0)' }).waitFor();
    await controls.getByText('No hay nadie esperando.').waitFor();
    await controls.getByLabel('Modo lento').selectOption({ label: 'Un mensaje cada 30 s' });
    await page.locator('.flash', { hasText: 'Modo lento: un mensaje cada 30 s.' }).waitFor();
    await page.locator('.room-head .badge', { hasText: 'Modo lento: 30 s' }).waitFor();
    await controls.getByRole('button', { name: 'Cerrar la sala' }).click();
    await page.locator('.room-head .badge', { hasText: 'Sala cerrada' }).waitFor();
    await benClient.ok('group:hand', { groupId, raised: true });
    await controls.locator('.queue li', { hasText: 'Ben (siguiente)' }).getByRole('button', { name: 'Bajar la mano' }).waitFor();

    const members = page.getByRole('region', { name: /^Miembros \(\d de 3 en línea\)$/ });
    const benRow = members.locator('.member', { hasText: 'Ben' });
    await benRow.locator('.hand[title="Mano levantada"]').waitFor();
    await benRow.getByText('Opciones').click();
    const muteFor = benRow.getByLabel('Silenciar durante');
    expect(await muteFor.locator('option').allTextContents()).to.deep.equal([
      '5 minutos',
      '15 minutos',
      '1 hora',
      'Hasta el final del día',
      'Hasta que le quite el silencio',
    ]);
    for (const name of ['Quitar el silencio', 'Registros (14 días)', 'Bajar la mano', 'Quitar de la sala', 'Expulsar del grupo'])
      await benRow.getByRole('button', { name }).waitFor();
    await muteFor.selectOption({ label: '5 minutos' });
    await benRow.getByRole('button', { name: 'Silenciar', exact: true }).click();
    await page.locator('.flash', { hasText: 'Se silenció a Ben.' }).waitFor();
    await members.locator('.member', { hasText: 'Ben' }).locator('.badge', { hasText: 'en silencio' }).waitFor();

    const left = [
      ...(await englishIn(page.locator('.room-main'), { theirs })),
      ...(await englishIn(controls, { theirs })),
      ...(await englishIn(members, { theirs })),
      ...(await englishIn(page.locator('#nav'), { theirs })),
    ];
    expect(left, 'the room, its members and controls').to.deep.equal([]);
    await accessibleAtBothWidths(page, "a facilitator's room");
    await screenshot(page, 'room-facilitator-es');

    await controls.getByRole('button', { name: 'Abrir la sala' }).click();
    await controls.getByRole('button', { name: 'Desactivar la sala de espera' }).click();
    await controls.getByLabel('Modo lento').selectOption({ label: 'Desactivado' });
    await page.locator('.flash', { hasText: 'El modo lento está desactivado.' }).waitFor();
    await facClient.ok('mod:unmute', { groupId, userId: ben.id });
    await benClient.ok('group:hand', { groupId, raised: false });
  });

  it('redraws the navigation, the connection and the title in the language chosen in "Your data"', async () => {
    const tab = await openTab(suite.browser, srv.url, ana.token, { locale: 'es-US', bypassCSP: true, route: { to: 'your-data' } });
    suite.tabs.push(tab);
    const { page } = tab;
    await page.getByRole('heading', { name: 'Tus datos', level: 2 }).waitFor();
    expect(await page.locator('.skip-link').textContent()).to.equal('Saltar al contenido');
    expect(await page.getByRole('navigation').getAttribute('aria-label')).to.equal('Secciones');
    await page.getByRole('group', { name: 'Idioma' }).getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Your data', level: 2 }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Sections' });
    await nav.getByRole('button', { name: 'Groups', exact: true }).waitFor();
    expect(await nav.getByRole('button', { name: 'Partners' }).count()).to.equal(1);
    await page.locator('#account').getByRole('button', { name: 'Sign out' }).waitFor();
    await page.locator('.conn.online', { hasText: 'Connected' }).waitFor();
    expect(await page.locator('.skip-link').textContent()).to.equal('Skip to content');
    expect(await page.title()).to.equal('Your data · Bridge');
    expect(await nav.getByRole('button', { name: 'Groups', exact: true }).getAttribute('aria-current'), 'still no section marked').to.equal(
      null,
    );
    await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'Español' }).click();
    await page.locator('#nav').getByRole('button', { name: 'Grupos', exact: true }).waitFor();
    await page.locator('.conn.online', { hasText: 'Conectado' }).waitFor();
  });

  it('signs out to the Spanish sign-in page, and says in Spanish why an expired sign-in code was refused', async () => {
    const { page } = await open(ana);
    await page.locator('#account').getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.getByRole('heading', { name: 'Iniciar sesión', level: 2 }).waitFor();
    expect(await page.title()).to.equal('Iniciar sesión · Bridge');
    expect(await page.locator('#nav').textContent()).to.equal('');

    const expired = srv.token({ id: ana.id, name: ana.name, role: 'participant' }, -60);
    const context = await suite.browser.newContext({ locale: 'es-US' });
    try {
      const late = await context.newPage();
      await late.goto(`${srv.url}/#token=${expired}`);
      await late.getByText('Tu inicio de sesión venció. Vuelve a iniciar sesión, por favor.').waitFor();
      await late.getByRole('heading', { name: 'Iniciar sesión', level: 2 }).waitFor();
    } finally {
      await context.close();
    }
  });
});
