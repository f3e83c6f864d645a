import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { entityId, userId } from '../shared/index.js';
import { AppError, badRequest } from './errors.js';

// Request checks for every capability's router; kept out of server/http/ (which mounts the
// routers) so that the import between a capability and the HTTP assembly runs one way.

/**
 * Parses the JSON body with a shared schema; the route sees the parsed value as req.body. A body
 * sent without the JSON content type never reaches the parser (req.body stays undefined), so a
 * refusal then says what to send instead of "expected string, received undefined".
 */
export function body<S extends z.ZodType>(schema: S): RequestHandler<Request['params'], unknown, z.output<S>> {
  return (req: Request, _res: Response, next: NextFunction) => {
    const parsed = schema.safeParse(req.body ?? {});
    if (!parsed.success && req.body === undefined) throw notJson(parsed.error);
    if (!parsed.success) throw badRequest(parsed.error);
    req.body = parsed.data;
    next();
  };
}

function notJson(error: z.ZodError): AppError {
  const { issues } = badRequest(error).extra;
  const fields = [...new Set(issues!.map((i) => i.path[0]).filter((p) => p !== undefined))].join(', ');
  return new AppError('BAD_REQUEST', `the body must be JSON (Content-Type: application/json)${fields ? ` with ${fields}` : ''}`, {
    issues,
  });
}

/** A path parameter that must be an id (ids share one alphabet); anything else is NOT_FOUND. */
export function idParam(req: Request, name: string, kind: 'entity' | 'user' = 'entity'): string {
  const value = req.params[name];
  const parsed = (kind === 'user' ? userId : entityId).safeParse(value);
  if (!parsed.success) throw new AppError('NOT_FOUND', `no such ${name.replace(/Id$/, '')}`);
  return parsed.data;
}
