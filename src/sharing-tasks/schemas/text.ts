import { z } from './zod';

/**
 * Text fields: no NUL or other C0 control character (nor DEL) anywhere in a request. MongoDB and
 * PostgreSQL refuse NUL, and a CR or LF in a subject or a file name is a header injection.
 * Multi-line text (an e-mail body, a message) may hold tab, CR and LF. The patterns are what the
 * OpenAPI document publishes; `validation.ts` names a string that breaks one `control_character`.
 */
export const SINGLE_LINE_PATTERN = /^[^\u0000-\u001F\u007F]*$/;
export const MULTI_LINE_PATTERN = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

export const CONTROL_CHARACTER_PATTERNS: readonly string[] = [SINGLE_LINE_PATTERN.toString(), MULTI_LINE_PATTERN.toString()];

/** A one-line string: ids, names, subjects, rules. */
export function singleLine() {
  return z.string().regex(SINGLE_LINE_PATTERN, 'must not contain control characters');
}

/** A string that may span lines: e-mail bodies, messages, descriptions. */
export function multiLine() {
  return z.string().regex(MULTI_LINE_PATTERN, 'must not contain control characters other than tab, CR and LF');
}
