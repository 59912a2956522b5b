/**
 * What Linux says about processes and the machine (/proc): resident memory, CPU time, load.
 * Read-only: used to attribute CPU and memory to the worker, the Temporal dev server and FerretDB.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  return ticksPerSecond;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Resident set size in bytes (VmRSS), or undefined when the process is gone. */
export function rssBytes(pid: number): number | undefined {
  const status = readOrUndefined(`/proc/${pid}/status`);
  const match = status?.match(/^VmRSS:\s+(\d+)\s+kB/m);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** User + system CPU seconds the process has used so far (its threads included). */
export function cpuSeconds(pid: number): number | undefined {
  const fields = statFields(pid);
  // utime and stime are fields 14 and 15.
  return fields && (Number(fields[11]) + Number(fields[12])) / clockTicks();
}

function statFields(pid: number): string[] | undefined {
  const stat = readOrUndefined(`/proc/${pid}/stat`);
  // Fields after the command name (which may hold spaces) start at field 3.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * CPU seconds of a process and all its descendants, alive or ended: a PostgreSQL server forks a
 * backend per connection, and their time is the database's time.
 */
export function treeCpuSeconds(pid: number): number | undefined {
  const fields = statFields(pid);
  if (!fields) return undefined;
  // utime, stime, cutime (ended children, once reaped), cstime: fields 14–17.
  const own = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / clockTicks();
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && statFields(Number(entry))?.[1] === String(pid))
    .map(Number);
  return children.reduce((sum, child) => sum + (treeCpuSeconds(child) ?? 0), own);
}

/** Pids whose command line contains `fragment` (e.g. the benchmark's data directory). */
export function pidsWhoseCommandContains(fragment: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => (readOrUndefined(`/proc/${pid}/cmdline`) ?? '').replace(/\0/g, ' ').includes(fragment))
    .map(Number);
}

/**
 * CPU seconds of the whole machine since boot (all cores), from /proc/stat: busy (user, nice,
 * system, irq, softirq), and steal (time the hypervisor gave to other guests: a noisy neighbour).
 */
export function machineCpuSeconds(): { busy: number; steal: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return { busy: (user + nice + system + irq + softirq) / clockTicks(), steal: steal / clockTicks() };
}

/** CPU seconds of every process now, by pid, with its short name (/proc/<pid>/comm). */
export function cpuOfAllProcesses(): Map<number, { name: string; seconds: number }> {
  const all = new Map<number, { name: string; seconds: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const seconds = cpuSeconds(Number(entry));
    if (seconds === undefined) continue;
    all.set(Number(entry), { name: (readOrUndefined(`/proc/${entry}/comm`) ?? '?').trim(), seconds });
  }
  return all;
}

/** The processes that used the most CPU between two snapshots (processes that ended meanwhile are missed). */
export function topCpuUsers(
  before: Map<number, { name: string; seconds: number }>,
  after: Map<number, { name: string; seconds: number }>,
  count = 8,
): { pid: number; name: string; seconds: number }[] {
  return [...after.entries()]
    .map(([pid, { name, seconds }]) => ({ pid, name, seconds: Math.round((seconds - (before.get(pid)?.seconds ?? 0)) * 10) / 10 }))
    .filter((usage) => usage.seconds > 0)
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, count);
}
