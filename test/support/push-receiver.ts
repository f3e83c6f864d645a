import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import { Agent, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { decrypt } from 'http_ece';
import { generate } from 'selfsigned';
import type { PushSubscriptionInfo } from '../../shared/index.js';

export type PushDelivery = { path: string; headers: Record<string, string | string[] | undefined>; body: Buffer };

/**
 * A push service on the loopback, over HTTPS with a certificate made here (trusted only through
 * `agent`, which the server under test sends with). Paths in `gone` answer 410, as a push service
 * does for an expired subscription; everything else 201. While `hold` is set, requests are recorded
 * but not answered until `release()` (a push service that hangs).
 */
export async function pushReceiver() {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  const deliveries: PushDelivery[] = [];
  const gone = new Set<string>();
  const held: (() => void)[] = [];
  const control = { hold: false };
  const server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      deliveries.push({ path, headers: req.headers, body: Buffer.concat(chunks) });
      const answer = () => res.writeHead(gone.has(path) ? 410 : 201).end();
      if (control.hold) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const keysOf = new Map<string, { ecdh: ECDH; auth: string }>();
  return {
    deliveries,
    gone,
    control,
    release: () => held.splice(0).forEach((answer) => answer()),
    agent: new Agent({ ca: pems.cert }),
    /** A fake browser subscription at `path`, with key pairs this receiver can decrypt with. */
    subscription(path = `/${randomBytes(6).toString('hex')}`): PushSubscriptionInfo {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16).toString('base64url');
      keysOf.set(path, { ecdh, auth });
      return { endpoint: origin + path, keys: { p256dh: ecdh.getPublicKey('base64url'), auth } };
    },
    /** The plaintext of a delivery, decrypted with its subscription's own keys. */
    plaintext(d: PushDelivery): string {
      const keys = keysOf.get(d.path);
      if (!keys) throw new Error(`no subscription at ${d.path}`);
      return decrypt(d.body, { version: 'aes128gcm', privateKey: keys.ecdh, authSecret: keys.auth }).toString('utf8');
    },
    close: () =>
      new Promise<void>((r) => {
        held.splice(0).forEach((answer) => answer());
        server.close(() => r());
      }),
  };
}
