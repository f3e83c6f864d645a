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
    const header = req.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    req.user = verify(token);
    next();
  };
}

/** The authenticated caller of a route behind requireUser. */
export function caller(req: Request): Identity {
  if (!req.user) throw new Error('route is missing requireUser');
  return req.user;
}
