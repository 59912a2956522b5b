import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import type { Db } from 'mongodb';
import { pinoHttp } from 'pino-http';
import type { AuthSettings } from '../auth/claims';
import type { DirectoryService } from '../directory/directory-service';
import { errors } from '../errors';
import type { Logger } from '../logger';
import type { IdempotencyStore } from '../store';
import type { ExecutionService } from '../sharing-tasks/execution-service';
import type { SettingsService } from '../sharing-tasks/settings-service';
import type { SharingTaskService } from '../sharing-tasks/sharing-task-service';
import type { FileLinkSigner } from '../auth/file-link-signature';
import { consoleRouter, type ConsoleOptions } from './console';
import { docsRouter } from './docs';
import { signedFileRoutes } from './signed-files';
import { healthRouter } from './health';
import { buildOpenApiDocument } from './openapi';
import { authenticate } from './middleware/authenticate';
import { idempotency } from './middleware/idempotency';
import { linkOrigin, type LinkOriginPolicy } from './middleware/link-origin';
import { securityHeaders } from './middleware/security-headers';
import { recordCaller } from './middleware/record-caller';
import { errorHandler } from './middleware/error-handler';
import { jsonBody } from './middleware/json-body';
import { traceId } from './middleware/trace';
import type { RequestMetrics } from './middleware/request-metrics';
import { executionRoutes } from './routes/executions';
import { settingsRoutes } from './routes/settings';
import { sharingTaskRoutes } from './routes/sharing-tasks';
import { rateLimits } from './middleware/rate-limit';
import { requireSharingEnabled } from './middleware/sharing-enabled';

export interface ApiDependencies {
  logger: Logger;
  db: Db;
  temporal: Client;
  auth: AuthSettings;
  tasks: SharingTaskService;
  executions: ExecutionService;
  settings: SettingsService;
  directory: DirectoryService;
  rateLimits: { readsPerMinute: number; writesPerMinute: number };
  links: LinkOriginPolicy;
  /** Express's `trust proxy`: false unless a proxy in front sets X-Forwarded-* headers. */
  trustProxy: boolean | number | string;
  idempotency: { store: IdempotencyStore; ttlSeconds: number };
  /** Request metrics; `serveHere`: GET /metrics on this app (false when API_METRICS_PORT serves them). */
  metrics: { requests: RequestMetrics; serveHere: boolean };
  /** Verifies the signed file links of e-mails (/files/...). */
  fileLinks: FileLinkSigner;
  console: ConsoleOptions;
}

/** The HTTP application: the same versioned router under /api/v1 and /v1, errors in one shape. */
/** A request as its log line shows it: the `signature` of a signed file link replaced, in the URL and the query. */
export function requestForLog<T extends { url?: string; query?: Record<string, unknown> }>(req: T): T {
  return {
    ...req,
    ...(req.url ? { url: req.url.replace(/([?&]signature=)[^&#]*/g, '$1[redacted]') } : {}),
    ...(req.query?.signature !== undefined ? { query: { ...req.query, signature: '[redacted]' } } : {}),
  };
}

export function createApp(deps: ApiDependencies): { app: Express; drain(): Promise<void> } {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.use(deps.metrics.requests.middleware);
  app.use(securityHeaders());
  app.use(traceId);
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req) => (req as express.Request).traceId,
      customProps: (req) => ({ traceId: (req as express.Request).traceId }),
      // A signed file link opens the file for anyone who holds it: its signature stays out of the logs.
      serializers: { req: requestForLog },
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/ready' || req.url === '/metrics' },
    }),
  );
  const health = healthRouter({ db: deps.db, temporal: deps.temporal });
  app.use(health.router);
  // Prometheus scrapes it: public like /health (no tenant data in it), unless on a port of its own.
  if (deps.metrics.serveHere) {
    const { registry } = deps.metrics.requests;
    app.get('/metrics', async (_req, res) => void res.type(registry.contentType).send(await registry.metrics()));
  }

  // The contract, generated from the same zod schemas that validate requests; public like any API reference.
  let openApi: object | undefined;
  app.get(['/api/v1/sharing-tasks/openapi.json', '/v1/sharing-tasks/openapi.json'], (_req, res) => {
    openApi ??= buildOpenApiDocument();
    res.json(openApi);
  });

  app.use(docsRouter());

  const v1 = express.Router();
  v1.use(jsonBody());
  v1.use(authenticate(deps.auth));
  v1.use(recordCaller(deps.directory, deps.logger));
  v1.use(rateLimits(deps.rateLimits));
  v1.use(linkOrigin(deps.links));
  v1.post(['/sharing-tasks', '/sharing-tasks/actions/execute'], idempotency({ ...deps.idempotency, logger: deps.logger }));
  v1.use(settingsRoutes({ settings: deps.settings }));
  v1.use(requireSharingEnabled(deps.settings));
  v1.use(sharingTaskRoutes({ tasks: deps.tasks }));
  v1.use(executionRoutes({ executions: deps.executions }));
  app.use(['/api/v1', '/v1'], v1);

  app.use(signedFileRoutes({ signer: deps.fileLinks, executions: deps.executions }));
  app.use(consoleRouter(deps.console, deps.auth));

  app.use((req, _res, next) => next(errors.notFound(`no route for ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.logger));
  return { app, drain: health.drain };
}
