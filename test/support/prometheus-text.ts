/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for asserting what
 * the metrics endpoints serve: every line must be a HELP, a TYPE or a sample of a declared family,
 * label values well escaped, no series twice, and a histogram's buckets cumulative up to `+Inf`
 * equal to its `_count`. Any deviation throws, naming the line.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help?: string;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"`;
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? ([^ ]+)(?: (-?\\d+))?$`);
/** What Prometheus reads (Go's ParseFloat): decimals, and Inf and NaN in any case (prom-client writes `Nan`). */
const VALUE = /^(?:[+-]?(?:\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)|[+-]?inf(?:inity)?|nan)$/i;
const SUFFIXES: Record<MetricFamily['type'], string[]> = {
  counter: ['', '_total'],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

function parseValue(text: string, line: string): number {
  if (!VALUE.test(text)) throw new Error(`not a sample value: ${line}`);
  if (/inf/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  return /nan/i.test(text) ? NaN : Number(text);
}

function parseLabels(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [, name, raw] of (text ?? '').matchAll(new RegExp(LABEL, 'g'))) {
    if (name! in labels) throw new Error(`label ${name} twice`);
    labels[name!] = raw!.replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

function familyOf(families: Map<string, MetricFamily>, sampleName: string): MetricFamily | undefined {
  for (const family of families.values()) {
    if (SUFFIXES[family.type].some((suffix) => family.name + suffix === sampleName)) return family;
  }
  return undefined;
}

function checkHistograms(families: Map<string, MetricFamily>): void {
  for (const family of families.values()) {
    if (family.type !== 'histogram') continue;
    const series = new Map<string, { buckets: [number, number][]; count?: number }>();
    for (const sample of family.samples) {
      const { le, ...rest } = sample.labels;
      const key = JSON.stringify(Object.entries(rest).sort());
      const entry = series.get(key) ?? { buckets: [] };
      series.set(key, entry);
      if (sample.name.endsWith('_bucket')) {
        if (le === undefined) throw new Error(`${family.name}: a bucket without le`);
        entry.buckets.push([parseValue(le, le), sample.value]);
      } else if (sample.name.endsWith('_count')) entry.count = sample.value;
    }
    for (const [key, { buckets, count }] of series) {
      buckets.sort((a, b) => a[0] - b[0]);
      if (buckets.at(-1)?.[0] !== Infinity) throw new Error(`${family.name} ${key}: no +Inf bucket`);
      buckets.reduce((previous, [le, value]) => {
        if (value < previous) throw new Error(`${family.name} ${key}: bucket le=${le} below the one before`);
        return value;
      }, 0);
      if (count !== buckets.at(-1)![1]) throw new Error(`${family.name} ${key}: _count ${count} is not the +Inf bucket's ${buckets.at(-1)![1]}`);
    }
  }
}

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const comment = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (comment) {
      const [, kind, name, rest] = comment;
      if (!new RegExp(`^${NAME}$`).test(name!)) throw new Error(`not a metric name: ${line}`);
      const family = families.get(name!) ?? { name: name!, type: 'untyped' as const, samples: [] };
      if (kind === 'TYPE') {
        if (!(rest! in SUFFIXES)) throw new Error(`unknown type: ${line}`);
        if (family.samples.length > 0) throw new Error(`TYPE after samples: ${line}`);
        family.type = rest as MetricFamily['type'];
      } else family.help = rest;
      families.set(name!, family);
      continue;
    }
    if (line.startsWith('#')) continue; // other comments are allowed
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`not a sample line: ${line}`);
    const [, name, labelText] = sample;
    const value = parseValue(sample.at(-2)!, line);
    const family = familyOf(families, name!);
    if (!family) throw new Error(`a sample of an undeclared family: ${line}`);
    const labels = parseLabels(labelText);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) throw new Error(`a series twice: ${line}`);
    seen.add(key);
    family.samples.push({ name: name!, labels, value });
  }
  checkHistograms(families);
  return families;
}

/** The samples of `sampleName` whose labels include `labels`. */
export function samplesOf(families: Map<string, MetricFamily>, sampleName: string, labels: Record<string, string> = {}): Sample[] {
  return [...families.values()]
    .flatMap((family) => family.samples)
    .filter((sample) => sample.name === sampleName && Object.entries(labels).every(([k, v]) => sample.labels[k] === v));
}

export async function scrape(url: string): Promise<Map<string, MetricFamily>> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
  const type = response.headers.get('content-type') ?? '';
  if (!/^text\/plain(;|$)/.test(type)) throw new Error(`${url}: content-type ${type}`);
  return parsePrometheusText(await response.text());
}
