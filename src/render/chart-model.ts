import type { InlineData } from './report-content';

/** Series colours, in order (Paul Tol's bright scheme: distinct, and readable by colour-blind readers). */
export const PALETTE = ['#4477aa', '#ee6677', '#228833', '#ccbb44', '#66ccee', '#aa3377', '#bbbbbb', '#332288'];

export interface Series {
  name: string;
  values: (number | null)[];
}

/** Inline data read as a chart: the first column gives the categories, every numeric column a series. */
export interface ChartModel {
  kind: 'bar' | 'line' | 'pie';
  title?: string;
  categoryLabel: string;
  categories: string[];
  series: Series[];
}

function isNumericColumn(data: InlineData, index: number): boolean {
  const cells = data.rows.map((row) => row[index] ?? null);
  return cells.some((cell) => typeof cell === 'number') && cells.every((cell) => cell === null || typeof cell === 'number');
}

/** The chart to draw, or undefined when the data is best shown as a table (kind table, or nothing numeric to plot). */
export function chartModel(data: InlineData): ChartModel | undefined {
  const kind = data.chartKind ?? 'bar';
  if (kind === 'table' || data.columns.length < 2 || data.rows.length === 0) return undefined;
  const series: Series[] = [];
  for (let index = 1; index < data.columns.length; index++) {
    if (!isNumericColumn(data, index)) continue;
    series.push({ name: data.columns[index]!, values: data.rows.map((row) => (row[index] ?? null) as number | null) });
  }
  if (series.length === 0) return undefined;
  const categories = data.rows.map((row) => (row[0] === null || row[0] === undefined ? '' : String(row[0])));
  if (kind === 'pie') {
    // A pie shows one series, and only its positive parts.
    const first = series[0]!;
    const values = first.values.map((value) => (value !== null && value > 0 ? value : null));
    if (values.every((value) => value === null)) return undefined;
    return { kind, title: data.title, categoryLabel: data.columns[0]!, categories, series: [{ name: first.name, values }] };
  }
  return { kind, title: data.title, categoryLabel: data.columns[0]!, categories, series };
}
