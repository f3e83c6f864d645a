import { expect } from 'chai';
import { pushHostAllowed } from '../../server/safety/push.js';

describe('PUSH_HOSTS matching', () => {
  const hosts = ['fcm.googleapis.com', '*.notify.windows.com'];

  it('takes an exact host and any subdomain of a *. entry, over https only', () => {
    expect(pushHostAllowed('https://fcm.googleapis.com/fcm/send/x', hosts)).to.equal(true);
    expect(pushHostAllowed('https://FCM.googleapis.com/x', hosts)).to.equal(true);
    expect(pushHostAllowed('https://wns2-by3p.notify.windows.com/w/?token=x', hosts)).to.equal(true);
  });

  it('refuses look-alikes, the bare parent of a *. entry, other schemes and junk', () => {
    for (const endpoint of [
      'https://fcm.googleapis.com.evil.example/x',
      'https://evilfcm.googleapis.com/x',
      'https://notify.windows.com/x',
      'https://evilnotify.windows.com/x',
      'http://fcm.googleapis.com/x',
      'https://user@evil.example/fcm.googleapis.com',
      'not a url',
    ])
      expect(pushHostAllowed(endpoint, hosts), endpoint).to.equal(false);
  });
});
