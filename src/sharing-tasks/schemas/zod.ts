import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

/** zod with `.openapi()`: the schemas validate requests, type the code and generate the OpenAPI document. */
extendZodWithOpenApi(z);

/**
 * The message of an issue whose input was absent (a missing string, enum value, literal...). zod 4
 * drops an issue's input unless the caller parses with `reportInput`, so this message is how a
 * missing field is told apart from a wrong one (rule `required` vs `invalid_type`/`invalid_enum`,
 * see validation.ts). Custom issues keep their own messages.
 */
export const MISSING_VALUE_MESSAGE = 'is required';

z.config({
  customError: (issue) => (issue.code !== 'custom' && issue.input === undefined ? MISSING_VALUE_MESSAGE : undefined),
});

export { z };
