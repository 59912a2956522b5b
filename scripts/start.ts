/**
 * `npm start`: the whole service on this machine — the local stack (Temporal dev server + UI,
 * FerretDB or MONGODB_URI, maildev) reused when already running, then the API and the worker
 * as two processes with prefixed logs. A process that exits (the API, the worker, a stack service
 * started here) is restarted with backoff (scripts/stack/supervisor.ts); Ctrl-C stops everything
 * this command started.
 */
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { startApplication } from './stack/application';
import { DEFAULT_PORTS, startLocalStack } from './stack/local-stack';

const root = join(__dirname, '..');
const supervisorLog = (line: string) => console.log(`[supervisor] ${new Date().toISOString()} ${line}`);

async function main(): Promise<void> {
  const stack = await startLocalStack({
    dataDir: join(root, '.data'),
    ports: DEFAULT_PORTS,
    reuse: true,
    log: 'prefix',
    supervise: { log: supervisorLog },
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MONGODB_URI: stack.mongoUri,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    SMTP_HOST: stack.smtp.host,
    SMTP_PORT: String(stack.smtp.port),
    // The console's dev sign-in form mints tokens for anyone: the local stack only, never production.
    CONSOLE_DEV_SIGN_IN: process.env.CONSOLE_DEV_SIGN_IN ?? 'true',
    TEMPORAL_UI_URL: process.env.TEMPORAL_UI_URL ?? stack.temporalUiUrl,
  };
  const config = loadConfig(env);
  const application = startApplication({ env, output: 'prefix', logDir: root, log: supervisorLog });

  console.log(
    [
      '',
      `  Console      http://${config.http.host}:${config.http.port}/console`,
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
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await application.stop();
    await stack.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: Error) => {
  console.error(`start failed: ${error.message}`);
  process.exit(1);
});
