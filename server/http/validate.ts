import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { entityId, userId } from '../../shared/index.js';
import { AppError, badRequest } from '../errors.js';

/** Parses the JSON body with a shared schema; the route sees the parsed value as req.body. */
export function body(schema: z.ZodType) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const parsed = schema.safeParse(req.body ?? {});
    if (!parsed.success) throw badRequest(parsed.error);
    req.body = parsed.data;
    next();
  };
}

/** A path parameter that must be an id (ids share one alphabet); anything else is NOT_FOUND. */
export function idParam(req: Request, name: string, kind: 'entity' | 'user' = 'entity'): string {
  const value = req.params[name];
  const parsed = (kind === 'user' ? userId : entityId).safeParse(value);
  if (!parsed.success) throw new AppError('NOT_FOUND', `no such ${name.replace(/Id$/, '')}`);
  return parsed.data;
}
