/**
 * A once-a-second record of the system under load: task-queue backlog, memory and CPU of each
 * process (worker, Temporal dev server, FerretDB, its PostgreSQL with every backend, this benchmark
 * process with the API), and of
 * the whole machine, so CPU used by other programs on a shared machine shows up in the result.
 */
import { cpuSeconds, machineCpuSeconds, rssBytes, treeCpuSeconds } from './proc';
import type { BacklogSample, TemporalProbe } from './temporal';

export interface ProcessIds {
  worker?: number;
  temporal?: number;
  ferretdb?: number;
  postgres?: number;
}

export interface Sample extends Partial<BacklogSample> {
  at: number;
  workerRssBytes?: number;
  cpu: { worker?: number; temporal?: number; ferretdb?: number; postgres?: number; bench: number; machineBusy: number; machineSteal: number };
  progress?: number;
}

export interface Sampler {
  samples: Sample[];
  stop(): Promise<Sample[]>;
}

function benchCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function machineTotals(): { machineBusy: number; machineSteal: number } {
  const { busy, steal } = machineCpuSeconds();
  return { machineBusy: busy, machineSteal: steal };
}

async function takeSample(probe: TemporalProbe | undefined, pids: () => ProcessIds, progress?: () => number): Promise<Sample> {
  const ids = pids();
  const backlog = probe ? await probe.backlog().catch(() => undefined) : undefined;
  const of = (pid: number | undefined) => (pid === undefined ? undefined : cpuSeconds(pid));
  return {
    at: Date.now(),
    ...backlog,
    workerRssBytes: ids.worker === undefined ? undefined : rssBytes(ids.worker),
    cpu: {
      worker: of(ids.worker),
      temporal: of(ids.temporal),
      ferretdb: of(ids.ferretdb),
      postgres: ids.postgres === undefined ? undefined : treeCpuSeconds(ids.postgres),
      bench: benchCpuSeconds(),
      ...machineTotals(),
    },
    progress: progress?.(),
  };
}

export function startSampler(options: {
  probe?: TemporalProbe;
  pids: () => ProcessIds;
  progress?: () => number;
  intervalMs?: number;
}): Sampler {
  const samples: Sample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      samples.push(await takeSample(options.probe, options.pids, options.progress));
      await new Promise((done) => setTimeout(done, options.intervalMs ?? 1_000));
    }
  })();
  return {
    samples,
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}

export interface CpuShare {
  seconds: number;
  /** CPU seconds of each process, and the rest of the machine (other programs included). */
  worker: number;
  temporal: number;
  ferretdb: number;
  postgres: number;
  bench: number;
  other: number;
  machineBusy: number;
  /** CPU the hypervisor gave to other guests meanwhile. */
  machineSteal: number;
}

/** CPU seconds each process used between two samples (with `seconds` of wall time). */
export function cpuBetween(from: Sample, to: Sample): CpuShare {
  const delta = (key: 'worker' | 'temporal' | 'ferretdb' | 'postgres' | 'bench') => Math.max(0, (to.cpu[key] ?? 0) - (from.cpu[key] ?? 0));
  const r = (value: number) => Math.round(value * 10) / 10;
  const machineBusy = to.cpu.machineBusy - from.cpu.machineBusy;
  const ours = delta('worker') + delta('temporal') + delta('ferretdb') + delta('postgres') + delta('bench');
  return {
    seconds: r((to.at - from.at) / 1000),
    worker: r(delta('worker')),
    temporal: r(delta('temporal')),
    ferretdb: r(delta('ferretdb')),
    postgres: r(delta('postgres')),
    bench: r(delta('bench')),
    other: r(Math.max(0, machineBusy - ours)),
    machineBusy: r(machineBusy),
    machineSteal: r(to.cpu.machineSteal - from.cpu.machineSteal),
  };
}

/** The sample taken closest to `at`. */
export function sampleNear(samples: Sample[], at: number): Sample | undefined {
  return samples.reduce<Sample | undefined>(
    (best, sample) => (!best || Math.abs(sample.at - at) < Math.abs(best.at - at) ? sample : best),
    undefined,
  );
}
