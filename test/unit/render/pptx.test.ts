import assert from 'node:assert/strict';
import JSZip from 'jszip';
import { BuiltinRenderer } from '../../../src/render';
import { chartTemplate, multiSheetTemplate, request, sales } from './requests';

interface Deck {
  slides: string[];
  charts: string[];
}

/** The XML of each slide (in order) and of each chart part, read straight from the package. */
async function readDeck(bytes: Buffer): Promise<Deck> {
  const zip = await JSZip.loadAsync(bytes);
  const number = (path: string) => Number(/(\d+)\.xml$/.exec(path)![1]);
  const texts = (pattern: RegExp) =>
    Promise.all(
      Object.keys(zip.files)
        .filter((path) => pattern.test(path))
        .sort((a, b) => number(a) - number(b))
        .map((path) => zip.file(path)!.async('string')),
    );
  return { slides: await texts(/^ppt\/slides\/slide\d+\.xml$/), charts: await texts(/^ppt\/charts\/chart\d+\.xml$/) };
}

/** A slide's paragraphs as plain text (pptxgenjs splits table cells into one run per word). */
function paragraphs(slide: string): string[] {
  return slide.split('</a:p>').map((paragraph) => [...paragraph.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((run) => run[1]).join(''));
}

describe('PPTX rendering', () => {
  const renderer = new BuiltinRenderer();

  for (const [chartKind, element] of [['bar', 'c:barChart'], ['line', 'c:lineChart'], ['pie', 'c:pieChart']] as const) {
    it(`puts the title and a native ${chartKind} chart of the data on a slide`, async () => {
      const file = await renderer.render(request(chartTemplate('pptx', { objectDef: { ...sales, chartKind } }), 'pptx'));
      assert.equal(file.extension, 'pptx');
      assert.equal(file.contentType, 'application/vnd.openxmlformats-officedocument.presentationml.presentation');
      const { slides, charts } = await readDeck(file.bytes);
      assert.equal(slides.length, 1);
      assert.match(slides[0]!, /Sales by region/);
      assert.match(slides[0]!, /<c:chart [^>]*r:id=/);
      assert.equal(charts.length, 1);
      assert.match(charts[0]!, new RegExp(`<${element}>`));
      for (const category of ['North', 'South', 'East']) assert.ok(charts[0]!.includes(`<c:v>${category}</c:v>`), category);
      assert.ok(charts[0]!.includes('<c:v>120</c:v>'));
      // a pie shows the first series only
      assert.equal(charts[0]!.includes('<c:v>95.5</c:v>'), chartKind !== 'pie');
    });
  }

  it('shows a table kind as a slide table, without a chart', async () => {
    const { slides, charts } = await readDeck((await renderer.render(request(chartTemplate('pptx', { objectDef: { ...sales, chartKind: 'table' } }), 'pptx'))).bytes);
    assert.equal(slides.length, 1);
    assert.equal(charts.length, 0);
    assert.match(slides[0]!, /<a:tbl>/);
    for (const text of ['Region', 'Costs', 'South', '95.5']) assert.ok(paragraphs(slides[0]!).includes(text), text);
  });

  it('gives a chart without data a slide of facts', async () => {
    const { slides, charts } = await readDeck((await renderer.render(request(chartTemplate('pptx', { objectDef: undefined }), 'pptx'))).bytes);
    assert.equal(slides.length, 1);
    assert.equal(charts.length, 0);
    assert.match(slides[0]!, /<a:tbl>/);
    for (const text of ['Chart object-1', 'Weekly sales', 'app-sales', 'Region = North, South']) assert.ok(paragraphs(slides[0]!).includes(text), text);
  });

  it('gives each sheet of a multi-sheet template its own slide', async () => {
    const { slides } = await readDeck((await renderer.render(request(multiSheetTemplate('pptx', 10), 'pptx'))).bytes);
    assert.equal(slides.length, 10);
    slides.forEach((slide, index) => assert.equal(paragraphs(slide)[0], `Region ${index + 1}`));
  });
});
