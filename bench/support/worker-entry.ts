/**
 * The worker's entry point for what-if runs: requires the modules named in BENCH_PRELOAD (paths
 * from the repository root, comma-separated), then src/worker/main.ts as `npm run worker` does.
 * (`node --import <file.ts>` cannot be used: the SDK's workflow thread inherits the flag and
 * cannot load TypeScript.)
 */
import { resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
for (const path of (process.env.BENCH_PRELOAD ?? '').split(',').filter(Boolean)) require(resolve(root, path));
require('../../src/worker/main');
