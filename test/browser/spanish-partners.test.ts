// The client in Spanish, second stage: the Partners page and a partner conversation, a
// facilitator's attendance page, the schedule, agreement and check-in alert editors (in the room's
// facilitator panel) and the staff's push control, in an es-US browser: Spanish words, Spanish
// weekday names and times, no English left in these views, axe-clean at 320 and 1280 px.
import { expect } from 'chai';
import webpush from 'web-push';
import { TestClient } from '../support/client.js';
import { http, makeGroup, serverPool, type TestServer } from '../support/server.js';
import { accessibleAtBothWidths, audit } from './axe.js';
import { noEnglish } from './spanish-words.js';
import { browserSuite, messageItems, openTab, screenshot, send, type OpenOptions } from './browser.js';

const ZONE = 'America/New_York';
/** es-US writes "6:30 p.m." (with or without spaces and a narrow no-break space). */
const TIME = String.raw`\d{1,2}:\d{2}\s?[ap]\.\s?m\.`;

describe('browser: Spanish partners, attendance and the staff editors', function () {
  const suite = browserSuite(this, { server: false, timeout: 90_000 });
  const { start, closeAll: stopServers } = serverPool();

  after(async () => {
    await stopServers();
  });

  /** A Spanish (es-US) tab of `srv` signed in with `token`. */
  const open = async (srv: TestServer, token: string, opts: OpenOptions = {}) => {
    const tab = await openTab(suite.browser, srv.url, token, { locale: 'es-US', bypassCSP: true, ...opts });
    suite.tabs.push(tab);
    return tab.page;
  };

  it('invites, accepts, writes, shows a check-in and "seen", lists unread and ends a partnership, all in Spanish', async () => {
    const srv = await start();
    const fac = srv.user('facilitator', 'Fran');
    const ana = srv.user('participant', 'Ana');
    const ben = srv.user('participant', 'Ben');
    await makeGroup(srv, fac, [ana, ben]);
    const a = await open(srv, ana.token, { route: { to: 'partners' } });
    const b = await open(srv, ben.token, { route: { to: 'partners' } });
    const anaPartners = a.locator('section.page.partners');

    await a.getByRole('heading', { name: 'Compañeros de apoyo', level: 2 }).waitFor();
    await a.getByText('Todavía no tienes compañeros. Invita a alguien de tu grupo aquí abajo.').waitFor();
    await a.getByLabel('Alguien de tu grupo').selectOption({ label: 'Ben' });
    await a.getByLabel('Una nota breve (opcional)').fill('¿Nos acompañamos este mes?');
    await a.getByRole('button', { name: 'Enviar invitación' }).click();
    await a.locator('.flash', { hasText: 'Invitación enviada a Ben.' }).waitFor();
    await a.getByText('Esperando la respuesta de Ben.').waitFor();
    await noEnglish(anaPartners, 'the Partners page, an invitation sent');

    // Ben's invitation: his name in bold where Spanish puts it, and buttons that say whose invitation.
    const invite = b.locator('.invite', { hasText: 'Ana quiere ser tu compañero de apoyo.' });
    await invite.waitFor();
    expect(await invite.locator('strong').textContent()).to.equal('Ana');
    await b.getByRole('region', { name: 'Invitaciones para ti' }).waitFor();
    await invite.getByRole('button', { name: 'Rechazar la invitación de Ana' }).waitFor();
    await noEnglish(b.locator('section.page.partners'), 'the Partners page with an invitation');
    await accessibleAtBothWidths(b, 'the Spanish Partners page with an invitation');
    await screenshot(b, 'partners-invite-es');
    await invite.getByRole('button', { name: 'Aceptar la invitación de Ana' }).click();
    await b.getByRole('heading', { name: 'Tú y Ana' }).waitFor();

    // Ana opens the conversation from her list, where Ben is online.
    await a.getByRole('button', { name: /^Ben\s*, en línea$/ }).click();
    await a.getByRole('heading', { name: 'Tú y Ben' }).waitFor();
    const head = a.locator('.partner-chat .room-head');
    await head.getByText('Ben está en línea.').waitFor();
    // Ben shares no check-ins with partners: the trend says so, in Spanish.
    await a.locator('.partner-trend summary', { hasText: 'Registros de Ben' }).click();
    await a.getByText('Ben no comparte sus registros con sus compañeros.').waitFor();
    await send(a, 'Hoy fue un buen día. ¿Y tú?');
    await messageItems(b, 'Hoy fue un buen día. ¿Y tú?').waitFor();
    // Ben has it on screen, so Ana sees it marked seen (the word itself is messages.ts's).
    await messageItems(a, 'Hoy fue un buen día. ¿Y tú?').locator('.seen').waitFor();

    // Ben's daily check-in arrives, and is read out in Spanish.
    await b.getByText('Registro diario', { exact: true }).click();
    await b.getByLabel('4 · bien').check();
    await b.getByLabel(/Ganas de consumir ahora/).fill('2');
    await b.getByLabel('Unas palabras (opcional)').fill('Llamé a mi padrino.');
    await b.getByRole('button', { name: 'Enviar registro' }).click();
    await a.locator('.msg:not(.pending) .checkin', { hasText: 'Llamé a mi padrino.' }).waitFor();
    await a.locator('#live-polite', { hasText: 'Ben: envió un registro' }).waitFor({ state: 'attached' });
    // The message list and the composer are other views (messages.ts, composer.ts), converted apart.
    await noEnglish(a.locator('.partner-chat'), 'the partner conversation', { except: ['.message-pane', '.composer'] });
    await accessibleAtBothWidths(a, 'the Spanish partner conversation');
    await screenshot(a, 'partners-conversation-es');

    // Away from the conversation, a new message is an unread badge that says so.
    await a.getByRole('button', { name: '← Todos los compañeros' }).click();
    await a.getByRole('heading', { name: 'Compañeros de apoyo', level: 2 }).waitFor();
    await send(b, 'Orgullosa de ti');
    await a.locator('.partner-list .unread', { hasText: '1 sin leer' }).waitFor();
    await a.getByRole('heading', { name: 'Tus compañeros' }).waitFor();
    await noEnglish(anaPartners, 'the Partners page with a partner');

    // Ending it: asked first, then said on both sides.
    await a.getByRole('button', { name: /^Ben\s*, en línea 1 sin leer$/ }).click();
    await a.getByRole('button', { name: 'Terminar esta relación de apoyo' }).click();
    const dialog = a.getByRole('dialog', { name: '¿Terminar tu relación de apoyo con Ben?' });
    await dialog.getByText('Ninguno de los dos podrá volver a escribir aquí.').waitFor();
    await dialog.getByRole('button', { name: 'Terminar la relación' }).click();
    await a.locator('.flash', { hasText: 'La relación de apoyo terminó.' }).waitFor();
    await head.getByText('Esta relación de apoyo terminó. Todavía puedes leer la conversación.').waitFor();
    await b.locator('.partner-chat .room-head', { hasText: 'Esta relación de apoyo terminó.' }).waitFor();
    await noEnglish(a.locator('.partner-chat'), 'an ended partnership', { except: ['.message-pane', '.composer'] });
  });

  it("shows a facilitator's schedule, agreement and check-in alert editors in Spanish, with Spanish weekday names and times", async () => {
    const srv = await start();
    const fac = srv.user('facilitator', 'Fran');
    const ana = srv.user('participant', 'Ana');
    const groupId = await makeGroup(srv, fac, [ana]);
    const put = await http(srv.url, 'PUT', `/api/groups/${groupId}/agreement`, {
      token: fac.token,
      body: { text: 'Lo que se dice aquí, aquí se queda.' },
    });
    expect(put.status, put.text).to.equal(200);
    const f = await open(srv, fac.token, { route: { to: 'group', groupId }, timeZone: ZONE });

    const schedule = f.getByRole('region', { name: 'Horario' });
    await schedule.getByText('Sin horario: las sesiones se abren y se cierran a mano.').waitFor();
    await schedule.getByText('Editar el horario', { exact: true }).click();
    await schedule.getByLabel('Zona horaria').fill(ZONE);
    await schedule.getByRole('button', { name: 'Agregar una sesión semanal' }).click();
    const row = schedule.locator('.slots li').first();
    const day = row.getByLabel('Día', { exact: true });
    expect(await day.locator('option').allTextContents()).to.deep.equal([
      'lunes',
      'martes',
      'miércoles',
      'jueves',
      'viernes',
      'sábado',
      'domingo',
    ]);
    await day.selectOption('thu');
    await row.getByLabel('Empieza', { exact: true }).fill('18:30');
    await row.getByLabel('Minutos', { exact: true }).fill('75');
    await row.getByRole('button', { name: 'Quitar la sesión del jueves a las 18:30' }).waitFor();
    await schedule.getByRole('button', { name: 'Guardar el horario' }).click();
    await f.getByText('Horario guardado.').waitFor();
    await schedule.getByRole('heading', { name: 'Próximas sesiones' }).waitFor();
    // "jue 6:30 p.m. – 10 dic, 7:45 p.m.": dates when it is more than a week away, or not today.
    const first = schedule.locator('.sessions li').first();
    expect(await first.locator('span').textContent()).to.match(
      new RegExp(`^jue(, \\d+ de \\w+\\.?,)? 6:30\\s?p\\.\\s?m\\. – (\\d+ \\w+\\.?, )?7:45\\s?p\\.\\s?m\\.$`),
    );
    expect(await first.getByRole('button').getAttribute('aria-label')).to.match(/^Cancelar la sesión del jue/);

    const agreement = f.getByRole('region', { name: 'Acuerdo del grupo' });
    await agreement.getByText(new RegExp(`^Versión 1 \\(guardada: ${TIME}\\)\\.$`)).waitFor();
    await agreement.getByText('Todavía no lo aceptan: Ana').waitFor();
    await agreement.getByLabel('Texto del acuerdo').fill('Lo que se dice aquí, aquí se queda.\nCelulares en silencio.');
    await agreement.getByRole('button', { name: 'Guardar como versión nueva' }).click();
    await agreement.getByRole('status').filter({ hasText: 'Guardado como versión 2.' }).waitFor();

    const rules = f.getByRole('region', { name: 'Alertas de registro' });
    const silence = rules.getByLabel('Sin registro (registros diarios) durante');
    expect(await silence.locator('option').allTextContents()).to.include.members(['Desactivado', '12 horas', '48 horas']);
    expect(
      await rules.getByLabel('Aumento de las ganas de consumir desde el último registro').locator('option').nth(1).textContent(),
    ).to.equal('1 o más');
    await rules.getByText(' (valor del programa: 8)').waitFor();
    await silence.selectOption('48 horas');
    await rules.getByLabel('Consumió desde el último registro').uncheck();
    await rules.getByRole('button', { name: 'Guardar las alertas de registro' }).click();
    await rules.getByRole('status').filter({ hasText: 'Alertas de registro guardadas.' }).waitFor();

    for (const [region, what] of [
      [schedule, 'the schedule editor'],
      [agreement, 'the agreement editor'],
      [rules, 'the check-in alert rules'],
    ] as const)
      await noEnglish(region, what);
    await accessibleAtBothWidths(f, 'the Spanish facilitator panels');
    await screenshot(f, 'staff-editors-es');

    // The participant's room says when the next session is, in Spanish, in her own time zone.
    const c = await TestClient.connect(srv.url, ana.token);
    try {
      await c.ok('group:agree', { groupId, version: 2 });
    } finally {
      c.close();
    }
    const a = await open(srv, ana.token, { route: { to: 'group', groupId }, timeZone: ZONE });
    await a
      .locator('.schedule-line')
      .filter({ hasText: new RegExp(`^(Próxima sesión: jue(, \\d+ de \\w+\\.?,)? 6:30\\s?p\\.\\s?m\\.|Sesión abierta hasta las ${TIME})`) })
      .waitFor();
  });

  it("shows a facilitator's attendance page in Spanish, takes a correction, axe-clean light and dark", async () => {
    const srv = await start();
    const fac = srv.user('facilitator', 'Fran');
    const ana = srv.user('participant', 'Ana');
    const ben = srv.user('participant', 'Ben');
    const groupId = await makeGroup(srv, fac, [ana, ben]);
    // Ana comes and goes (her join starts the session); Ben never comes.
    const c = await TestClient.connect(srv.url, ana.token);
    try {
      await c.ok('group:join', { groupId });
      await c.ok('group:leave', { groupId });
    } finally {
      c.close();
    }
    const f = await open(srv, fac.token, { route: { to: 'attendance', groupId } });
    const page = f.locator('section.page.attendance');
    await f.getByRole('heading', { name: 'Asistencia', level: 2 }).waitFor();
    const table = f.getByRole('table', { name: /^Asistencia, / });
    await table.waitFor();
    expect(await table.locator('caption').textContent()).to.match(new RegExp(`^Asistencia, ${TIME} – sigue abierta$`));
    expect(await table.locator('thead th').allTextContents()).to.deep.equal([
      'Nombre',
      'Primera entrada',
      'Última salida',
      'Minutos',
      'Estado',
      'Corregir',
    ]);
    const rows = table.locator('tbody tr');
    expect(await rows.nth(0).locator('td').nth(0).textContent()).to.match(new RegExp(`^${TIME}$`));
    expect(await rows.nth(0).locator('td').nth(3).textContent()).to.equal('Presente');
    expect(await rows.nth(1).locator('td').nth(3).textContent()).to.equal('Ausente');
    await page.getByText('Llegó tarde: entró por primera vez más de').waitFor();

    await f.getByRole('combobox', { name: 'Estado de Ben' }).selectOption('present');
    await f.getByRole('textbox', { name: 'Nota sobre Ben' }).fill('avisó antes');
    await f.getByRole('button', { name: 'Guardar el estado de Ben' }).click();
    await f.locator('#live-polite', { hasText: 'Ben: Presente, guardado.' }).waitFor({ state: 'attached' });
    await rows.nth(1).getByText('Presente (corregido; antes: Ausente)').waitFor();
    await noEnglish(page, 'the attendance page');
    await accessibleAtBothWidths(f, 'the Spanish attendance page');
    await f.emulateMedia({ colorScheme: 'dark' });
    await f.setViewportSize({ width: 320, height: 700 });
    expect(await audit(f), 'the Spanish attendance page, dark, 320 px').to.deep.equal([]);
    await screenshot(f, 'attendance-es-320-dark');
  });

  it('offers staff "Avisar en este dispositivo" and says in Spanish when the browser refuses', async () => {
    const vapid = webpush.generateVAPIDKeys();
    const srv = await start({
      env: { VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey, VAPID_SUBJECT: 'mailto:ops@example.org' },
    });
    const f = await open(srv, srv.user('facilitator', 'Fran').token);
    const control = f.locator('.push-control');
    // Headless Chromium answers the permission request with "denied".
    await control.getByRole('button', { name: 'Avisar en este dispositivo' }).click();
    await control.getByRole('status').filter({ hasText: 'Las notificaciones de Bridge están bloqueadas en este navegador.' }).waitFor();
    await noEnglish(control, 'the push control');
    expect(await audit(f)).to.deep.equal([]);
  });
});
