/**
 * `npm start`: the whole service on this machine — the local stack (Temporal dev server + UI,
 * FerretDB or MONGODB_URI, maildev) reused when already running, then the API and the worker
 * as two processes with prefixed logs. Ctrl-C stops everything this command started.
 */
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { DEFAULT_PORTS, startLocalStack } from './stack/local-stack';
import { startProcess, type ManagedProcess } from './stack/process';

const root = join(__dirname, '..');

function run(name: string, script: string, env: NodeJS.ProcessEnv): ManagedProcess {
  return startProcess(name, process.execPath, ['--import', 'tsx', script], { log: 'prefix', logDir: root, env, cwd: root });
}

async function main(): Promise<void> {
  const stack = await startLocalStack({ dataDir: join(root, '.data'), ports: DEFAULT_PORTS, reuse: true, log: 'prefix' });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MONGODB_URI: stack.mongoUri,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    SMTP_HOST: stack.smtp.host,
    SMTP_PORT: String(stack.smtp.port),
  };
  const config = loadConfig(env);
  const children = [run('api', 'src/api/main.ts', env), run('worker', 'src/worker/main.ts', { ...env, TZ: 'UTC' })];

  console.log(
    [
      '',
      `  API          http://${config.http.host}:${config.http.port}/api/v1/sharing-tasks`,
      `  Temporal UI  ${stack.temporalUiUrl}`,
      `  Inbox        ${stack.inboxUrl}`,
      `  MongoDB      ${stack.mongoUri}`,
      '  token        npm run --silent token -- --tenant acme --user alice --email alice@example.com',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(children.map((child) => child.stop()));
    await stack.stop();
    process.exit(code);
  };
  for (const { child } of children) child.once('exit', (code) => void stop(code ?? 1));
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
}

main().catch((error: Error) => {
  console.error(`start failed: ${error.message}`);
  process.exit(1);
});
