import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The metric names of the README's Metrics table (Operations), from its first column. */
export function documentedMetrics(): string[] {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('<!-- metrics:'), readme.indexOf('### Traces'));
  return [...table.matchAll(/^\| ((?:`[a-z0-9_:]+`(?:, )?)+) \|/gm)].flatMap(([, names]) => [...names!.matchAll(/`([a-z0-9_:]+)`/g)].map(([, name]) => name!));
}
