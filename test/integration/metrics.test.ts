// GET /metrics (docs/protocol.md §8: "anyone on the metrics port or with the metrics token", Prometheus
// text) over real HTTP, with counters moved by real sockets against a Redis-backed node.
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { roomClients } from '../support/room.js';
import { RawWebSocket } from '../support/raw-ws.js';
import { http, makeGroup, startServer, type TestServer } from '../support/server.js';

const TOKEN = randomBytes(24).toString('hex');

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics', function () {
  this.timeout(20_000);

  describe('with METRICS_TOKEN and METRICS_PORT', function () {
    let srv: TestServer;
    const room = roomClients(() => srv);
    before(async function () {
      srv = await startServer({ store: 'redis', env: { METRICS_TOKEN: TOKEN, METRICS_PORT: '0' } });
    });
    after(async function () {
      room.closeAll();
      await srv.close();
    });

    const scrape = async () => {
      const res = await http(srv.url, 'GET', '/metrics', { token: TOKEN });
      expect(res.status).to.equal(200);
      return res.text;
    };

    it('counts sockets, events by outcome, stored messages and send latency, and never a person', async function () {
      const fac = srv.user('facilitator', 'Dana Metrics-Canary');
      const par = srv.user('participant', 'Alex Metrics-Canary');
      const groupId = await makeGroup(srv, fac, [par]);
      const before = await scrape();
      const a = await room.enter(fac, groupId);
      await room.enter(par, groupId);
      for (let i = 0; i < 3; i++) await room.sent(a, groupId, 'canary text never a label');
      const refused = await a.ack('group:send', { groupId: 'nope', text: 'x', clientMsgId: 'bad-1' });
      expect(refused.ok).to.equal(false);
      const bad = await a.ack('group:send', { groupId });
      expect(bad.ok).to.equal(false);

      const text = await scrape();
      const delta = (series: string) => (sample(text, series) ?? 0) - (sample(before, series) ?? 0);
      expect(sample(text, 'bridge_connected_sockets')).to.equal(2);
      expect(delta('bridge_events_total{event="group:join",outcome="ok"}')).to.equal(2);
      expect(delta('bridge_events_total{event="group:send",outcome="ok"}')).to.equal(3);
      expect(delta('bridge_events_total{event="group:send",outcome="BAD_REQUEST"}')).to.equal(1);
      expect(delta(`bridge_events_total{event="group:send",outcome="${refused.ok ? '' : refused.error.code}"}`)).to.equal(1);
      expect(delta('bridge_messages_stored_total{kind="group"}')).to.equal(3);
      // Invalid events are not timed (nothing ran); the refused one and the three sends are.
      expect(delta('bridge_ack_seconds_count{event="group:send"}')).to.equal(4);
      expect(sample(text, 'bridge_ack_seconds_bucket{le="+Inf",event="group:send"}')).to.equal(
        sample(text, 'bridge_ack_seconds_count{event="group:send"}'),
      );
      expect(sample(text, 'bridge_ready')).to.equal(1);
      expect(text).to.include('bridge_redis_errors_total');
      expect(text).to.include('bridge_process_resident_memory_bytes');
      for (const secret of [fac.id, par.id, 'Metrics-Canary', 'canary text', groupId, TOKEN]) expect(text).to.not.include(secret);
    });

    it('counts only authenticated sockets: neither a refused handshake nor an Engine.IO session without a namespace', async function () {
      const count = async () => sample(await scrape(), 'bridge_connected_sockets');
      const before = await count();
      const open = await fetch(`${srv.url}/socket.io/?EIO=4&transport=polling`);
      expect(open.status).to.equal(200);
      const raw = await RawWebSocket.open(srv.url);
      try {
        raw.send(`40${JSON.stringify({ token: 'not.a.jwt' })}`);
        expect(await raw.next((t) => t.startsWith('44'))).to.include('UNAUTHORIZED');
        await room.connect(srv.user());
        expect(await count()).to.equal(before! + 1);
      } finally {
        raw.destroy();
      }
    });

    it('takes the metrics token with the scheme in any case', async function () {
      const res = await fetch(`${srv.url}/metrics`, { headers: { authorization: `bearer ${TOKEN}` } });
      expect(res.status).to.equal(200);
    });

    it('answers 403 on the public port to a wrong or missing token', async function () {
      expect((await http(srv.url, 'GET', '/metrics')).status).to.equal(403);
      const wrong = await http(srv.url, 'GET', '/metrics', { token: `${TOKEN.slice(0, -1)}x` });
      expect(wrong.status).to.equal(403);
      expect(wrong.body.error.code).to.equal('FORBIDDEN');
      expect(wrong.text).to.not.include('bridge_');
    });

    it('serves the metrics port to anyone, and nothing else there', async function () {
      const port = srv.app.metricsPort();
      expect(port)
        .to.be.a('number')
        .and.not.equal(Number(new URL(srv.url).port));
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
      expect(await res.text()).to.match(/^# HELP /m);
      expect((await fetch(`http://127.0.0.1:${port}/api/groups`)).status).to.equal(404);
    });
  });

  describe('without METRICS_TOKEN', function () {
    let srv: TestServer;
    before(async function () {
      srv = await startServer();
    });
    after(async function () {
      await srv.close();
    });

    it('answers 404 on the public port, token or not', async function () {
      const u = srv.user('admin');
      for (const token of [undefined, u.token]) {
        const res = await http(srv.url, 'GET', '/metrics', { token });
        expect(res.status).to.equal(404);
        expect(res.text).to.not.include('bridge_');
      }
      expect(srv.app.metricsPort()).to.equal(undefined);
    });
  });

  it('refuses a METRICS_TOKEN shorter than 16 characters at start', async function () {
    let err: unknown;
    try {
      await startServer({ env: { METRICS_TOKEN: 'short' } });
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.include('invalid METRICS_TOKEN');
  });
});
