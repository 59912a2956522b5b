/**
 * `npm run stack -- up`: the local stack alone, in the foreground, on the default ports with its data
 * in .data/ (Ctrl-C stops it). `npm run stack -- install`: only install what is missing.
 */
import { join } from 'node:path';
import { checkPrerequisites, ensureFerretDb, ensureTemporalCli, ensureTemporalTestServer } from './install';
import { DEFAULT_PORTS, startLocalStack } from './local-stack';

async function main(command: string | undefined): Promise<void> {
  if (command === 'install') {
    checkPrerequisites({ needGo: true });
    console.log([ensureTemporalCli(), ensureTemporalTestServer(), ensureFerretDb()].join('\n'));
    return;
  }
  if (command !== 'up') {
    console.error('usage: npm run stack -- up|install');
    process.exit(2);
  }
  const stack = await startLocalStack({ dataDir: join(__dirname, '..', '..', '.data'), ports: DEFAULT_PORTS, reuse: true, log: 'prefix' });
  console.log(`Temporal ${stack.temporalAddress} (UI ${stack.temporalUiUrl}) · MongoDB ${stack.mongoUri} · SMTP ${stack.smtp.host}:${stack.smtp.port} (inbox ${stack.inboxUrl})`);
  const stop = () => void stack.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv[2]).catch((error: Error) => {
  console.error(`stack: ${error.message}`);
  process.exit(1);
});
