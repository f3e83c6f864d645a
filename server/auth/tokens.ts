import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { displayName, globalRole, userId, type GlobalRole } from '../../shared/index.js';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';

/** Who a verified token says the caller is. `exp` is epoch seconds. */
export type Identity = { id: string; name: string; role: GlobalRole; exp: number };

const claims = z.object({
  sub: userId,
  name: displayName,
  role: globalRole,
  exp: z.number().int().positive(),
  iat: z.number().optional(),
});

const MAX_TOKEN_LENGTH = 8192;

/**
 * A verifier with the algorithms pinned by configuration; `exp` is required, `nbf` honoured,
 * `iss`/`aud` checked when configured, and the lifetime bounded by `maxLifetimeSec`. Throws
 * AppError UNAUTHORIZED for anything else, without saying why (the reason is for logs, never for
 * the caller).
 * @example const who = createVerifier(config.jwt)(handshake.auth.token)
 */
export function createVerifier(cfg: Config['jwt']): (token: unknown) => Identity {
  const options: jwt.VerifyOptions = {
    algorithms: cfg.algorithms as jwt.Algorithm[],
    clockTolerance: cfg.clockToleranceSec,
    ...(cfg.issuer ? { issuer: cfg.issuer } : {}),
    ...(cfg.audience ? { audience: cfg.audience } : {}),
  };
  const key = keyObject(cfg.key);
  return (token) => {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw unauthorized();
    let payload: unknown;
    try {
      payload = jwt.verify(token, key, options);
    } catch {
      throw unauthorized();
    }
    const parsed = claims.safeParse(payload);
    if (!parsed.success) throw unauthorized();
    const { sub, name, role, exp, iat } = parsed.data;
    if (lifetimeSec(exp, iat, cfg.clockToleranceSec) > cfg.maxLifetimeSec) throw unauthorized();
    return { id: sub, name, role, exp };
  };
}

/**
 * How long a token is good for: from its `iat`, or from now when it has none. The issuer's clock
 * may run up to `toleranceSec` ahead of ours; an `iat` later than that counts from then, or a
 * token could hide a life of years behind a late `iat`.
 */
function lifetimeSec(exp: number, iat: number | undefined, toleranceSec: number): number {
  const latest = Date.now() / 1000 + toleranceSec;
  return exp - Math.min(iat ?? latest, latest);
}

/** Signs a token the way an identity provider would; used by demo mode and tests. */
export function signToken(cfg: Config['jwt'], user: { id: string; name: string; role: GlobalRole }, ttlSec: number): string {
  return jwt.sign({ sub: user.id, name: user.name, role: user.role }, cfg.key, {
    algorithm: cfg.algorithms[0] as jwt.Algorithm,
    expiresIn: ttlSec,
    ...(cfg.issuer ? { issuer: cfg.issuer } : {}),
    ...(cfg.audience ? { audience: cfg.audience } : {}),
  });
}

/**
 * The key material as jsonwebtoken would read it (a PEM public key, else an HS secret), made once:
 * given a string, verify() builds it on every call, and the failed createPublicKey of a secret
 * (an exception with its stack) was the largest cost of each connection and each HTTP request.
 */
function keyObject(material: string): KeyObject {
  try {
    return createPublicKey(material);
  } catch {
    return createSecretKey(Buffer.from(material));
  }
}

function unauthorized(): AppError {
  return new AppError('UNAUTHORIZED', 'a valid token is required');
}
