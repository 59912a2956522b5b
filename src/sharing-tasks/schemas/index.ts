/** The API's data contract: one zod schema per shape, giving validation, TypeScript types and OpenAPI. */
export * from './common';
export * from './enums';
export * from './execution';
export * from './recipients';
export * from './requests';
export * from './settings';
export * from './sharing-task';
export * from './template';
