// The staff console in Spanish (issue 19, second stage): a facilitator whose browser asks for
// Spanish runs a group from the console (creates it, edits it, enrols, sees a mute and lifts it),
// pairs partners, reads the audit log in Spanish sentences (the actor and target where Spanish puts
// them, minutes counted in Spanish), resolves a report; an admin filters the access log. Each panel
// shows no English, and is axe-clean at 320 and 1280 px (light, and dark for one).
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { TestClient } from '../support/client.js';
import { enrol, http, makeGroup, serverPool, type TestServer, type TestUser } from '../support/server.js';
import { accessibleAtBothWidths } from './axe.js';
import { englishIn } from './spanish-words.js';
import { browserSuite, openTab, screenshot, type Route } from './browser.js';

describe('browser: the console in Spanish', function () {
  const suite = browserSuite(this, { server: false, timeout: 90_000 });
  const { start, closeAll: stopServers } = serverPool();
  const clients: TestClient[] = [];

  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  after(async () => {
    await stopServers();
  });

  const open = async (srv: TestServer, who: TestUser, route: Route, colorScheme: 'light' | 'dark' = 'light') => {
    const tab = await openTab(suite.browser, srv.url, who.token, { locale: 'es-US', bypassCSP: true, route, colorScheme, height: 800 });
    suite.tabs.push(tab);
    await tab.page.getByRole('heading', { name: 'Consola del programa', level: 2 }).waitFor();
    return tab;
  };
  const connect = async (srv: TestServer, u: TestUser) => {
    const c = await TestClient.connect(srv.url, u.token);
    clients.push(c);
    return c;
  };
  /** A group with a Spanish name (the default test name is English) and these participants. */
  const grupo = async (srv: TestServer, fac: TestUser, name: string, members: TestUser[]) => {
    const groupId = await makeGroup(srv, fac, members);
    const res = await http(srv.url, 'PATCH', `/api/groups/${groupId}`, { token: fac.token, body: { name } });
    expect(res.status, res.text).to.equal(200);
    return groupId;
  };
  const consoleArea = (page: Page) => page.locator('section.console');
  const panel = (page: Page, heading: string) =>
    page.locator('section.console-panel', { has: page.getByRole('heading', { name: heading, level: 3 }) });

  it('lets a facilitator create, edit and staff a group in Spanish, and see and lift a mute', async () => {
    const srv = await start();
    const fac = srv.user('facilitator', 'Fran');
    const [ana, ben, ceci] = [srv.user('participant', 'Ana'), srv.user('participant', 'Beto'), srv.user('participant', 'Ceci')];
    const { page } = await open(srv, fac, { to: 'console', section: 'groups' });
    expect(await page.evaluate(() => document.documentElement.lang)).to.equal('es');
    const area = consoleArea(page);
    await page.getByRole('navigation', { name: 'Secciones de la consola' }).getByRole('button', { name: 'Compañeros' }).waitFor();
    await page.getByRole('heading', { name: 'Grupos', level: 3 }).waitFor();
    await page.getByText('Todavía no hay grupos. Crea el primero aquí abajo.').waitFor();
    expect(await englishIn(area), 'the empty groups list').to.deep.equal([]);
    await accessibleAtBothWidths(page, 'the groups list');

    const create = page.getByRole('form', { name: 'Grupo nuevo' });
    await create.getByLabel('Nombre').fill('Jueves por la mañana');
    await create.getByLabel('Descripción (opcional)').fill('Cada semana, de 9 a 10');
    await create.getByLabel('Los miembros nuevos pueden leer').selectOption({ label: 'Todo, desde el inicio del grupo' });
    await create.getByRole('button', { name: 'Crear grupo' }).click();
    await page.getByRole('heading', { name: 'Jueves por la mañana', level: 3 }).waitFor();
    const groupId = ((await http(srv.url, 'GET', '/api/groups', { token: fac.token })).body.data.groups as { id: string }[])[0]!.id;

    const details = page.getByRole('form', { name: 'Detalles' });
    await details.getByLabel('Nombre').fill('Jueves de recuperación');
    await details.getByRole('button', { name: 'Guardar detalles' }).click();
    await details.getByText('Guardado.').waitFor();
    const parts = page.getByRole('navigation', { name: 'Secciones de Jueves de recuperación' });
    await parts.waitFor();
    expect(await englishIn(area), 'a group’s details').to.deep.equal([]);

    await parts.getByRole('button', { name: 'Miembros' }).click();
    const form = page.getByRole('form', { name: 'Inscribir a alguien' });
    for (const p of [ana, ben]) {
      await form.getByLabel('Identificador de usuario').fill(p.id);
      await form.getByLabel('Nombre que se muestra en el grupo').fill(p.name);
      await form.getByRole('button', { name: 'Inscribir' }).click();
      await page.getByRole('status').getByText(`Se inscribió a ${p.name}.`).waitFor();
    }
    const beto = page.locator('.console-row').filter({ has: page.getByText('Beto', { exact: true }) });
    await beto.getByText(`Participante · ${ben.id}`).waitFor();
    await page.getByRole('button', { name: 'Pasar Ana a facilitador' }).click();
    await page.getByRole('status').getByText('Ana ahora es facilitador.').waitFor();
    await page.locator('.console-row', { hasText: 'Ana' }).getByText('Solo un administrador puede cambiar a un facilitador.').waitFor();
    await page.getByRole('button', { name: 'Dar de baja Beto' }).click();
    const dialog = page.getByRole('dialog', { name: '¿Dar de baja a Beto?' });
    await dialog.getByText('Sus mensajes se quedan.', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Cancelar' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await englishIn(area), 'the members panel').to.deep.equal([]);
    await accessibleAtBothWidths(page, 'the members panel');
    await screenshot(page, 'console-members-es');

    // A mute set in the room shows in the Moderation part, in Spanish, and is lifted there.
    await enrol(srv, groupId, fac, ceci, 'participant', 'Ceci');
    const c = await connect(srv, fac);
    await c.ok('mod:mute', { groupId, userId: ben.id, minutes: 30 });
    await c.ok('mod:ban', { groupId, userId: ceci.id });
    await parts.getByRole('button', { name: 'Moderación' }).click();
    await page.getByRole('heading', { name: 'Silenciamientos y expulsiones', level: 4 }).waitFor();
    const muted = page.locator('.console-row', { hasText: 'Beto' });
    expect(await muted.innerText()).to.match(/^Beto hasta .+\d/);
    await page.getByRole('button', { name: 'Readmitir Ceci' }).waitFor();
    expect(await englishIn(area), 'the moderation panel').to.deep.equal([]);
    await accessibleAtBothWidths(page, 'the moderation panel');
    await muted.getByRole('button', { name: 'Quitar el silencio Beto' }).click();
    await page.getByRole('status').getByText('Se le quitó el silencio a Beto.').waitFor();
    await page.getByText('No hay nadie silenciado.').waitFor();
    expect(await srv.store.moderation.muteOf(groupId, ben.id, Date.now())).to.equal(null);
  });

  it('pairs partners, tells the audit log in Spanish sentences, and resolves a report, without English', async () => {
    const srv = await start();
    const fac = srv.user('facilitator', 'Fran');
    const [ana, ben] = [srv.user('participant', 'Ana'), srv.user('participant', 'Beto')];
    const groupId = await grupo(srv, fac, 'Martes por la tarde', [ana, ben]);
    const [ca, cb] = [await connect(srv, ana), await connect(srv, ben)];
    for (const x of [ca, cb]) await x.ok('group:join', { groupId });
    const sent = await cb.ok('group:send', { groupId, text: 'ustedes no tienen remedio', clientMsgId: 'r1' });
    await ca.ok('report', { conversation: { kind: 'group', id: groupId }, messageId: sent.message.id, reason: 'harassment' });
    const c = await connect(srv, fac);
    await c.ok('mod:mute', { groupId, userId: ana.id, minutes: 10 });
    await c.ok('mod:mute', { groupId, userId: ben.id, minutes: 1 });

    const { page } = await open(srv, fac, { to: 'console', section: 'partners' }, 'dark');
    const partners = panel(page, 'Compañeros de apoyo');
    await partners.getByRole('combobox', { name: 'Grupo' }).waitFor();
    await partners.getByText('Todavía no hay emparejamientos en este grupo.').waitFor();
    await partners.getByRole('combobox', { name: 'Primera persona' }).selectOption({ label: 'Ana' });
    await partners.getByRole('combobox', { name: 'Segunda persona' }).selectOption({ label: 'Beto' });
    await partners.getByRole('button', { name: 'Emparejarlos' }).click();
    await partners.getByRole('status').getByText('Ana y Beto ahora son compañeros de apoyo.').waitFor();
    await partners.getByRole('button', { name: 'Terminar el emparejamiento de Ana y Beto' }).waitFor();
    await partners
      .getByRole('listitem')
      .filter({ hasText: 'Ana y Beto' })
      .getByText(/^emparejados: /)
      .waitFor();
    expect(await englishIn(consoleArea(page)), 'the partners section').to.deep.equal([]);
    await accessibleAtBothWidths(page, 'the partners section (dark)');

    await page.getByRole('navigation', { name: 'Secciones de la consola' }).getByRole('button', { name: 'Registro de moderación' }).click();
    const log = panel(page, 'Registro de moderación');
    const entries = log.locator('ol.console-list > li');
    // Spanish puts the target after "a", and counts the minutes in Spanish (one "minuto", ten "minutos").
    await entries.filter({ hasText: 'Fran silenció a Ana por 10 minutos' }).waitFor();
    await entries.filter({ hasText: 'Fran silenció a Beto por 1 minuto' }).waitFor();
    await entries.filter({ hasText: 'Fran inscribió a Ana como participante' }).waitFor();
    expect(await entries.first().locator('strong').innerText(), 'the actor in bold').to.equal('Fran');
    expect(await entries.first().locator('.meta').innerText()).to.match(/ · entrada \d+$/);
    await log.getByRole('combobox', { name: 'Acción' }).selectOption({ label: 'silenció' });
    await log.getByRole('combobox', { name: /^Persona/ }).selectOption({ label: 'Ana' });
    await entries.nth(1).waitFor({ state: 'detached' });
    expect(await entries.allInnerTexts()).to.have.length(1);
    expect(await entries.first().innerText()).to.match(/^Fran silenció a Ana por 10 minutos/);
    await log.getByRole('combobox', { name: 'Acción' }).selectOption({ label: 'Todas las acciones' });
    await log.getByRole('combobox', { name: /^Persona/ }).selectOption({ label: 'Todos' });
    await entries.filter({ hasText: 'Beto' }).first().waitFor();
    expect(await englishIn(consoleArea(page)), 'the audit log').to.deep.equal([]);
    await accessibleAtBothWidths(page, 'the audit log');
    await screenshot(page, 'console-audit-es');

    await page.getByRole('navigation', { name: 'Secciones de la consola' }).getByRole('button', { name: 'Reportes' }).click();
    const reports = panel(page, 'Reportes');
    const item = reports.getByRole('listitem').filter({ hasText: 'Reporte (acoso) sobre Beto' });
    await item.getByText('reportado por Ana').waitFor();
    expect(await englishIn(consoleArea(page)), 'the reports section').to.deep.equal([]);
    await accessibleAtBothWidths(page, 'the reports section');
    await item.getByRole('button', { name: 'Marcar como resuelto' }).click();
    await reports.getByText('No hay nada pendiente.').waitFor();
    await reports.getByRole('combobox', { name: 'Mostrar' }).selectOption({ label: 'Todos, también los resueltos' });
    await reports
      .getByRole('listitem')
      .filter({ hasText: 'Reporte (acoso) sobre Beto' })
      .getByText(/^resuelto: /)
      .waitFor();
  });

  it('shows an admin the access log in Spanish, filtered and counted', async () => {
    const srv = await start();
    const fac = srv.user('facilitator', 'Fran');
    const admin = srv.user('admin', 'Ada');
    const cal = srv.user('participant', 'Cali');
    const groupId = await grupo(srv, fac, 'Grupo de Cali', [cal]);
    const c = await connect(srv, fac);
    await c.ok('mod:mute', { groupId, userId: cal.id, minutes: 5 });
    for (let i = 0; i < 2; i++) await http(srv.url, 'GET', `/api/groups/${groupId}/audit`, { token: fac.token });

    const { page } = await open(srv, admin, { to: 'console', section: 'access-log' });
    const log = panel(page, 'Registro de accesos');
    await log.getByRole('textbox', { name: 'Sobre la persona (identificador de usuario)' }).fill(cal.id);
    await log.getByRole('button', { name: 'Mostrar entradas' }).click();
    await log.getByRole('status').getByText('Se muestran 2 entradas.').waitFor();
    const entries = log.locator('ol.console-list > li');
    for (const text of await entries.allInnerTexts()) {
      expect(text).to.include(`${fac.id} (facilitador) leyó el registro de moderación de un grupo`);
      expect(text).to.include(`Sobre: ${cal.id}`);
      expect(text).to.include(` · grupo ${groupId}`);
    }
    // "From" after "To" is said in Spanish, before asking the server.
    await log.getByLabel('Desde').fill('2026-03-04T10:00');
    await log.getByLabel('Hasta').fill('2026-03-03T10:00');
    await log.getByRole('button', { name: 'Mostrar entradas' }).click();
    await log.getByRole('status').getByText('"Desde" es posterior a "Hasta": nada puede coincidir.').waitFor();
    expect(await englishIn(consoleArea(page)), 'the access log').to.deep.equal([]);
    await accessibleAtBothWidths(page, 'the access log');
  });
});
