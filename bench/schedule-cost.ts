/**
 * What validating one schedule costs the API's event loop, for rules chosen to be expensive, on
 * this tree's schedule module and (with --base) on another checkout's, in one run:
 *   npx tsx bench/schedule-cost.ts [--base /path/to/old/checkout] [--repeat 3]
 * Each rule is validated as a five-rule body would carry it (five copies) and alone, and each rule
 * set of COSTLY_SETS as it is; the figure is the median of --repeat runs in ms. Old code can take
 * minutes on the worst rules.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { machineInfo } from './support/machine';
import { intOption, log, markdownTable, resultPath, writeResult } from './support/output';
import { REPO_ROOT } from './support/worker-process';

type Validate = (spec: { recurrence: string[]; timezone: string }, options: { now: Date; minIntervalSeconds: number }) => { rule: string }[];

const every = (n: number) => Array.from({ length: n }, (_, i) => i).join(',');
const FULL_DAY = `BYHOUR=${every(24)};BYMINUTE=${every(60)};BYSECOND=${every(60)}`;

/** Rules past reports of a stalled API, and the shapes next to them that once cost most. */
export const COSTLY_RULES = [
  `FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;${FULL_DAY}`,
  `FREQ=YEARLY;${FULL_DAY};BYSETPOS=1`,
  `FREQ=YEARLY;BYHOUR=${every(24)};BYMINUTE=${every(60)}`,
  `FREQ=DAILY;${FULL_DAY};BYSETPOS=1,-1`,
  'FREQ=SECONDLY;INTERVAL=60;BYHOUR=3;BYMINUTE=0',
  'FREQ=SECONDLY;INTERVAL=60;BYHOUR=3;BYMINUTE=0;COUNT=10000',
  'FREQ=MINUTELY;COUNT=10000',
  'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
  'FREQ=HOURLY;BYMONTHDAY=31;BYMONTH=4',
  'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO',
];

/** Rule sets whose cost is in comparing rules with each other (the minimum-interval check's pairs). */
export const COSTLY_SETS = [
  ['FREQ=DAILY;BYHOUR=8;BYMINUTE=0', 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9', 'FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=10', 'FREQ=MINUTELY;INTERVAL=30', 'FREQ=HOURLY;BYMINUTE=15'],
  ['FREQ=MINUTELY', 'FREQ=DAILY;BYHOUR=12;BYMINUTE=0;BYSECOND=30'],
  ['FREQ=DAILY;BYHOUR=12;BYMINUTE=0;BYSECOND=0', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=12;BYMINUTE=0;BYSECOND=30'],
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(validate: Validate, recurrence: string[], repeat: number): { ms: number; verdict: string } {
  const times: number[] = [];
  let verdict = '';
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    const problems = validate({ recurrence, timezone: 'Europe/Paris' }, { now: new Date(), minIntervalSeconds: 60 });
    times.push(performance.now() - start);
    verdict = [...new Set(problems.map((problem) => problem.rule))].join(',') || 'valid';
  }
  return { ms: Math.round(median(times) * 10) / 10, verdict };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { base: { type: 'string' }, repeat: { type: 'string' } } });
  const repeat = intOption('repeat', values.repeat, 3);
  const trees = [{ name: 'this tree', root: REPO_ROOT }, ...(values.base ? [{ name: 'base', root: values.base }] : [])];
  const modules = await Promise.all(trees.map(async (tree) => ({ ...tree, validate: ((await import(join(tree.root, 'src', 'schedule'))) as { validateSchedule: Validate }).validateSchedule })));
  const results = [];
  for (const rule of COSTLY_RULES) {
    const row: Record<string, unknown> = { rule };
    for (const tree of modules) {
      log(`${tree.name}: ${rule.slice(0, 70)}`);
      row[tree.name] = { alone: measure(tree.validate, [rule], repeat), fiveCopies: measure(tree.validate, Array.from({ length: 5 }, () => rule), repeat) };
    }
    results.push(row);
  }
  const sets = COSTLY_SETS.map((recurrence) => ({
    recurrence,
    byTree: Object.fromEntries(modules.map((tree) => [tree.name, measure(tree.validate, recurrence, repeat)])),
  }));
  const file = writeResult(resultPath('schedule-cost'), { command: `npx tsx bench/schedule-cost.ts${values.base ? ' --base <base checkout>' : ''} --repeat ${repeat}`, machine: machineInfo(), results, sets });
  const cell = (row: Record<string, unknown>, tree: string, key: 'alone' | 'fiveCopies') => {
    const value = (row[tree] as Record<string, { ms: number; verdict: string }> | undefined)?.[key];
    return value ? `${value.ms} ms ${value.verdict}` : '';
  };
  console.log(
    markdownTable(
      ['rule', ...modules.flatMap((tree) => [`${tree.name}, alone`, `${tree.name}, ×5`])],
      results.map((row) => [`\`${String(row.rule).slice(0, 60)}${String(row.rule).length > 60 ? '…' : ''}\``, ...modules.flatMap((tree) => [cell(row, tree.name, 'alone'), cell(row, tree.name, 'fiveCopies')])]),
    ),
  );
  console.log();
  console.log(
    markdownTable(
      ['rule set', ...modules.map((tree) => tree.name)],
      sets.map(({ recurrence, byTree }) => [
        recurrence.map((rule) => `\`${rule}\``).join('<br>'),
        ...modules.map((tree) => `${byTree[tree.name]!.ms} ms ${byTree[tree.name]!.verdict}`),
      ]),
    ),
  );
  console.log(`\nresults: ${file}`);
}

main().catch((error: Error) => {
  console.error(error.stack);
  process.exit(1);
});
