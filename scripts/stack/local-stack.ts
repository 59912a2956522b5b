/**
 * The whole local stack: the Temporal dev server + UI, FerretDB on PostgreSQL (unless MONGODB_URI
 * points to a MongoDB server) and maildev, installed if missing and started in parallel.
 */
import { cachedBinary, checkPrerequisites } from './install';
import { freePort, type LogMode } from './process';
import { ferretDbBackend, startFerretDb, startMailDev, startTemporalDevServer, type FerretDbBackend, type MongoService, type RunningService } from './services';
import { supervise, type Supervisable, type SupervisorOptions } from './supervisor';

export interface LocalStackPorts {
  temporal: number;
  temporalUi: number;
  mongo: number;
  smtp: number;
  inbox: number;
}

export const DEFAULT_PORTS: LocalStackPorts = { temporal: 7233, temporalUi: 8233, mongo: 27017, smtp: 1025, inbox: 1080 };

export interface LocalStack {
  temporalAddress: string;
  temporalUiUrl: string;
  /** The Temporal server's Prometheus metrics, when this stack started the server. */
  temporalMetricsUrl?: string;
  mongoUri: string;
  /** The PostgreSQL cluster behind FerretDB, when the stack started one. */
  postgresClusterDir?: string;
  /** SQL against that PostgreSQL (benchmarks). */
  postgresQuery?: MongoService['postgresQuery'];
  smtp: { host: string; port: number };
  inboxUrl: string;
  /** Names of the services that were already running and are reused (never stopped by us). */
  reused: string[];
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  dataDir: string;
  /** Fixed ports (npm start); the ones left out are free ports picked now (tests). */
  ports?: Partial<LocalStackPorts>;
  /** Reuse services that already answer on their ports instead of starting second copies. */
  reuse: boolean;
  /** 'prefix': `[name] line` on the console; 'file': `<dataDir>/<name>.log`. */
  log: LogMode;
  temporalDynamicConfig?: Record<string, string | number | boolean>;
  /** FerretDB's storage; FERRETDB_BACKEND or PostgreSQL by default. */
  ferretDbBackend?: FerretDbBackend;
  /** PostgreSQL indexes FerretDB's finds can use (scripts/stack/ferretdb-gin-indexes.sql); on unless false. */
  postgresGinIndexes?: boolean;
  /** Restart a service this started (Temporal, FerretDB and its PostgreSQL) when it exits (npm start). */
  supervise?: SupervisorOptions;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const externalMongoUri = process.env.MONGODB_URI;
  const backend = options.ferretDbBackend ?? ferretDbBackend();
  checkPrerequisites({
    python: !cachedBinary('temporalCli'),
    go: !externalMongoUri && !cachedBinary('ferretDb'),
    postgres: !externalMongoUri && backend === 'postgresql',
  });
  const ports = options.ports ?? {};
  const common = { dataDir: options.dataDir, log: options.log, reuse: options.reuse };

  // Each start picks its ports once, so a restart (supervise) comes back where its clients look.
  const temporalStarter = async () => {
    const port = ports.temporal ?? (await freePort());
    const uiPort = ports.temporalUi ?? (await freePort());
    const metricsPort = await freePort();
    return () => startTemporalDevServer({ ...common, port, uiPort, metricsPort, dynamicConfig: options.temporalDynamicConfig });
  };
  const mongoStarter = async () => {
    const port = ports.mongo ?? (await freePort());
    return () => startFerretDb({ ...common, port, backend, postgresGinIndexes: options.postgresGinIndexes });
  };
  const temporal = temporalStarter().then(async (start) => supervised(await start(), start));
  const ferretDb = externalMongoUri ? undefined : mongoStarter().then(async (start) => supervised(await start(), start));
  const mail = startMailDev({ ...common, smtpPort: ports.smtp ?? 0, webPort: ports.inbox ?? 0 });

  /** A service this started, restarted when it exits if asked to; its stop() then ends the supervision. */
  function supervised<T extends RunningService>(service: T, start: () => Promise<RunningService>): T {
    if (!options.supervise || service.reused || !service.exited) return service;
    const supervision = supervise(service.name, { exited: service.exited, stop: service.stop }, () => start().then(asSupervisable), options.supervise);
    return { ...service, stop: () => supervision.stop() };
  }

  const started = await Promise.allSettled([temporal, ferretDb, mail]);
  const services = started.flatMap((result): RunningService[] => (result.status === 'fulfilled' && result.value ? [result.value] : []));
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= Promise.all(services.map((service) => service.stop())).then(() => undefined));
  const failures = started.flatMap((result) => (result.status === 'rejected' ? [(result.reason as Error).message] : []));
  if (failures.length > 0) {
    await stop();
    throw new Error(`the local stack did not start: ${failures.join('\n')}`);
  }

  const { address, uiUrl, metricsUrl } = await temporal;
  const { smtp, webUrl } = await mail;
  return {
    temporalAddress: address,
    temporalUiUrl: uiUrl,
    temporalMetricsUrl: metricsUrl,
    mongoUri: externalMongoUri ?? (await ferretDb!).uri,
    postgresClusterDir: (await ferretDb)?.postgresClusterDir,
    postgresQuery: (await ferretDb)?.postgresQuery,
    smtp,
    inboxUrl: webUrl,
    reused: services.filter((service) => service.reused).map((service) => service.name),
    stop,
  };
}

function asSupervisable(service: RunningService): Supervisable {
  // A restart never reuses (reuse applies to the first start only), so a restarted service has its processes.
  if (!service.exited) throw new Error(`${service.name} has no process to supervise`);
  return { exited: service.exited, stop: service.stop };
}
