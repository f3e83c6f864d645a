import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { DataKeyError, FieldCrypto, resealed } from '../../server/store/redis/field-crypto.js';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('field crypto (free text at rest)', () => {
  const k1 = key('k1');
  const k2 = key('k2');

  it('seals as v1.<keyId>.<base64> and opens back, with a fresh IV each time', () => {
    const c = new FieldCrypto([k1]);
    const a = c.seal('I relapsed on Friday ☂');
    expect(a).to.match(/^v1\.k1\.[A-Za-z0-9+/]+=*$/);
    expect(a).not.to.include('relapsed');
    expect(c.seal('I relapsed on Friday ☂')).not.to.equal(a);
    expect(c.open(a)).to.equal('I relapsed on Friday ☂');
    expect(c.open(c.seal(''))).to.equal('');
  });

  it('reads a plain value (stored before keys were set) as it is', () => {
    expect(new FieldCrypto([k1]).open('hello v1.k1.x')).to.equal('hello v1.k1.x');
  });

  it('an unknown key id or a wrong key is a DataKeyError naming the key, never garbage', () => {
    const sealed = new FieldCrypto([k1]).seal('secret');
    expect(() => new FieldCrypto([k2]).open(sealed)).to.throw(DataKeyError, /k1/);
    expect(() => new FieldCrypto([key('k1')]).open(sealed)).to.throw(DataKeyError, /k1.*wrong/);
    expect(() => new FieldCrypto().open(sealed)).to.throw(DataKeyError, /k1/);
    const altered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => new FieldCrypto([k1]).open(altered)).to.throw(DataKeyError);
  });

  it('the first key writes, every key reads', () => {
    const old = new FieldCrypto([k1]).seal('old');
    const c = new FieldCrypto([k2, k1]);
    expect(c.open(old)).to.equal('old');
    expect(c.seal('new')).to.match(/^v1\.k2\./);
  });

  it('seals and opens only the listed fields of a record, leaving ids, seq, times and roles plain', () => {
    const c = new FieldCrypto([k1]);
    const m = {
      id: 'm1',
      seq: 3,
      text: 'canary',
      sender: { id: 'u1', name: 'Ana', role: 'participant' },
      createdAt: 5,
      checkin: { mood: 2, craving: 3, note: 'n' },
    };
    const sealed = c.sealRecord('message', m);
    expect(sealed).to.include({ id: 'm1', seq: 3, createdAt: 5 });
    expect(sealed.sender).to.include({ id: 'u1', role: 'participant' });
    expect(JSON.stringify(sealed)).not.to.match(/canary|Ana|"n"/);
    expect(c.openRecord('message', sealed)).to.deep.equal(m);
    expect(m.text).to.equal('canary');
    const p = {
      id: 'p',
      users: [
        { id: 'a', name: 'A' },
        { id: 'b', name: 'B' },
      ],
    };
    expect(c.openRecord('partnership', c.sealRecord('partnership', p))).to.deep.equal(p);
    expect(c.sealRecord('invite', { id: 'i' })).to.deep.equal({ id: 'i' });
  });

  it('without keys records are stored as they are', () => {
    const m = { text: 'plain' };
    expect(new FieldCrypto().sealRecord('message', m)).to.equal(m);
  });

  it('resealed() re-seals every value of an older key inside a record, and leaves current ones', () => {
    const old = new FieldCrypto([k1]);
    const now = new FieldCrypto([k2, k1]);
    const raw = '000000000001:' + JSON.stringify(old.sealRecord('checkin', { id: 'c', note: 'canary' }));
    const out = resealed(now, raw)!;
    expect(out.startsWith('000000000001:{')).to.equal(true);
    expect(out).to.include('"v1.k2.').and.not.include('v1.k1.');
    expect(now.parse('checkin', out.slice(13))).to.deep.equal({ id: 'c', note: 'canary' });
    expect(resealed(now, out)).to.equal(null);
    expect(now.open(resealed(now, old.seal('solo'))!)).to.equal('solo');
    expect(resealed(now, '{"text":"plain"}')).to.equal(null);
  });
});
