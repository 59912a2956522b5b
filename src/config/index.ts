import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { StagingPolicy } from '../contract/task-workflow';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** `host` or `host:port`, a DNS name or an IPv4 address, or an IPv6 address in brackets. */
export const HOST_ENTRY = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

const TRUST_PROXY = /^(?:true|false|\d+|(?:loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(?:\/\d{1,3})?)(?:\s*,\s*(?:loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(?:\/\d{1,3})?))*)$/;

/** Express's `trust proxy`: off by default, so X-Forwarded-* headers mean nothing unless a proxy is named. */
function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/**
 * Every setting of both processes, read once from environment variables. Defaults fit the
 * local stack that `npm start` brings up, so nothing needs setting in development.
 */
const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: int(0, 65535).default(8080),
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  ALLOWED_HOSTS: z
    .string()
    .transform((list) => list.split(',').map((host) => host.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().regex(HOST_ENTRY, 'must be a comma-separated list of host or host:port')))
    .default([]),
  TRUST_PROXY: z
    .string()
    .regex(TRUST_PROXY, 'must be true, false, a hop count, or a comma-separated list of loopback, linklocal, uniquelocal, addresses and CIDR ranges')
    .transform(trustProxySetting)
    .default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FILE: z.string().min(1).optional(),

  API_METRICS_PORT: int(0, 65535).optional(),
  WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  WORKER_METRICS_PORT: int(0, 65535).default(9464),
  TEMPORAL_SDK_METRICS_PORT: int(0, 65535).default(9465),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),

  MONGODB_URI: z.string().startsWith('mongodb').default('mongodb://127.0.0.1:27017'),
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]+$/).default('sharing_tasks'),
  MONGODB_MAX_POOL_SIZE: int(1, 500).default(10),
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: int(100, 120_000).default(2_000),

  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('sharing-tasks'),
  WORKER_MAX_CACHED_WORKFLOWS: int(0, 100000).default(500),
  WORKER_STICKY_QUEUE_TIMEOUT: z.string().regex(/^\d+(ms|s|m)$/).default('60s'),
  WORKER_MAX_CONCURRENT_ACTIVITIES: int(1, 100000).default(2000),
  RECONCILE_INTERVAL_SECONDS: int(0, 86400).default(300),
  WORKER_HEALTH_FILE: z.string().min(1).optional(),

  JWT_SECRET: z.string().min(16, 'must be at least 16 characters').default('local-development-secret-change-me'),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  JWT_MAX_LIFETIME_SECONDS: int(60, 30 * 86400).default(86400),
  JWT_CLOCK_SKEW_SECONDS: int(0, 600).default(60),

  IDEMPOTENCY_KEY_TTL_SECONDS: int(60, 30 * 86400).default(86400),

  FILE_LINK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  FILE_LINK_TTL_SECONDS: int(60, 90 * 86400).default(7 * 86400),

  TEMPORAL_UI_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8233'),
  CONSOLE_DEV_SIGN_IN: bool.default(false),

  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: int(1, 65535).default(1025),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  MAIL_FROM: z.string().default('Sharing Tasks <reports@sharing-tasks.local>'),

  RENDERER: z.enum(['builtin', 'http']).default('builtin'),
  RENDER_SERVICE_URL: z.url().optional(),
  RENDER_TIMEOUT_SECONDS: int(1, 3600).default(120),
  RENDER_PICTURE_CACHE_MIB: int(0, 4096).default(32),
  RENDER_THREADS: int(0, 64).default(1),
  RUN_TIMEOUT_SECONDS: int(10, 7 * 86400).default(3600),
  RUN_HEARTBEAT_TIMEOUT_SECONDS: int(10, 3600).default(30),
  RUN_CONCURRENCY: int(0, 100_000).default(64),
  DELIVERY_TIMEOUT_SECONDS: int(1, 3600).default(120),
  RUN_STAGING_LEAD_SECONDS: int(0, 3600).default(15),
  RUN_STAGING_WINDOW_SECONDS: int(0, 3600).default(60),
  RUN_STAGING_RATE_PER_SECOND: int(0, 100_000).default(0),
  RUN_STAGING_MAX_WINDOW_SECONDS: int(0, 3600).default(600),

  SHAREPOINT_GRAPH_URL: z.url().default('https://graph.microsoft.com/v1.0'),
  SHAREPOINT_AUTHORITY_URL: z.url().default('https://login.microsoftonline.com'),
  SHAREPOINT_TENANT_ID: z.string().optional(),
  SHAREPOINT_CLIENT_ID: z.string().optional(),
  SHAREPOINT_CLIENT_SECRET: z.string().optional(),
  SHAREPOINT_DRIVE_ID: z.string().optional(),

  MIN_SCHEDULE_INTERVAL_SECONDS: int(1, 86400).default(60),
  MAX_CONSECUTIVE_FAILURES: int(1, 1000).default(5),
  RATE_LIMIT_READS_PER_MINUTE: int(1, 1_000_000).default(1000),
  RATE_LIMIT_WRITES_PER_MINUTE: int(1, 1_000_000).default(100),
});

export type EnvConfig = z.infer<typeof ConfigSchema>;

export interface Config {
  http: {
    host: string;
    port: number;
    publicBaseUrl?: string;
    /** Host header values (host or host:port) links may be built from, besides the listen host and localhost forms. */
    allowedHosts: string[];
    trustProxy: boolean | number | string;
  };
  logLevel: EnvConfig['LOG_LEVEL'];
  /** Log lines go to this file (appended) instead of standard output. */
  logFile?: string;
  metrics: {
    /** The API serves /metrics on this port instead of its own (absent: on its own port). */
    apiPort?: number;
    /** The worker's run metrics endpoint (port 0: a free port, logged at start). */
    worker: { host: string; port: number };
    /** The Temporal SDK's own Prometheus exporter, on the worker's metrics host (absent: off). */
    temporalSdkPort?: number;
  };
  /** Absent when OTEL_EXPORTER_OTLP_ENDPOINT is not set: no tracing SDK is loaded at all. */
  tracing?: { otlpEndpoint: string };
  mongo: { uri: string; dbName: string; maxPoolSize: number; serverSelectionTimeoutMs: number };
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    maxCachedWorkflows: number;
    stickyQueueScheduleToStartTimeout: string;
    maxConcurrentActivities: number;
  };
  reconcileIntervalSeconds: number;
  /** The worker touches this file while it runs (a container health check reads its age). */
  workerHealthFile?: string;
  auth: { jwtSecret: string; issuer?: string; audience?: string; maxLifetimeSeconds: number; clockSkewSeconds: number };
  idempotencyKeyTtlSeconds: number;
  /** The signed, expiring file links of e-mails (src/auth/file-link-signature.ts). */
  fileLinks: { secret: string; ttlSeconds: number };
  /** The web console at /console: the Temporal UI it links runs to, and the dev sign-in form (npm start only). */
  console: { temporalUiUrl: string; temporalNamespace: string; devSignIn: boolean };
  /** How far ahead of its occurrence a scheduled run is started (workflows/definitions.ts, stagingLeadMs). */
  staging: StagingPolicy;
  /** timeoutMs: no SMTP connection outlives one delivery attempt (DELIVERY_TIMEOUT_SECONDS). */
  smtp: { host: string; port: number; secure: boolean; user?: string; password?: string; from: string; timeoutMs: number };
  /** builtin: `threads` worker threads draw (RENDER_THREADS; 0: on the worker's event loop). */
  render: { kind: 'builtin'; pictureCacheBytes: number; threads: number } | { kind: 'http'; url: string; timeoutMs: number };
  /** Absent when SHAREPOINT_DRIVE_ID is not set: tasks with the sharepoint channel then fail their uploads. */
  sharePoint?: {
    graphBaseUrl: string;
    authorityUrl: string;
    tenantId: string;
    clientId: string;
    clientSecret: string;
    driveId: string;
    /** No Graph request outlives one delivery attempt (DELIVERY_TIMEOUT_SECONDS). */
    requestTimeoutMs: number;
  };
  rules: {
    minScheduleIntervalSeconds: number;
    maxConsecutiveFailures: number;
    runTimeoutSeconds: number;
    /** How long the engine waits for a run's heartbeat before it gives the attempt up and retries it elsewhere. */
    runHeartbeatTimeoutSeconds: number;
    deliveryTimeoutSeconds: number;
    /**
     * Runs one worker carries on at once past their start (RUN_CONCURRENCY; 0: no bound): the
     * others wait their turn in the order they began, their first render already under way.
     */
    runConcurrency: number;
    /** How long one render attempt may take before Temporal retries it (RENDER_TIMEOUT_SECONDS, either renderer). */
    renderTimeoutSeconds: number;
  };
  rateLimits: { readsPerMinute: number; writesPerMinute: number };
}

export class ConfigError extends Error {}

/** A key of its own for one purpose, from a secret set for another: a file link is never a valid token signature, nor the reverse. */
function derivedSecret(secret: string, purpose: string): string {
  return createHmac('sha256', secret).update(`sharing-tasks:${purpose}`).digest('base64url');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(ConfigSchema.shape)
      .filter((name) => env[name] !== undefined && env[name] !== '')
      .map((name) => [name, env[name]]),
  );
  const parsed = ConfigSchema.safeParse(known);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new ConfigError(`invalid configuration: ${name}=${JSON.stringify(env[name])}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !known.JWT_SECRET) {
    throw new ConfigError('invalid configuration: JWT_SECRET is required when NODE_ENV=production (the development default must not sign real tokens)');
  }
  if (e.NODE_ENV === 'production' && e.CONSOLE_DEV_SIGN_IN) {
    throw new ConfigError('invalid configuration: CONSOLE_DEV_SIGN_IN=true is refused when NODE_ENV=production (it mints tokens for anyone)');
  }
  if (e.RENDERER === 'http' && !e.RENDER_SERVICE_URL) {
    throw new ConfigError('invalid configuration: RENDER_SERVICE_URL is required when RENDERER=http');
  }
  const sharePointMissing = ['SHAREPOINT_TENANT_ID', 'SHAREPOINT_CLIENT_ID', 'SHAREPOINT_CLIENT_SECRET'].filter((name) => !known[name]);
  if (e.SHAREPOINT_DRIVE_ID && sharePointMissing.length > 0) {
    throw new ConfigError(`invalid configuration: SHAREPOINT_DRIVE_ID is set but ${sharePointMissing.join(', ')} not`);
  }
  return {
    http: { host: e.HOST, port: e.PORT, publicBaseUrl: e.PUBLIC_BASE_URL, allowedHosts: e.ALLOWED_HOSTS, trustProxy: e.TRUST_PROXY },
    logLevel: e.LOG_LEVEL,
    logFile: e.LOG_FILE,
    metrics: {
      apiPort: e.API_METRICS_PORT,
      worker: { host: e.WORKER_METRICS_HOST, port: e.WORKER_METRICS_PORT },
      temporalSdkPort: e.TEMPORAL_SDK_METRICS_PORT === 0 ? undefined : e.TEMPORAL_SDK_METRICS_PORT,
    },
    ...(e.OTEL_EXPORTER_OTLP_ENDPOINT ? { tracing: { otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT } } : {}),
    mongo: {
      uri: e.MONGODB_URI,
      dbName: e.MONGODB_DB,
      maxPoolSize: e.MONGODB_MAX_POOL_SIZE,
      serverSelectionTimeoutMs: e.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
    },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      stickyQueueScheduleToStartTimeout: e.WORKER_STICKY_QUEUE_TIMEOUT,
      maxConcurrentActivities: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
    },
    reconcileIntervalSeconds: e.RECONCILE_INTERVAL_SECONDS,
    workerHealthFile: e.WORKER_HEALTH_FILE,
    auth: {
      jwtSecret: e.JWT_SECRET,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      maxLifetimeSeconds: e.JWT_MAX_LIFETIME_SECONDS,
      clockSkewSeconds: e.JWT_CLOCK_SKEW_SECONDS,
    },
    idempotencyKeyTtlSeconds: e.IDEMPOTENCY_KEY_TTL_SECONDS,
    fileLinks: { secret: e.FILE_LINK_SECRET ?? derivedSecret(e.JWT_SECRET, 'file-links'), ttlSeconds: e.FILE_LINK_TTL_SECONDS },
    console: { temporalUiUrl: e.TEMPORAL_UI_URL.replace(/\/+$/, ''), temporalNamespace: e.TEMPORAL_NAMESPACE, devSignIn: e.CONSOLE_DEV_SIGN_IN },
    smtp: {
      host: e.SMTP_HOST,
      port: e.SMTP_PORT,
      secure: e.SMTP_SECURE,
      user: e.SMTP_USER,
      password: e.SMTP_PASSWORD,
      from: e.MAIL_FROM,
      timeoutMs: e.DELIVERY_TIMEOUT_SECONDS * 1000,
    },
    render:
      e.RENDERER === 'http'
        ? { kind: 'http', url: e.RENDER_SERVICE_URL!, timeoutMs: e.RENDER_TIMEOUT_SECONDS * 1000 }
        : { kind: 'builtin', pictureCacheBytes: e.RENDER_PICTURE_CACHE_MIB * 1024 * 1024, threads: e.RENDER_THREADS },
    ...(e.SHAREPOINT_DRIVE_ID
      ? {
          sharePoint: {
            graphBaseUrl: e.SHAREPOINT_GRAPH_URL,
            authorityUrl: e.SHAREPOINT_AUTHORITY_URL,
            tenantId: e.SHAREPOINT_TENANT_ID!,
            clientId: e.SHAREPOINT_CLIENT_ID!,
            clientSecret: e.SHAREPOINT_CLIENT_SECRET!,
            driveId: e.SHAREPOINT_DRIVE_ID,
            requestTimeoutMs: e.DELIVERY_TIMEOUT_SECONDS * 1000,
          },
        }
      : {}),
    rules: {
      minScheduleIntervalSeconds: e.MIN_SCHEDULE_INTERVAL_SECONDS,
      maxConsecutiveFailures: e.MAX_CONSECUTIVE_FAILURES,
      runTimeoutSeconds: e.RUN_TIMEOUT_SECONDS,
      runHeartbeatTimeoutSeconds: e.RUN_HEARTBEAT_TIMEOUT_SECONDS,
      deliveryTimeoutSeconds: e.DELIVERY_TIMEOUT_SECONDS,
      runConcurrency: e.RUN_CONCURRENCY,
      renderTimeoutSeconds: e.RENDER_TIMEOUT_SECONDS,
    },
    staging: {
      minLeadMs: e.RUN_STAGING_LEAD_SECONDS * 1000,
      windowMs: e.RUN_STAGING_WINDOW_SECONDS * 1000,
      ...(e.RUN_STAGING_RATE_PER_SECOND > 0 ? { ratePerSecond: e.RUN_STAGING_RATE_PER_SECOND } : {}),
      maxWindowMs: Math.max(e.RUN_STAGING_MAX_WINDOW_SECONDS, e.RUN_STAGING_WINDOW_SECONDS) * 1000,
    },
    rateLimits: { readsPerMinute: e.RATE_LIMIT_READS_PER_MINUTE, writesPerMinute: e.RATE_LIMIT_WRITES_PER_MINUTE },
  };
}

/** The configuration table of the README, derived from the schema so the two never drift. */
export function describeConfig(): { name: string; default: string }[] {
  const defaults = ConfigSchema.parse({});
  return Object.keys(ConfigSchema.shape).map((name) => ({
    name,
    default: String((defaults as Record<string, unknown>)[name] ?? ''),
  }));
}
