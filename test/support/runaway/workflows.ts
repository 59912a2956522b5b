/**
 * A workflow whose activation runs synchronously for `iterations` steps inside a cancellation
 * scope, as the task workflow's schedule evaluation did after its interruptible timer
 * (test/integration/worker-runaway-activation.test.ts).
 */
import { CancellationScope, condition } from '@temporalio/workflow';

export async function runawayActivation(iterations: number): Promise<number> {
  let value = 0;
  await condition(() => false, 10); // the task workflow's timer: condition() with a timeout
  await CancellationScope.cancellable(async () => {
    await condition(() => false, 10);
    for (let i = 0; i < iterations; i++) value = (value * 31 + i) % 1_000_003;
  });
  return value;
}
