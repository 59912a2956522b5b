import assert from 'node:assert/strict';
import { sectionDrawing, sectionSvg } from '../../../src/render/chart-drawing';
import { chartModel, PALETTE } from '../../../src/render/chart-model';
import type { ReportSection } from '../../../src/render/report-content';
import { escapeXml } from '../../../src/render/svg';
import { rasterize } from '../../../src/render/png';
import { colourCount, sales } from './requests';

const size = { width: 800, height: 600 };
const texts = (section: ReportSection) => sectionDrawing(section, size).flatMap((shape) => (shape.kind === 'text' ? [shape.text] : []));

describe('chart drawings', () => {
  it('escape XML in text and attributes and drop characters XML forbids', () => {
    assert.equal(escapeXml(`a<b>&"c'\u0001d`), 'a&lt;b&gt;&amp;&quot;c&apos;d');
    const svg = sectionSvg({ name: 'x', facts: [], data: { ...sales, title: 'Q1 <draft> & "final"\u0007' } }, size);
    assert.ok(svg.includes('Q1 &lt;draft&gt; &amp; &quot;final&quot;<'));
    assert.ok(!svg.includes('<draft>'));
  });

  it('yield an SVG resvg reads and draws, even with markup in every label', async () => {
    const data = { title: '</svg><script>', chartKind: 'bar' as const, columns: ['<a>', '"b"'], rows: [['<x>', 1], ["'y'", 2]] };
    const png = await rasterize(sectionSvg({ name: 'x', facts: [], data }, size));
    assert.ok(colourCount(png) > 10);
  });

  it('draw one bar per value, a legend entry per series, axis and category labels', () => {
    const shapes = sectionDrawing({ name: 'x', facts: [], data: sales }, size);
    const bars = shapes.filter((shape) => shape.kind === 'rect' && PALETTE.includes(shape.fill ?? ''));
    // 5 values (East has no cost), plus 2 legend swatches
    assert.equal(bars.length, 5 + 2);
    const labels = texts({ name: 'x', facts: [], data: sales });
    for (const expected of ['Sales by region', 'Sales', 'Costs', 'North', 'South', 'East', 'Region', '0', '100']) assert.ok(labels.includes(expected), expected);
  });

  it('draw a pie slice per positive value with its share in the legend', () => {
    const data = { ...sales, chartKind: 'pie' as const, rows: [['North', 75, 1], ['South', 25, 1], ['West', -5, 1]] };
    const shapes = sectionDrawing({ name: 'x', facts: [], data }, size);
    assert.equal(shapes.filter((shape) => shape.kind === 'path').length, 2);
    assert.deepEqual(texts({ name: 'x', facts: [], data }).filter((text) => text.includes('%')), ['North: 75 (75%)', 'South: 25 (25%)']);
  });

  it('draw a report card of the facts when there is no data', () => {
    const labels = texts({ name: 'Chart object-1', facts: [['Task', 'Weekly sales'], ['Selections', 'Region = North']] });
    assert.deepEqual(labels, ['Chart object-1', 'Task', 'Weekly sales', 'Selections', 'Region = North']);
  });

  it('fall back to a table when nothing is numeric, and cut long tables with a count of what is left', () => {
    const words = { columns: ['Name', 'Role'], rows: [['Ann', 'lead']] };
    assert.equal(chartModel(words), undefined);
    assert.ok(texts({ name: 'x', facts: [], data: words }).includes('lead'));
    const rows = Array.from({ length: 100 }, (_, i) => [`row ${i}`, i]);
    const labels = texts({ name: 'x', facts: [], data: { chartKind: 'table', columns: ['Row', 'Value'], rows } });
    const more = labels.find((text) => /more rows/.test(text));
    assert.ok(more, 'no "more rows" line');
    const shown = labels.filter((text) => text.startsWith('row ')).length;
    assert.equal(more, `… ${100 - shown} more rows`);
  });
});

describe('chart models', () => {
  it('take the first column as categories and every numeric column as a series', () => {
    const model = chartModel({ chartKind: 'line', columns: ['Month', 'Note', 'Sales', 'Costs'], rows: [['Jan', 'ok', 1, null], ['Feb', null, 2, 3]] });
    assert.deepEqual(model, {
      kind: 'line',
      title: undefined,
      categoryLabel: 'Month',
      categories: ['Jan', 'Feb'],
      series: [{ name: 'Sales', values: [1, 2] }, { name: 'Costs', values: [null, 3] }],
    });
  });

  it('keep only the positive values of a pie, and give up on a pie with none', () => {
    const pie = (values: (number | null)[]) => chartModel({ chartKind: 'pie', columns: ['Region', 'Sales'], rows: values.map((value, i) => [`r${i}`, value]) });
    assert.deepEqual(pie([3, -1, 0, null, 2])?.series, [{ name: 'Sales', values: [3, null, null, null, 2] }]);
    assert.equal(pie([-1, 0, null]), undefined);
  });
});
