import { expect } from 'chai';
import { TestClient } from '../support/client.js';
import { makeGroup } from '../support/server.js';
import { audit } from './axe.js';
import { browserSuite } from './browser.js';

// Emergency-disclosure records (42 CFR §2.51, issue 18) under a crisis alert in the staff inbox.
describe('browser: disclosure records', function () {
  const suite = browserSuite(this, { server: { env: { ACCESS_LOG_KEY: 'k'.repeat(40) } } });

  it('records a disclosure on a crisis alert and lists it, a correction as a new record; axe clean', async () => {
    const fac = suite.srv.user('facilitator', 'Fran');
    const sam = suite.srv.user('participant', 'Sam');
    const groupId = await makeGroup(suite.srv, fac, [sam]);
    const t = await suite.open(fac.token, { bypassCSP: true });
    const cs = await TestClient.connect(suite.srv.url, sam.token);
    try {
      await cs.ok('group:send', { groupId, text: 'I want to end it all tonight', clientMsgId: 'w1' });
    } finally {
      cs.close();
    }
    const alert = t.page.locator('.alert.crisis');
    await alert.waitFor();
    const disclosureReads = async () =>
      (await suite.srv.store.accessLog.accessEntries({ actor: fac.id, limit: 50 })).entries.filter((e) => e.what === 'disclosures').length;
    expect(await disclosureReads(), 'nothing is read before the records are opened').to.equal(0);

    await alert.getByText('Emergency disclosures').click();
    await alert.getByText('No disclosures recorded.').waitFor();
    expect(await disclosureReads(), 'opening the records is one access-logged read').to.equal(1);
    expect(await alert.getByRole('textbox', { name: 'Disclosed by' }).inputValue()).to.equal('Fran');
    await alert.getByRole('textbox', { name: 'Recipient (medical personnel)' }).fill('Dr. Lee');
    await alert.getByRole('textbox', { name: 'Their affiliation' }).fill('County ER');
    await alert.getByRole('textbox', { name: 'Nature of the emergency' }).fill('Suspected overdose; paramedics on scene');
    await alert.getByRole('button', { name: 'Record disclosure' }).click();
    await alert.locator('.disclosure-list li', { hasText: 'To Dr. Lee (County ER)' }).waitFor();
    expect(await audit(t.page)).to.deep.equal([]);

    await alert.getByRole('textbox', { name: 'Recipient (medical personnel)' }).fill('Dr. Li');
    await alert.getByRole('textbox', { name: 'Their affiliation' }).fill('County ER');
    await alert.getByRole('textbox', { name: 'Nature of the emergency' }).fill('Suspected overdose; paramedics on scene');
    await alert.getByRole('combobox', { name: 'Corrects' }).selectOption({ index: 1 });
    await alert.getByRole('button', { name: 'Record disclosure' }).click();
    await alert.locator('.disclosure-list li', { hasText: 'corrects an earlier record' }).waitFor();

    const stored = await suite.srv.store.disclosures.allDisclosures();
    const ours = stored.filter((d) => d.userId === sam.id);
    expect(ours.map((d) => d.recipientName)).to.deep.equal(['Dr. Lee', 'Dr. Li']);
    expect(ours[1]!.correctsId).to.equal(ours[0]!.id);
    expect(t.errors).to.deep.equal([]);
  });
});
