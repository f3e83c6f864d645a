import { expect } from 'chai';
import { io } from 'socket.io-client';
import { startServer, type TestServer } from '../support/server.js';

/** The handshake's outcome for one Origin header (undefined: none sent, as non-browser clients do). */
function handshake(url: string, token: string, origin?: string): Promise<{ ok: true } | { ok: false; message: string; code?: string }> {
  const socket = io(url, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(origin === undefined ? {} : { extraHeaders: { origin } }),
  });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.close();
      resolve({ ok: true });
    });
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) => {
      socket.close();
      resolve({ ok: false, message: err.message, code: err.data?.code });
    });
  });
}

describe('the Origin allowlist on the handshake', () => {
  let srv: TestServer;

  before(async () => {
    srv = await startServer({ env: { CORS_ORIGINS: 'https://bridge.example.org,https://portal.clinic.example' } });
  });
  after(() => srv.close());

  it("accepts allowlisted origins, this server's own origin, and clients that send no Origin", async () => {
    const { token } = srv.user();
    const self = new URL(srv.url).origin;
    for (const origin of ['https://bridge.example.org', 'https://portal.clinic.example', self, undefined]) {
      expect(await handshake(srv.url, token, origin), String(origin)).to.deep.equal({ ok: true });
    }
  });

  it('refuses any other origin with FORBIDDEN, including ones that merely contain or extend an allowed one', async () => {
    const { token } = srv.user();
    for (const origin of [
      'https://evil.example',
      'https://bridge.example.org.evil.test',
      'https://evil-bridge.example.org',
      'http://bridge.example.org',
      'https://bridge.example.org:8443',
      'null',
      'not a url',
    ]) {
      expect(await handshake(srv.url, token, origin), origin).to.deep.equal({ ok: false, message: 'FORBIDDEN', code: 'FORBIDDEN' });
    }
  });

  it('still refuses a bad token from an allowed origin with UNAUTHORIZED', async () => {
    expect(await handshake(srv.url, 'not-a-token', 'https://bridge.example.org')).to.deep.equal({
      ok: false,
      message: 'UNAUTHORIZED',
      code: 'UNAUTHORIZED',
    });
  });
});
