import { getRefId, OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import * as schemas from '../sharing-tasks/schemas';
import {
  AppReloadedRequestSchema,
  ErrorResponseSchema,
  ExecuteRequestSchema,
  ExecutionGetQuerySchema,
  ExecutionListQuerySchema,
  ExecutionListResponseSchema,
  ExecutionSchema,
  OccurrencesQuerySchema,
  OccurrencesResponseSchema,
  PreviewScheduleRequestSchema,
  SettingsPatchSchema,
  SettingsPutSchema,
  SettingsSchema,
  SharingTaskCreateRequestSchema,
  SharingTaskListQuerySchema,
  SharingTaskListResponseSchema,
  SharingTaskPatchSchema,
  SharingTaskResponseSchema,
  TaskParamsSchema as TaskParams,
  ExecutionParamsSchema as ExecutionParams,
  FileParamsSchema as FileParams,
  TaskGetQuerySchema as TaskGetQuery,
} from '../sharing-tasks/schemas';
import { z } from '../sharing-tasks/schemas/zod';
import { IdempotencyHeadersSchema } from './middleware/idempotency';

/** The versioned API's prefix in the document (the app also serves it under /v1). */
export const API_PREFIX = '/api/v1';

const ERROR_DESCRIPTIONS = {
  400: 'Bad request: malformed syntax or invalid parameters; each error names the field and the rule',
  401: 'Missing or invalid bearer token',
  403: 'Not allowed: missing role, or sharing disabled for the tenant',
  404: 'Not found (tasks of other tenants do not exist for the caller)',
  409: 'Conflict: the task is being deleted, or the first request with this Idempotency-Key is still running',
  413: 'Request body too large',
  415: 'Request body is not JSON',
  422: 'This Idempotency-Key was used with a different request',
  429: 'Rate limit exceeded; see Retry-After',
  500: 'Internal server error; quote the traceId',
  503: 'A dependency (MongoDB, Temporal) cannot be reached',
} as const;
type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

function errorResponses(statuses: ErrorStatus[]): RouteConfig['responses'] {
  return Object.fromEntries(statuses.map((status) => [status, { description: ERROR_DESCRIPTIONS[status], ...json(ErrorResponseSchema) }]));
}

/**
 * The errors a route can answer, from what it does: takes a body (413, 415), looks up a task or a
 * run (404), changes a task that may be being deleted (409); probes need no token.
 */
function errorsOf(route: { body: boolean; lookup: boolean; conflicts?: boolean; public?: boolean; idempotent?: boolean }): RouteConfig['responses'] {
  const statuses: ErrorStatus[] = route.public ? [500, 503] : [400, 401, 403, 429, 500, 503];
  if (route.body) statuses.push(413, 415);
  if (route.lookup) statuses.push(404);
  if (route.conflicts || route.idempotent) statuses.push(409);
  if (route.idempotent) statuses.push(422);
  return errorResponses(statuses.sort((a, b) => a - b));
}

const HealthSchema = z.object({ status: z.string() }).loose().openapi('Health');

const FILE_TYPES = [
  'application/pdf',
  'image/png',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];
const binary = z.string().openapi({ type: 'string', format: 'binary' });

type Route = Omit<RouteConfig, 'path' | 'security'> & { path: string };

/** Every route of the API; `{name}` segments are path parameters. */
function apiRoutes(): Route[] {
  const noContent = (description: string) => ({ 204: { description } });
  return [
    {
      method: 'get',
      path: '/sharing-tasks',
      summary: 'List sharing tasks',
      request: { query: SharingTaskListQuerySchema },
      responses: { 200: { description: 'A page of sharing tasks', ...json(SharingTaskListResponseSchema) }, ...errorsOf({ body: false, lookup: false }) },
    },
    {
      method: 'post',
      path: '/sharing-tasks',
      summary: 'Create a sharing task',
      description: 'Read-only and unknown fields of the body are ignored. Rate limit: writes tier.',
      request: { headers: IdempotencyHeadersSchema, body: { required: true, ...json(SharingTaskCreateRequestSchema) } },
      responses: {
        201: { description: 'The task as stored, with links', headers: { Location: { schema: { type: 'string' }, description: 'URL of the task' } }, ...json(SharingTaskResponseSchema) },
        ...errorsOf({ body: true, lookup: false, idempotent: true }),
      },
    },
    {
      method: 'get',
      path: '/sharing-tasks/{taskId}',
      summary: 'Get a sharing task',
      request: { params: TaskParams, query: TaskGetQuery },
      responses: { 200: { description: 'The task', ...json(SharingTaskResponseSchema) }, ...errorsOf({ body: false, lookup: true }) },
    },
    {
      method: 'patch',
      path: '/sharing-tasks/{taskId}',
      summary: 'Update a sharing task (JSON Patch)',
      request: { params: TaskParams, body: { required: true, ...json(SharingTaskPatchSchema) } },
      responses: { ...noContent('The task has been updated'), ...errorsOf({ body: true, lookup: true, conflicts: true }) },
    },
    {
      method: 'delete',
      path: '/sharing-tasks/{taskId}',
      summary: 'Delete a sharing task, its runs and files',
      request: { params: TaskParams },
      responses: { ...noContent('The task has been deleted'), ...errorsOf({ body: false, lookup: true, conflicts: true }) },
    },
    {
      method: 'post',
      path: '/sharing-tasks/{taskId}/actions/cancel',
      summary: 'Cancel a task: stop its recurrence and a run in progress',
      request: { params: TaskParams },
      responses: { ...noContent('The task has been cancelled'), ...errorsOf({ body: false, lookup: true, conflicts: true }) },
    },
    {
      method: 'post',
      path: '/sharing-tasks/actions/execute',
      summary: 'Run a task now',
      request: { headers: IdempotencyHeadersSchema, body: { required: true, ...json(ExecuteRequestSchema) } },
      responses: { ...noContent('The run has been set up'), ...errorsOf({ body: true, lookup: true, conflicts: true, idempotent: true }) },
    },
    {
      method: 'post',
      path: '/sharing-tasks/actions/app-reloaded',
      summary: 'Report an app reload: runs the app\'s tasks with executeOnAppReload',
      request: { body: { required: true, ...json(AppReloadedRequestSchema) } },
      responses: { ...noContent('The reload has been recorded'), ...errorsOf({ body: true, lookup: false }) },
    },
    {
      method: 'post',
      path: '/sharing-tasks/actions/preview-schedule',
      summary: 'The next occurrences of a schedule',
      request: { body: { required: true, ...json(PreviewScheduleRequestSchema) } },
      responses: { 200: { description: 'The occurrences', ...json(OccurrencesResponseSchema) }, ...errorsOf({ body: true, lookup: false }) },
    },
    {
      method: 'get',
      path: '/sharing-tasks/{taskId}/occurrences',
      summary: 'The next occurrences of a task',
      request: { params: TaskParams, query: OccurrencesQuerySchema },
      responses: { 200: { description: 'The occurrences', ...json(OccurrencesResponseSchema) }, ...errorsOf({ body: false, lookup: true }) },
    },
    {
      method: 'get',
      path: '/sharing-tasks/{taskId}/executions',
      summary: 'List the runs of a task',
      request: { params: TaskParams, query: ExecutionListQuerySchema },
      responses: { 200: { description: 'A page of executions', ...json(ExecutionListResponseSchema) }, ...errorsOf({ body: false, lookup: true }) },
    },
    {
      method: 'get',
      path: '/sharing-tasks/{taskId}/executions/{executionId}',
      summary: 'Get a run of a task',
      request: { params: ExecutionParams, query: ExecutionGetQuerySchema },
      responses: { 200: { description: 'The execution', ...json(ExecutionSchema) }, ...errorsOf({ body: false, lookup: true }) },
    },
    {
      method: 'get',
      path: '/sharing-tasks/{taskId}/executions/{executionId}/files/{fileAlias}',
      summary: 'Download a file a run rendered',
      request: { params: FileParams },
      responses: {
        200: { description: 'The file', content: Object.fromEntries(FILE_TYPES.map((type) => [type, { schema: binary }])) },
        ...errorsOf({ body: false, lookup: true }),
      },
    },
    {
      method: 'get',
      path: '/sharing-tasks/settings',
      summary: 'The tenant\'s sharing settings',
      responses: { 200: { description: 'The settings', ...json(SettingsSchema) }, ...errorsOf({ body: false, lookup: false }) },
    },
    {
      method: 'patch',
      path: '/sharing-tasks/settings',
      summary: 'Switch the sharing features (TenantAdmin)',
      request: { body: { required: true, ...json(SettingsPatchSchema) } },
      responses: { ...noContent('The settings have been updated'), ...errorsOf({ body: true, lookup: false }) },
    },
    {
      method: 'put',
      path: '/sharing-tasks/settings',
      summary: 'Update the API configuration (TenantAdmin)',
      request: { body: { required: true, ...json(SettingsPutSchema) } },
      responses: { ...noContent('The settings have been updated'), ...errorsOf({ body: true, lookup: false }) },
    },
  ];
}

/** Process probes, outside the versioned API and without authentication. */
function probeRoutes(): RouteConfig[] {
  return [
    {
      method: 'get',
      path: '/health',
      summary: 'The process lives',
      security: [],
      responses: { 200: { description: 'Alive', ...json(HealthSchema) }, ...errorsOf({ body: false, lookup: false, public: true }) },
    },
    {
      method: 'get',
      path: '/ready',
      summary: 'MongoDB and Temporal answer',
      security: [],
      responses: { 200: { description: 'Ready', ...json(HealthSchema) }, ...errorsOf({ body: false, lookup: false, public: true }) },
    },
  ];
}

type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** The OpenAPI 3.1 document of the API, generated from the same zod schemas that validate requests; plain JSON. */
export function buildOpenApiDocument(): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  // Every named schema first, each from itself and leaves first (the index's order): a component
  // first met through a nullable wrapper (`chartData` may be null) would take on its nullability.
  for (const value of Object.values(schemas as Record<string, unknown>)) {
    const name = value instanceof z.ZodType ? getRefId(value) : undefined;
    if (name) registry.register(name, value as z.ZodType);
  }
  const bearer = registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'claims carry the tenant, user id, user name and roles (TenantAdmin, AnalyticsAdmin)',
  });
  for (const route of apiRoutes()) registry.registerPath({ ...route, path: `${API_PREFIX}${route.path}`, tags: ['sharing-tasks'] });
  for (const route of probeRoutes()) registry.registerPath({ ...route, tags: ['probes'] });

  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Sharing tasks API',
      version: '1.0.0',
      description: 'Scheduled report sharing: tasks rendered to files and delivered on RRULE schedules. Wire-compatible with the /v1/sharing-tasks reference API.',
    },
    security: [{ [bearer.name]: [] }],
  });
  // The generator leaves `undefined` members (e.g. `default`) in some schemas.
  return JSON.parse(JSON.stringify(document)) as OpenApiDocument;
}
