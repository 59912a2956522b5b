import { chartModel, PALETTE, type ChartModel } from './chart-model';
import type { Cell, Fact, InlineData, ReportSection } from './report-content';
import { round, type Shape, type Size, type Text } from './shapes';
import { svgDocument } from './svg';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const INK = '#222222';
const MUTED = '#666666';
const RULE = '#dddddd';
const NATURAL_WIDTH = 960;
const NATURAL_HEIGHT = 540;
const MAX_NATURAL_HEIGHT = 4000;
/** Glyph widths are not measured (no font metrics here): an average of 0.6 em keeps text inside its room. */
const EM_WIDTH = 0.6;

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const cellText = (cell: Cell | undefined) => (cell === null || cell === undefined ? '' : typeof cell === 'number' ? numberFormat.format(cell) : cell);
const textWidth = (text: string, size: number) => text.length * size * EM_WIDTH;

function fitText(text: string, size: number, room: number): string {
  const fits = Math.max(0, Math.floor(room / (size * EM_WIDTH) + 1e-9));
  return text.length <= fits ? text : fits <= 1 ? '' : `${text.slice(0, fits - 1)}…`;
}

function label(x: number, y: number, text: string, size: number, style: Partial<Text> = {}): Text {
  return { kind: 'text', x, y, text, size, fill: INK, ...style };
}

const swatch = (x: number, y: number, unit: number, fill: string): Shape => ({ kind: 'rect', x, y, width: unit * 0.8, height: unit * 0.8, fill });
const colour = (index: number) => PALETTE[index % PALETTE.length]!;

/** The base text size: everything else is laid out in multiples of it, so drawings scale with their size. */
function unitOf({ width, height }: Size): number {
  return Math.min(40, Math.max(8, Math.min(width / 55, height / 30)));
}

function titleBlock(title: string, size: Size, unit: number): { shapes: Shape[]; bottom: number } {
  const fontSize = unit * 1.4;
  return { shapes: [label(unit, unit + fontSize, fitText(title, fontSize, size.width - 2 * unit), fontSize, { bold: true })], bottom: unit * 1.6 + fontSize };
}

function legend(names: string[], box: Box, unit: number): Shape[] {
  const fontSize = unit * 0.9;
  const shapes: Shape[] = [];
  let x = box.x;
  names.forEach((name, index) => {
    const room = Math.min(box.x + box.width - x - unit * 1.1, textWidth(name, fontSize));
    if (room < fontSize * 2) return;
    shapes.push(swatch(x, box.y, unit, colour(index)), label(x + unit * 1.1, box.y + unit * 0.75, fitText(name, fontSize, room), fontSize));
    x += unit * 1.1 + room + unit * 1.5;
  });
  return shapes;
}

function niceScale(low: number, high: number): { min: number; max: number; step: number } {
  const raw = (high - low || Math.abs(high) || 1) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw)!;
  return { min: Math.floor(low / step) * step, max: Math.ceil(high / step) * step || step, step };
}

/** Bars and lines share their axes: a value scale on the left, categories along the bottom. */
function axesChart(model: ChartModel, size: Size, top: number, unit: number): Shape[] {
  const values = model.series.flatMap((series) => series.values).filter((value): value is number => value !== null);
  const scale = niceScale(Math.min(0, ...values), Math.max(0, ...values));
  const ticks = Array.from({ length: Math.round((scale.max - scale.min) / scale.step) + 1 }, (_, i) => scale.min + i * scale.step);
  const tickSize = unit * 0.85;
  const tickWidth = Math.max(...ticks.map((tick) => textWidth(cellText(tick), tickSize)));
  const plot: Box = { x: unit * 2.6 + tickWidth, y: top + unit * 2, width: 0, height: 0 };
  plot.width = size.width - unit - plot.x;
  plot.height = size.height - unit * 3.6 - plot.y;
  if (plot.width <= 0 || plot.height <= 0) return [];
  const yOf = (value: number) => plot.y + plot.height - ((value - scale.min) / (scale.max - scale.min)) * plot.height;
  const band = plot.width / model.categories.length;

  const shapes = legend(model.series.map((series) => series.name), { x: unit, y: top, width: size.width - 2 * unit, height: unit }, unit);
  for (const tick of ticks) {
    shapes.push({ kind: 'line', x1: plot.x, x2: plot.x + plot.width, y1: yOf(tick), y2: yOf(tick), stroke: RULE });
    shapes.push(label(plot.x - unit * 0.4, yOf(tick) + unit * 0.3, cellText(tick), tickSize, { anchor: 'end', fill: MUTED }));
  }
  shapes.push({ kind: 'line', x1: plot.x, x2: plot.x + plot.width, y1: yOf(0), y2: yOf(0), stroke: MUTED });
  shapes.push(...(model.kind === 'bar' ? bars(model, plot, band, yOf) : lines(model, plot, band, yOf, unit)));

  // Every k-th category label, so that neighbours do not overlap.
  const categorySize = unit * 0.8;
  const longest = Math.max(...model.categories.map((category) => Math.min(category.length, 16)), 1);
  const every = Math.max(1, Math.ceil((longest * categorySize * EM_WIDTH) / band));
  model.categories.forEach((category, index) => {
    if (index % every !== 0) return;
    const x = plot.x + band * (index + 0.5);
    shapes.push(label(x, plot.y + plot.height + unit * 1.2, fitText(category, categorySize, band * every), categorySize, { anchor: 'middle' }));
  });
  shapes.push(label(plot.x + plot.width / 2, size.height - unit * 0.8, model.categoryLabel, unit * 0.9, { anchor: 'middle', fill: MUTED }));
  if (model.series.length === 1) {
    const name = fitText(model.series[0]!.name, unit * 0.9, plot.height);
    shapes.push(label(unit * 1.2, plot.y + plot.height / 2, name, unit * 0.9, { anchor: 'middle', fill: MUTED, rotate: -90 }));
  }
  return shapes;
}

function bars(model: ChartModel, plot: Box, band: number, yOf: (value: number) => number): Shape[] {
  const barWidth = (band * 0.8) / model.series.length;
  return model.series.flatMap((series, s) =>
    series.values.flatMap((value, index): Shape[] => {
      if (value === null) return [];
      const x = plot.x + band * (index + 0.1) + barWidth * s;
      const y = Math.min(yOf(value), yOf(0));
      return [{ kind: 'rect', x, y, width: Math.max(barWidth - 1, 0.5), height: Math.abs(yOf(value) - yOf(0)), fill: colour(s) }];
    }),
  );
}

function lines(model: ChartModel, plot: Box, band: number, yOf: (value: number) => number, unit: number): Shape[] {
  return model.series.flatMap((series, s) => {
    const points = series.values.map((value, index) => (value === null ? undefined : { x: plot.x + band * (index + 0.5), y: yOf(value) }));
    // A missing value breaks the line rather than joining its neighbours.
    const d = points.map((point, index) => (point ? `${points[index - 1] ? 'L' : 'M'}${round(point.x)} ${round(point.y)}` : '')).join('');
    const dots = points.length <= 60 ? points.flatMap((point): Shape[] => (point ? [{ kind: 'circle', cx: point.x, cy: point.y, r: unit * 0.25, fill: colour(s) }] : [])) : [];
    return [{ kind: 'path', d, stroke: colour(s), width: Math.max(1.5, unit * 0.15) } satisfies Shape, ...dots];
  });
}

function pie(model: ChartModel, size: Size, top: number, unit: number): Shape[] {
  const slices = model.series[0]!.values
    .map((value, index) => ({ value: value ?? 0, name: model.categories[index]!, fill: colour(index) }))
    .filter((slice) => slice.value > 0);
  const total = slices.reduce((sum, slice) => sum + slice.value, 0);
  const legendWidth = Math.min(size.width * 0.4, unit * 18);
  const radius = Math.max(0, Math.min((size.width - legendWidth - 3 * unit) / 2, (size.height - top - unit) / 2));
  const [cx, cy] = [unit + radius, top + (size.height - top) / 2];
  const shapes: Shape[] = [];
  let angle = -Math.PI / 2;
  for (const slice of slices) {
    const sweep = (slice.value / total) * 2 * Math.PI;
    if (slices.length === 1) {
      shapes.push({ kind: 'circle', cx, cy, r: radius, fill: slice.fill });
    } else {
      const end = angle + sweep;
      const [x1, y1, x2, y2] = [cx + radius * Math.cos(angle), cy + radius * Math.sin(angle), cx + radius * Math.cos(end), cy + radius * Math.sin(end)].map(round);
      const r = round(radius);
      const d = `M${round(cx)} ${round(cy)}L${x1} ${y1}A${r} ${r} 0 ${sweep > Math.PI ? 1 : 0} 1 ${x2} ${y2}Z`;
      shapes.push({ kind: 'path', d, fill: slice.fill, stroke: '#ffffff', width: 1 });
    }
    angle += sweep;
  }
  const legendX = size.width - legendWidth - unit;
  const rowHeight = unit * 1.4;
  const fitting = Math.max(0, Math.floor((size.height - top - unit) / rowHeight));
  const shown = slices.length > fitting ? slices.slice(0, Math.max(fitting - 1, 0)) : slices;
  shown.forEach((slice, index) => {
    const y = top + index * rowHeight;
    const text = `${slice.name}: ${cellText(slice.value)} (${Math.round((slice.value / total) * 100)}%)`;
    shapes.push(swatch(legendX, y, unit, slice.fill), label(legendX + unit * 1.1, y + unit * 0.75, fitText(text, unit * 0.85, legendWidth - unit * 1.2), unit * 0.85));
  });
  if (shown.length < slices.length) shapes.push(label(legendX, top + shown.length * rowHeight + unit * 0.75, `… ${slices.length - shown.length} more`, unit * 0.85, { fill: MUTED }));
  return shapes;
}

function table(data: InlineData, size: Size, top: number, unit: number): Shape[] {
  const rowHeight = unit * 1.6;
  const fontSize = unit * 0.85;
  const columnWidth = (size.width - 2 * unit) / Math.max(data.columns.length, 1);
  const fitting = Math.max(0, Math.floor((size.height - top - unit) / rowHeight) - 1);
  const rows = data.rows.length > fitting ? data.rows.slice(0, Math.max(fitting - 1, 0)) : data.rows;
  const row = (cells: Cell[], y: number, bold: boolean): Shape[] => [
    ...cells.map((cell, i) => label(unit + i * columnWidth + unit * 0.3, y + rowHeight * 0.68, fitText(cellText(cell), fontSize, columnWidth - unit * 0.6), fontSize, { bold })),
    { kind: 'line', x1: unit, x2: size.width - unit, y1: y + rowHeight, y2: y + rowHeight, stroke: RULE },
  ];
  const shapes: Shape[] = [{ kind: 'rect', x: unit, y: top, width: size.width - 2 * unit, height: rowHeight, fill: '#eef2f7' }, ...row(data.columns, top, true)];
  rows.forEach((cells, index) => shapes.push(...row(cells, top + (index + 1) * rowHeight, false)));
  if (rows.length < data.rows.length) {
    shapes.push(label(unit * 1.3, top + (rows.length + 1) * rowHeight + rowHeight * 0.68, `… ${data.rows.length - rows.length} more rows`, fontSize, { fill: MUTED }));
  }
  return shapes;
}

/** No data to draw: a card saying what the report is of (task, app, sheet, object, selections, time). */
function reportCard(title: string, facts: Fact[], size: Size, unit: number): Shape[] {
  const band = unit * 3.2;
  const shapes: Shape[] = [
    { kind: 'rect', x: 0.5, y: 0.5, width: size.width - 1, height: size.height - 1, stroke: colour(0) },
    { kind: 'rect', x: 0, y: 0, width: size.width, height: band, fill: colour(0) },
    label(unit, band * 0.64, fitText(title, unit * 1.4, size.width - 2 * unit), unit * 1.4, { fill: '#ffffff', bold: true }),
  ];
  const rowHeight = unit * 1.7;
  const labelWidth = Math.min(unit * 7, size.width * 0.3);
  facts.forEach(([name, value], index) => {
    const y = band + unit * 1.8 + index * rowHeight;
    if (y > size.height - unit * 0.5) return;
    shapes.push(label(unit, y, fitText(name, unit, labelWidth), unit, { bold: true, fill: MUTED }));
    shapes.push(label(unit + labelWidth, y, fitText(value, unit, size.width - labelWidth - 2 * unit), unit));
  });
  return shapes;
}

/** What a section looks like at `size`: its chart (bar, line, pie) or table when it carries data, else a report card. */
export function sectionDrawing(section: ReportSection, size: Size): Shape[] {
  const unit = unitOf(size);
  const background: Shape = { kind: 'rect', x: 0, y: 0, width: size.width, height: size.height, fill: '#ffffff' };
  if (!section.data) return [background, ...reportCard(section.name, section.facts, size, unit)];
  const title = titleBlock(section.data.title ?? section.name, size, unit);
  const model = chartModel(section.data);
  const body = !model
    ? table(section.data, size, title.bottom, unit)
    : model.kind === 'pie'
      ? pie(model, size, title.bottom, unit)
      : axesChart(model, size, title.bottom, unit);
  return [background, ...title.shapes, ...body];
}

/** The size a section is drawn at when the template does not fix one: tables grow with their rows. */
export function naturalSize(section: ReportSection): Size {
  if (!section.data || chartModel(section.data)) return { width: NATURAL_WIDTH, height: NATURAL_HEIGHT };
  const unit = unitOf({ width: NATURAL_WIDTH, height: NATURAL_HEIGHT });
  const height = unit * 4.5 + (section.data.rows.length + 1) * unit * 1.6;
  return { width: NATURAL_WIDTH, height: Math.round(Math.min(MAX_NATURAL_HEIGHT, Math.max(NATURAL_HEIGHT, height))) };
}

/** A section as a standalone SVG, laid out at `layout` and scaled to `output`. */
export function sectionSvg(section: ReportSection, layout: Size, output: Size = layout): string {
  return svgDocument(sectionDrawing(section, layout), layout, output);
}
