import type { NextFunction, Request, Response } from 'express';
import type { Identity } from './tokens.js';

declare module 'express-serve-static-core' {
  interface Request {
    user?: Identity;
  }
}

/** Express middleware: `Authorization: Bearer <jwt>` or 401 UNAUTHORIZED (thrown to the error handler). */
export function requireUser(verify: (token: unknown) => Identity) {
  return (req: Request, _res: Response, next: NextFunction) => {
    req.user = verify(bearerToken(req.headers.authorization));
    next();
  };
}

/** The credentials of an `Authorization: Bearer …` header; the scheme is case-insensitive (RFC 9110 §11.1). */
export function bearerToken(header: string | undefined): string | undefined {
  return /^bearer +(.+)$/i.exec(header ?? '')?.[1]?.trim();
}

/** The authenticated caller of a route behind requireUser. */
export function caller(req: Request): Identity {
  if (!req.user) throw new Error('route is missing requireUser');
  return req.user;
}
