// §8.1 GET /api/client-config: what the browser client is configured with (the idle logoff, §10).
import { expect } from 'chai';
import { http, serverPool } from '../support/server.js';

describe('GET /api/client-config', function () {
  this.timeout(20_000);
  const { start, closeAll } = serverPool();
  after(() => closeAll());

  it('gives a signed-in user the idle logoff time, 15 minutes by default', async () => {
    const srv = await start();
    const res = await http(srv.url, 'GET', '/api/client-config', { token: srv.user('participant').token });
    expect(res.status, res.text).to.equal(200);
    expect(res.body).to.deep.equal({ ok: true, data: { idleLogoffSec: 900 } });
  });

  it('gives the configured IDLE_LOGOFF_SEC, 0 when the idle logoff is off', async () => {
    for (const value of [4, 0]) {
      const srv = await start({ env: { IDLE_LOGOFF_SEC: String(value) } });
      const res = await http(srv.url, 'GET', '/api/client-config', { token: srv.user('facilitator').token });
      expect(res.body.data, `IDLE_LOGOFF_SEC=${value}`).to.deep.equal({ idleLogoffSec: value });
    }
  });

  it('needs a token, like the rest of /api', async () => {
    const srv = await start();
    const res = await http(srv.url, 'GET', '/api/client-config');
    expect(res.status).to.equal(401);
    expect(res.body.error.code).to.equal('UNAUTHORIZED');
  });
});
