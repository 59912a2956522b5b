/**
 * `npm start`: the whole service on this machine — the local stack (Temporal dev server + UI,
 * FerretDB or MONGODB_URI, maildev) reused when already running, then the API and the worker
 * as two processes with prefixed logs. Ctrl-C stops everything this command started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadConfig } from '../src/config';
import { DEFAULT_PORTS, startLocalStack } from './stack/local-stack';

const root = join(__dirname, '..');

function run(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => console.log(`[${name}] ${line}`));
  }
  return child;
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
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
    await stack.stop();
    process.exit(code);
  };
  for (const child of children) child.once('exit', (code) => void stop(code ?? 1));
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
}

main().catch((error: Error) => {
  console.error(`start failed: ${error.message}`);
  process.exit(1);
});
