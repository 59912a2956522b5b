/**
 * Loaded into a benchmark's worker process (the `profile` variant of due-burst.ts), never by the
 * service: samples the worker's main thread (activities, the SDK's bridge; workflow code runs in
 * the SDK's workflow threads and is not in it) from start to SIGTERM, and writes a .cpuprofile
 * (open it in Chrome DevTools or summarise it with bench/support/cpu-profile-summary.ts) into
 * BENCH_PROFILE_DIR, default bench/tmp.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join, resolve } from 'node:path';

const session = new Session();
session.connect();
const post = (method: string, params?: object) =>
  new Promise<unknown>((done, fail) => session.post(method, params ?? {}, (error, result) => (error ? fail(error) : done(result))));

void post('Profiler.enable')
  .then(() => post('Profiler.setSamplingInterval', { interval: 1_000 }))
  .then(() => post('Profiler.start'));

process.once('SIGTERM', () => {
  void post('Profiler.stop').then((result) => {
    const file = join(process.env.BENCH_PROFILE_DIR ?? resolve(__dirname, '..', 'tmp'), `worker-${process.pid}.cpuprofile`);
    writeFileSync(file, JSON.stringify((result as { profile: unknown }).profile));
    process.stderr.write(`cpu profile written: ${file}\n`);
  });
});
