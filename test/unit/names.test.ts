import { expect } from 'chai';
import { distinctNames, NameBook } from '../../client/src/names.js';

describe('telling people with the same display name apart (issue 19)', () => {
  it('leaves a unique name alone and tags each shared one with the end of the id', () => {
    const labels = distinctNames([
      { id: 'demo-aaaa11114f2a', name: 'Sam' },
      { id: 'demo-bbbb22229c0d', name: ' sam ' },
      { id: 'demo-cccc3333e5e5', name: 'Alex' },
    ]);
    expect(labels.get('demo-aaaa11114f2a')).to.equal('Sam · #4f2a');
    expect(labels.get('demo-bbbb22229c0d')).to.equal(' sam  · #9c0d');
    expect(labels.get('demo-cccc3333e5e5')).to.equal('Alex');
  });

  it('compares names ignoring case and whitespace, and lengthens tags until they differ', () => {
    const labels = distinctNames([
      { id: 'u-x-0001', name: 'Mary Ann' },
      { id: 'u-y-0001', name: 'MARYANN' },
      { id: 'u-y-0002', name: 'Jo' },
    ]);
    expect(labels.get('u-x-0001')).to.equal('Mary Ann · #x-0001');
    expect(labels.get('u-y-0001')).to.equal('MARYANN · #y-0001');
    expect(labels.get('u-y-0002')).to.equal('Jo');
  });

  it('keeps the same tag for the same person whatever the order', () => {
    const a = { id: 'one-1234', name: 'Sam' };
    const b = { id: 'two-5678', name: 'Sam' };
    expect(distinctNames([a, b]).get(a.id)).to.equal(distinctNames([b, a]).get(a.id));
  });

  it('a name book says when a newcomer makes a shown name ambiguous', () => {
    const book = new NameBook();
    expect(book.add([{ id: 'p1-aaaa', name: 'Sam' }])).to.equal(false);
    expect(book.label({ id: 'p1-aaaa', name: 'Sam' })).to.equal('Sam');
    expect(book.add([{ id: 'p1-aaaa', name: 'Sam' }])).to.equal(false);
    expect(book.add([{ id: 'p2-bbbb', name: 'sam' }])).to.equal(true);
    expect(book.label({ id: 'p1-aaaa', name: 'Sam' })).to.equal('Sam · #aaaa');
    expect(book.label({ id: 'p3-cccc', name: 'Kim' })).to.equal('Kim');
  });
});
