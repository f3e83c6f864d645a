import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Delivery = { at: number; signature: string; raw: string; body: any };

/**
 * A webhook receiver on the loopback: records every POST (status 2xx ones in `deliveries`),
 * answering 500 to the first `failFirst` requests. Checks nothing itself: tests verify.
 */
export async function webhookReceiver({ failFirst = 0 } = {}) {
  const attempts: Delivery[] = [];
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const d = { at: Date.now(), signature: String(req.headers['bridge-signature'] ?? ''), raw, body: JSON.parse(raw) };
      attempts.push(d);
      if (attempts.length <= failFirst) return res.writeHead(500).end();
      deliveries.push(d);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    attempts,
    deliveries,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A receiver's check, as docs/protocol.md §7.2 describes it: the HMAC over "<t>.<body>" and a timestamp within 5 minutes. */
export function verifySignature(secret: string, header: string, raw: string, nowSec = Math.floor(Date.now() / 1000)): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  if (Math.abs(nowSec - Number(m[1])) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${raw}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'));
}
