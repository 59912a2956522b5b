import type { ZodOpenAPIMetadata } from '@asteasolutions/zod-to-openapi';
import { z } from './zod';

/**
 * Bounds of every free-form JSON value a client may send (jsOpts, objectDef, state, patches...):
 * the service stores them as given, so they must be storable (no `$`-prefixed or dotted keys, no
 * NUL: MongoDB and PostgreSQL refuse them) and cheap to read back for every list (bounded depth,
 * keys and items). Depth counts from the free-form value itself: `{"a":{"b":1}}` is 2 deep.
 */
export const FREE_FORM_LIMITS = { maxDepth: 32, maxKeys: 1_000, maxKeyLength: 200, maxItems: 10_000 } as const;

/** C0 controls and DEL; what no single-line text may hold. */
const CONTROL_CHARACTER = /[\u0000-\u001F\u007F]/;
/** The same without tab, line feed and carriage return: what multi-line text may not hold. */
const CONTROL_CHARACTER_BUT_WHITESPACE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function hasControlCharacter(text: string, allowWhitespace = false): boolean {
  return (allowWhitespace ? CONTROL_CHARACTER_BUT_WHITESPACE : CONTROL_CHARACTER).test(text);
}

/** Why a key cannot be stored as given, or undefined when it can. */
export function keyProblem(key: string): string | undefined {
  if (key === '') return 'must not be empty';
  if (key.startsWith('$')) return 'must not start with "$"';
  if (key.includes('.')) return 'must not contain "."';
  if (hasControlCharacter(key)) return 'must not contain NUL or other control characters';
  if (key.length > FREE_FORM_LIMITS.maxKeyLength) return `must be at most ${FREE_FORM_LIMITS.maxKeyLength} characters long`;
  return undefined;
}

export interface JsonProblem {
  /** relative to the value walked */
  path: (string | number)[];
  rule: 'too_deep' | 'too_big' | 'invalid_key' | 'control_character';
  message: string;
}

const MAX_PROBLEMS = 10;

/**
 * The problems of a free-form JSON value, found without recursion (a 5,000-deep value must not
 * overflow the stack: JSON.parse builds it iteratively, and nothing recursive may see it before
 * this has bounded it). Stops descending below `maxDepth` and after a few problems.
 */
export function freeFormProblems(value: unknown, limits: { maxDepth: number } = FREE_FORM_LIMITS): JsonProblem[] {
  const problems: JsonProblem[] = [];
  const pending: { value: unknown; path: (string | number)[]; depth: number }[] = [{ value, path: [], depth: 0 }];
  while (pending.length > 0 && problems.length < MAX_PROBLEMS) {
    const { value: current, path, depth } = pending.pop()!;
    if (typeof current === 'string') {
      if (hasControlCharacter(current, true)) problems.push({ path, rule: 'control_character', message: 'must not contain NUL or other control characters (tab, CR and LF are allowed)' });
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > limits.maxDepth) {
      problems.push({ path, rule: 'too_deep', message: `is nested more than ${limits.maxDepth} levels deep` });
      continue;
    }
    if (Array.isArray(current)) {
      if (current.length > FREE_FORM_LIMITS.maxItems) {
        problems.push({ path, rule: 'too_big', message: `has ${current.length} items; at most ${FREE_FORM_LIMITS.maxItems} are allowed` });
        continue;
      }
      for (let index = current.length - 1; index >= 0; index--) pending.push({ value: current[index], path: [...path, index], depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(current);
    if (keys.length > FREE_FORM_LIMITS.maxKeys) {
      problems.push({ path, rule: 'too_big', message: `has ${keys.length} keys; at most ${FREE_FORM_LIMITS.maxKeys} are allowed` });
      continue;
    }
    const children: typeof pending = [];
    for (const key of keys) {
      const problem = keyProblem(key);
      if (problem) problems.push({ path: [...path, key], rule: 'invalid_key', message: `key ${problem}` });
      else children.push({ value: (current as Record<string, unknown>)[key], path: [...path, key], depth: depth + 1 });
    }
    pending.push(...children.reverse());
  }
  return problems.slice(0, MAX_PROBLEMS);
}

/** The path of the first place where the value nests deeper than `maxDepth`, found without recursion; undefined when none does. */
export function pathDeeperThan(value: unknown, maxDepth: number): (string | number)[] | undefined {
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (path.length >= maxDepth) return path;
    for (const [key, item] of Object.entries(current)) pending.push({ value: item, path: [...path, Array.isArray(current) ? Number(key) : key] });
  }
  return undefined;
}

/**
 * Bytes of the value serialized as JSON, computed without recursion (JSON.stringify recurses, and
 * throws on a deep value). Exact for what JSON.stringify would give; undefined members count as absent.
 */
export function jsonByteLength(value: unknown): number {
  let bytes = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (current === null || typeof current !== 'object') {
      bytes += current === undefined ? 4 : Buffer.byteLength(JSON.stringify(current) ?? 'null');
      continue;
    }
    if (Array.isArray(current)) {
      bytes += 2 + Math.max(0, current.length - 1);
      pending.push(...current);
      continue;
    }
    const entries = Object.entries(current).filter(([, item]) => item !== undefined);
    bytes += 2 + Math.max(0, entries.length - 1);
    for (const [key, item] of entries) {
      bytes += Buffer.byteLength(JSON.stringify(key)) + 1;
      pending.push(item);
    }
  }
  return bytes;
}

export const FREE_FORM_DESCRIPTION =
  `free-form JSON, stored as given: at most ${FREE_FORM_LIMITS.maxDepth} levels deep, ${FREE_FORM_LIMITS.maxKeys} keys per object and ` +
  `${FREE_FORM_LIMITS.maxItems} items per array; keys must not start with "$" or contain "." or control characters; ` +
  'strings must not contain control characters other than tab, CR and LF';

/** The key pattern of free-form objects, for the OpenAPI document (`propertyNames`). */
export const FREE_FORM_KEY_PATTERN = '^[^$.\\u0000-\\u001F\\u007F][^.\\u0000-\\u001F\\u007F]*$';

/** Adds the free-form bounds to a schema: each problem is an issue at its own path (`state.fields[0].a.b`). */
export function freeForm<T extends z.ZodType>(schema: T, description?: string): T {
  return schema
    .superRefine(
      (value, context) => {
        for (const problem of freeFormProblems(value)) {
          context.addIssue({ code: 'custom', path: problem.path, message: problem.message, params: { rule: problem.rule } });
        }
      },
      // also when another field of the same object failed, so that one response lists every problem
      { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
    )
    .openapi({ description: description ? `${description}; ${FREE_FORM_DESCRIPTION}` : FREE_FORM_DESCRIPTION }) as T;
}

/** A free-form object the service stores and hands back untouched (jsOpts, objectDef, reportProperties...). */
const jsonRecord = freeForm(z.record(z.string(), z.unknown()));
// propertyNames (JSON Schema 2020-12, OpenAPI 3.1) is not in the generator's metadata type.
export const JsonObjectSchema = jsonRecord.openapi({
  maxProperties: FREE_FORM_LIMITS.maxKeys,
  propertyNames: { pattern: FREE_FORM_KEY_PATTERN },
} as Partial<ZodOpenAPIMetadata>);

/** A free-form array (state.fields, chartData.patches, DLUsers...). */
export function jsonArray(description?: string) {
  return freeForm(z.array(z.unknown()).max(FREE_FORM_LIMITS.maxItems), description);
}
