/** Progress lines on stderr, results as JSON under bench/results/, tables as Markdown. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './worker-process';

const started = Date.now();

export function log(message: string): void {
  const elapsed = ((Date.now() - started) / 1000).toFixed(1).padStart(7);
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)} +${elapsed}s] ${message}\n`);
}

/** bench/results/<name>-<UTC timestamp>.json, relative to the repository (the time is when this is called). */
export function resultPath(name: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return join('bench', 'results', `${name}-${stamp}.json`);
}

/** Writes (or rewrites, as variants finish) a result file; returns its path relative to the repository. */
export function writeResult(file: string, result: unknown): string {
  mkdirSync(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(REPO_ROOT, file), `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** An integer option: the given text parsed, or the default; a clear error otherwise. */
export function intOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer, not ${JSON.stringify(value)}`);
  return parsed;
}
