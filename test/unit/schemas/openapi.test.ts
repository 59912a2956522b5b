import assert from 'node:assert/strict';
import { buildOpenApiDocument } from '../../../src/api/openapi';

type Operation = { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>; security?: unknown[]; requestBody?: unknown };

/** Every route with its success status. */
const ROUTES: [string, string, number][] = [
  ['get', '/api/v1/sharing-tasks', 200],
  ['post', '/api/v1/sharing-tasks', 201],
  ['get', '/api/v1/sharing-tasks/{taskId}', 200],
  ['patch', '/api/v1/sharing-tasks/{taskId}', 204],
  ['delete', '/api/v1/sharing-tasks/{taskId}', 204],
  ['post', '/api/v1/sharing-tasks/{taskId}/actions/cancel', 204],
  ['post', '/api/v1/sharing-tasks/actions/execute', 204],
  ['post', '/api/v1/sharing-tasks/actions/app-reloaded', 204],
  ['post', '/api/v1/sharing-tasks/actions/preview-schedule', 200],
  ['get', '/api/v1/sharing-tasks/{taskId}/occurrences', 200],
  ['get', '/api/v1/sharing-tasks/{taskId}/executions', 200],
  ['get', '/api/v1/sharing-tasks/{taskId}/executions/{executionId}', 200],
  ['get', '/api/v1/sharing-tasks/{taskId}/executions/{executionId}/files/{fileAlias}', 200],
  ['get', '/api/v1/sharing-tasks/settings', 200],
  ['patch', '/api/v1/sharing-tasks/settings', 204],
  ['put', '/api/v1/sharing-tasks/settings', 204],
  ['get', '/health', 200],
  ['get', '/ready', 200],
];

describe('OpenAPI document', () => {
  const document = buildOpenApiDocument();
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const operation = (method: string, path: string) => paths[path]?.[method];

  it('is OpenAPI 3.1 and plain JSON', () => {
    assert.equal(document.openapi, '3.1.0');
    assert.deepEqual(JSON.parse(JSON.stringify(document)), document);
  });

  it('has every route, and no other', () => {
    const listed = Object.entries(paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
    assert.deepEqual(listed.sort(), ROUTES.map(([method, path]) => `${method} ${path}`).sort());
  });

  for (const [method, path, status] of ROUTES) {
    it(`${method.toUpperCase()} ${path} answers ${status}`, () => {
      const successes = Object.keys(operation(method, path)!.responses).filter((code) => code.startsWith('2'));
      assert.deepEqual(successes, [String(status)]);
    });
  }

  it('secures the API with a bearer JWT, and leaves the probes open', () => {
    assert.deepEqual(document.components?.securitySchemes?.bearerAuth, {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'claims carry the tenant, user id, user name and roles (TenantAdmin, AnalyticsAdmin)',
    });
    assert.deepEqual(document.security, [{ bearerAuth: [] }]);
    assert.deepEqual(operation('get', '/health')!.security, []);
    assert.equal(operation('get', '/api/v1/sharing-tasks')!.security, undefined);
  });

  it('answers errors in the ErrorResponse shape: 400/401/403/429/500/503 everywhere, 413/415 with a body, 404 on lookups', () => {
    for (const [method, path] of ROUTES.filter(([, path]) => path.startsWith('/api/'))) {
      const op = operation(method, path)!;
      const errors = Object.keys(op.responses).filter((code) => !code.startsWith('2'));
      for (const code of ['400', '401', '403', '429', '500', '503']) assert.ok(errors.includes(code), `${method} ${path} ${code}`);
      for (const code of ['413', '415']) assert.equal(errors.includes(code), op.requestBody !== undefined, `${method} ${path} ${code}`);
      if (path.includes('{taskId}')) assert.ok(errors.includes('404'), `${method} ${path} 404`);
      for (const code of errors) assert.equal(op.responses[code]!.content!['application/json']!.schema.$ref, '#/components/schemas/ErrorResponse');
    }
  });

  it('takes the create request and returns the task by their components', () => {
    const create = operation('post', '/api/v1/sharing-tasks') as Operation & { requestBody: { content: Record<string, { schema: { $ref: string } }> } };
    assert.equal(create.requestBody.content['application/json']!.schema.$ref, '#/components/schemas/SharingTaskCreateRequest');
    assert.equal(create.responses['201']!.content!['application/json']!.schema.$ref, '#/components/schemas/SharingTaskResponse');
  });

  it('keeps each component as defined, even one used where null is allowed (chartData)', () => {
    const schemas = document.components!.schemas as Record<string, { type?: unknown; required?: string[] }>;
    assert.equal(schemas.ChartData!.type, 'object');
    assert.deepEqual(schemas.ChartData!.required, ['appId', 'sheetId', 'objectId', 'widthPx', 'heightPx']);
    for (const name of ['TaskStatusCode', 'ErrorResponse', 'Execution', 'Settings', 'SettingsPut', 'SharingTaskPatch', 'ObjectDef']) assert.ok(schemas[name], name);
  });
});
