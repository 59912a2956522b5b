import assert from 'node:assert/strict';
import type { z } from 'zod';
import {
  ErrorResponseSchema,
  ExecutionListResponseSchema,
  ExecutionSchema,
  OccurrencesResponseSchema,
  SettingsSchema,
  SharingTaskListResponseSchema,
  SharingTaskResponseSchema,
} from '../../../src/sharing-tasks/schemas';
import { chartTaskRequest } from '../../support/fixtures';
import { eventually, TestService } from '../../support/service';

/**
 * Real responses of every JSON route conform to the schemas that generate the OpenAPI document
 * (so to the document itself): what the API promises is what it sends.
 */
describe('responses and the OpenAPI document', function () {
  this.timeout(60_000);
  let service: TestService;
  before(async () => {
    service = await TestService.start();
  });
  after(async () => service?.stop());

  function conforms(schema: z.ZodType, body: unknown, what: string): void {
    const result = schema.safeParse(body);
    assert.ok(result.success, `${what}: ${result.success ? '' : JSON.stringify(result.error.issues.slice(0, 3))}`);
  }

  it('every JSON route answers in its documented shape, errors included', async () => {
    const token = service.token({ tenant: 'tenant-doc', userId: 'doc' });
    const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ executeOnCreation: true }));
    conforms(SharingTaskResponseSchema, created.body, 'POST /sharing-tasks');
    const base = `/api/v1/sharing-tasks/${created.body.id}`;
    const latest = await eventually(async () => {
      const response = await service.request(token, 'GET', `${base}/executions/latest`);
      return response.status === 200 && response.body.endTime ? response.body : undefined;
    }, 20_000, 'the creation run');
    conforms(ExecutionSchema, latest, 'GET executions/latest');
    conforms(SharingTaskResponseSchema, (await service.request(token, 'GET', base)).body, 'GET /sharing-tasks/{id}');
    conforms(SharingTaskListResponseSchema, (await service.request(token, 'GET', '/api/v1/sharing-tasks')).body, 'GET /sharing-tasks');
    conforms(ExecutionListResponseSchema, (await service.request(token, 'GET', `${base}/executions`)).body, 'GET executions');
    conforms(OccurrencesResponseSchema, (await service.request(token, 'GET', `${base}/occurrences?count=2`)).body, 'GET occurrences');
    conforms(SettingsSchema, (await service.request(token, 'GET', '/api/v1/sharing-tasks/settings')).body, 'GET settings');
    for (const [method, path, body] of [
      ['GET', '/api/v1/sharing-tasks?limit=0'],
      ['GET', '/api/v1/sharing-tasks/unknown-id'],
      ['POST', '/api/v1/sharing-tasks', { name: '' }],
      ['PUT', '/api/v1/sharing-tasks/settings', { maxRecipients: 5 }],
    ] as [string, string, unknown?][]) {
      const response = await service.request(token, method, path, body);
      assert.ok(response.status >= 400);
      conforms(ErrorResponseSchema, response.body, `${method} ${path}`);
    }
  });
});
