/** The machine a result was measured on, recorded next to every result. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  date: string;
  nproc: number;
  cpuModel: string;
  memoryTotalMiB: number;
  memoryAvailableMiB: number;
  loadAverage: number[];
  node: string;
  kernel: string;
  /** The code measured: other people edit the repository meanwhile, so the commit and the files changed on top of it. */
  git: { commit: string; changedFiles: string[] };
}

function gitState(): { commit: string; changedFiles: string[] } {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: `${__dirname}/../..`, encoding: 'utf8' });
    } catch {
      return '';
    }
  };
  // Porcelain lines are `XY path`: the status columns may start with a space, so no trimming first.
  const changedFiles = git('status', '--porcelain', '--', 'src', 'workflows', 'activities')
    .split('\n')
    .filter((line) => line.length > 3)
    .map((line) => line.slice(3));
  return { commit: git('rev-parse', '--short', 'HEAD').trim(), changedFiles };
}

function availableMemoryMiB(): number {
  const match = readFileSync('/proc/meminfo', 'utf8').match(/^MemAvailable:\s+(\d+)\s+kB/m);
  return match ? Math.round(Number(match[1]) / 1024) : Math.round(os.freemem() / 2 ** 20);
}

export function machineInfo(): MachineInfo {
  return {
    date: new Date().toISOString(),
    nproc: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryTotalMiB: Math.round(os.totalmem() / 2 ** 20),
    memoryAvailableMiB: availableMemoryMiB(),
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
    node: process.version,
    kernel: os.release(),
    git: gitState(),
  };
}
