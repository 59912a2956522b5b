/** A worker process for test/support/runaway/workflows.ts, on the SDK's defaults (5 s isolate timeout); REUSE_V8_CONTEXT=false turns the shared context off. */
import { NativeConnection, Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    taskQueue: process.env.TASK_QUEUE!,
    workflowsPath: require.resolve('./workflows'),
    reuseV8Context: process.env.REUSE_V8_CONTEXT !== 'false',
  });
  console.log('runaway worker started');
  await worker.run();
}

main().catch((error: Error) => {
  console.error(`worker failed: ${error.stack}`);
  process.exit(1);
});
