import express, { type NextFunction, type Request, type Response } from 'express';
import { errors, ValidationError } from '../../errors';
import { FREE_FORM_LIMITS, pathDeeperThan } from '../../sharing-tasks/schemas';
import { fieldName } from '../../sharing-tasks/validation';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * How deep any body may nest: the deepest field a schema accepts (a PATCH value's
 * `templates[0].chartData.jsOpts` plus a free-form value's own depth) with room to spare. JSON.parse
 * builds any depth without recursion, but JSON.stringify, structuredClone and the BSON encoder
 * recurse: a 5,000-deep body is refused here, before anything recursive can see it.
 */
export const MAX_BODY_DEPTH = 2 * FREE_FORM_LIMITS.maxDepth;

/** JSON bodies up to 1 MB and MAX_BODY_DEPTH levels; a body of another media type is a 415, not silently ignored. */
export function jsonBody() {
  const parse = express.json({ limit: '1mb', type: JSON_TYPES });
  return (req: Request, res: Response, next: NextFunction): void => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is(JSON_TYPES)) {
      return next(errors.unsupportedMediaType(`the body must be JSON (Content-Type: application/json), not ${req.headers['content-type'] ?? 'unspecified'}`));
    }
    parse(req, res, (error?: unknown) => {
      if (error) return next(error);
      const tooDeep = pathDeeperThan(req.body, MAX_BODY_DEPTH);
      if (tooDeep) {
        return next(new ValidationError([{ field: fieldName(tooDeep) || 'body', rule: 'too_deep', message: `is nested more than ${MAX_BODY_DEPTH} levels deep` }]));
      }
      next();
    });
  };
}
