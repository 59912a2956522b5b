import assert from 'node:assert/strict';
import { routeTemplate, UNMATCHED_ROUTE } from '../../../src/api/route-template';

const request = (originalUrl: string, path?: unknown) => ({ originalUrl, route: path === undefined ? undefined : { path } }) as Parameters<typeof routeTemplate>[0];

describe('route templates (the route label of http_request_duration_seconds)', () => {
  it('puts the mount in front of a router\'s template, never the raw ids', () => {
    assert.equal(routeTemplate(request('/api/v1/sharing-tasks/6b10abc?x=1', '/sharing-tasks/:taskId')), '/api/v1/sharing-tasks/:taskId');
    assert.equal(routeTemplate(request('/v1/sharing-tasks/6b10abc/executions/e-1/files/report-1', '/sharing-tasks/:taskId/executions/:executionId/files/:fileAlias')), '/v1/sharing-tasks/:taskId/executions/:executionId/files/:fileAlias');
    assert.equal(routeTemplate(request('/api/v1/sharing-tasks/', '/sharing-tasks')), '/api/v1/sharing-tasks');
    assert.equal(routeTemplate(request('/health', '/health')), '/health');
  });

  it('picks the template of a path list that matched', () => {
    const paths = ['/api/v1/sharing-tasks/openapi.json', '/v1/sharing-tasks/openapi.json'];
    assert.equal(routeTemplate(request('/v1/sharing-tasks/openapi.json', paths)), '/v1/sharing-tasks/openapi.json');
  });

  it('labels requests no route matched as one value', () => {
    assert.equal(routeTemplate(request('/api/v1/sharing-tasks/6b10abc')), UNMATCHED_ROUTE);
    assert.equal(routeTemplate(request('/nothing/here/123', /regex/)), UNMATCHED_ROUTE);
  });

  it('labels a template with other pattern syntax as written', () => {
    assert.equal(routeTemplate(request('/files/a/b/c', '/files/*path')), '/files/*path');
  });
});
