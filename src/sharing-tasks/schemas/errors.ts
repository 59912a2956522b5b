import { z } from './zod';

export const ErrorItemSchema = z
  .object({
    code: z.string().openapi({ description: 'stable error code', example: 'HTTP-400' }),
    title: z.string().openapi({ example: 'Bad request' }),
    detail: z.string().optional().openapi({ example: 'templates[0].chartData.widthPx: is required' }),
    meta: z
      .object({
        httpCode: z.number().int(),
        field: z.string().optional().openapi({ description: 'validation errors: the field, as a path like templates[0].chartData.widthPx' }),
        rule: z.string().optional().openapi({ description: 'validation errors: the rule code the field breaks' }),
      })
      .optional(),
  })
  .openapi('ErrorItem');

/** Every 4xx/5xx answer. */
export const ErrorResponseSchema = z.object({ errors: z.array(ErrorItemSchema), traceId: z.string() }).openapi('ErrorResponse');
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;
