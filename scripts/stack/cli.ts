/**
 * `npm run stack -- up`: the local stack alone, in the foreground, on the default ports with its
 * data in .data/ (Ctrl-C stops it). `npm run stack -- install`: only install what is missing.
 */
import { join } from 'node:path';
import { checkPrerequisites, ensureFerretDb, ensureTemporalCli, ensureTemporalTestServer } from './install';
import { DEFAULT_PORTS, startLocalStack } from './local-stack';
import { ensurePostgres } from './postgres';
import { ferretDbBackend } from './services';

async function install(): Promise<void> {
  const postgres = ferretDbBackend() === 'postgresql';
  checkPrerequisites({ python: true, go: true, postgres });
  const binaries = await Promise.all([ensureTemporalCli(), ensureTemporalTestServer(), ensureFerretDb(), ...(postgres ? [ensurePostgres()] : [])]);
  console.log(binaries.join('\n'));
}

async function up(): Promise<void> {
  const stack = await startLocalStack({ dataDir: join(__dirname, '..', '..', '.data'), ports: DEFAULT_PORTS, reuse: true, log: 'prefix' });
  const reused = (name: string) => (stack.reused.includes(name) ? ' (already running: reused)' : '');
  console.log(
    [
      '',
      `  Temporal     ${stack.temporalAddress}${reused('temporal')}`,
      `  Temporal UI  ${stack.temporalUiUrl}`,
      `  MongoDB      ${stack.mongoUri}${reused('ferretdb')}`,
      `  SMTP         ${stack.smtp.host}:${stack.smtp.port}${reused('maildev')}`,
      `  Inbox        ${stack.inboxUrl}`,
      '  Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
  const stop = () => {
    console.log('stopping the local stack …');
    void stack.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const commands: Record<string, () => Promise<void>> = { install, up };
const command = commands[process.argv[2] ?? ''];
if (!command) {
  console.error('usage: npm run stack -- up|install');
  process.exit(2);
}
command().catch((error: Error) => {
  console.error(`stack: ${error.message}`);
  process.exit(1);
});
