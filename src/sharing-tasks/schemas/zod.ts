import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

/** zod with `.openapi()`: the schemas validate requests, type the code and generate the OpenAPI document. */
extendZodWithOpenApi(z);

export { z };
