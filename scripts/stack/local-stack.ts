/** The whole local stack: Temporal dev server + UI, FerretDB (unless MONGODB_URI is set) and maildev. */
import { ensureFerretDb, ensureTemporalCli, checkPrerequisites } from './install';
import { freePort, type LogMode } from './process';
import { startFerretDb, startMailDev, startTemporalDevServer } from './services';

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
  mongoUri: string;
  smtp: { host: string; port: number };
  inboxUrl: string;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  dataDir: string;
  /** Fixed ports (npm start) or none: then free ports are picked (tests). */
  ports?: LocalStackPorts;
  /** Reuse services that already answer on the ports instead of starting second copies. */
  reuse: boolean;
  log: LogMode;
  temporalDynamicConfig?: Record<string, string | number | boolean>;
}

async function freePorts(): Promise<LocalStackPorts> {
  return { temporal: await freePort(), temporalUi: await freePort(), mongo: await freePort(), smtp: await freePort(), inbox: await freePort() };
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const externalMongo = process.env.MONGODB_URI;
  checkPrerequisites({ needGo: !externalMongo });
  ensureTemporalCli();
  if (!externalMongo) ensureFerretDb();
  const ports = options.ports ?? (await freePorts());
  const common = { dataDir: options.dataDir, log: options.log, reuse: options.reuse };

  const started = await Promise.allSettled([
    startTemporalDevServer({ ...common, port: ports.temporal, uiPort: ports.temporalUi, dynamicConfig: options.temporalDynamicConfig }),
    externalMongo ? Promise.resolve(undefined) : startFerretDb({ ...common, port: ports.mongo }),
    startMailDev({ ...common, smtpPort: ports.smtp, webPort: ports.inbox }),
  ]);
  const services = started.flatMap((result) => (result.status === 'fulfilled' && result.value ? [result.value] : []));
  const stop = async () => {
    await Promise.all(services.map((service) => service.stop()));
  };
  const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }
  return {
    temporalAddress: `127.0.0.1:${ports.temporal}`,
    temporalUiUrl: `http://127.0.0.1:${ports.temporalUi}`,
    mongoUri: externalMongo ?? `mongodb://127.0.0.1:${ports.mongo}`,
    smtp: { host: '127.0.0.1', port: ports.smtp },
    inboxUrl: `http://127.0.0.1:${ports.inbox}`,
    stop,
  };
}
