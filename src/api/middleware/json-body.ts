import express, { type NextFunction, type Request, type Response } from 'express';
import { errors } from '../../errors';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** JSON bodies up to 1 MB; a body of another media type is a 415, not silently ignored. */
export function jsonBody() {
  const parse = express.json({ limit: '1mb', type: JSON_TYPES });
  return (req: Request, res: Response, next: NextFunction): void => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is(JSON_TYPES)) {
      return next(errors.unsupportedMediaType(`the body must be JSON (Content-Type: application/json), not ${req.headers['content-type'] ?? 'unspecified'}`));
    }
    parse(req, res, next);
  };
}
