/**
 * The API's data contract: one zod schema per shape (`XSchema`), giving request validation, the
 * TypeScript type (`X`, inferred) and the OpenAPI document (src/api/openapi.ts).
 *
 * Modules are listed leaves first: the OpenAPI document generates the named schemas in this
 * order, so each component is generated from itself before any wrapper refers to it.
 */
export { MISSING_VALUE_MESSAGE } from './zod';
export * from './text';
export * from './free-form';
export * from './common';
export * from './enums';
export * from './inline-chart-data';
export * from './template';
export * from './recipients';
export * from './schedule-options';
export * from './sharing-task';
export * from './paging';
export * from './list';
export * from './params';
export * from './patch';
export * from './actions';
export * from './execution';
export * from './settings';
export * from './errors';
