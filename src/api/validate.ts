import type { Request } from 'express';
import type { z } from 'zod';
import { zodIssuesToProblems } from '../sharing-tasks/validation';
import { ValidationError } from '../errors';

/** Parses a request part with its schema; on failure a 400 naming each field (prefixed with where it was). */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, location?: 'query' | 'params'): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = zodIssuesToProblems(result.error);
  throw new ValidationError(
    location ? problems.map((p) => ({ ...p, field: p.field ? `${location}.${p.field}` : location })) : problems,
  );
}

/** The query string with `name[]` keys read as `name` (clients send arrays both ways). */
export function queryOf(req: Request): Record<string, unknown> {
  return Object.fromEntries(Object.entries(req.query).map(([key, value]) => [key.replace(/\[\]$/, ''), value]));
}
