import assert from 'node:assert/strict';
import { BuiltinRenderer } from '../../../src/render';
import { readPdf } from '../../support/pdf';
import { chartTemplate, multiSheetTemplate, request, sales, template } from './requests';

describe('PDF rendering', () => {
  const renderer = new BuiltinRenderer();

  it('shows the title, the facts, the chart and every column and cell of the data', async () => {
    const file = await renderer.render(request(chartTemplate('pdf'), 'pdf'));
    assert.equal(file.contentType, 'application/pdf');
    assert.equal(file.extension, 'pdf');
    const { pages, text } = await readPdf(file.bytes);
    assert.equal(pages, 1);
    for (const expected of ['Sales by region', 'Weekly sales', 'app-sales', 'object-1', 'Region = North, South', '2026-03-29 01:30:00']) {
      assert.ok(text.includes(expected), `missing ${expected} in ${text}`);
    }
    for (const cell of [...sales.columns, ...sales.rows.flat().filter((cell) => cell !== null).map(String)]) {
      assert.ok(text.includes(cell), `missing cell ${cell}`);
    }
    // the chart is drawn as vectors, so its value axis (0 to 150, a value no cell holds) is text, above the table
    assert.match(text, /\b0 50 100 150\b/);
    assert.ok(text.indexOf('150') < text.indexOf('95.5'), 'the chart comes before the table');
  });

  it('gives a multi-sheet template one page per sheet, each naming its sheet', async () => {
    const { pages, text } = await readPdf((await renderer.render(request(multiSheetTemplate('pdf', 3), 'pdf'))).bytes);
    assert.equal(pages, 3);
    const pageTexts = text.split('\n');
    pageTexts.forEach((pageText, index) => {
      assert.ok(pageText.includes('Board pack'), `page ${index + 1}: ${pageText}`);
      assert.ok(pageText.includes(`Region ${index + 1}`) && pageText.includes(`sheet-${index + 1}`), `page ${index + 1}: ${pageText}`);
    });
  });

  it('gives a sheet and a story template a page naming what they show', async () => {
    const sheet = template({ type: 'sheet', subType: 'pdf', sheetData: { appId: 'app-sales', sheetId: 'sheet-9' } });
    const story = template({ type: 'story', subType: 'pdf', storyData: { appId: 'app-sales', storyId: 'story-4' } });
    const sheetPdf = await readPdf((await renderer.render(request(sheet, 'pdf'))).bytes);
    const storyPdf = await readPdf((await renderer.render(request(story, 'pdf'))).bytes);
    assert.equal(sheetPdf.pages, 1);
    assert.match(sheetPdf.text, /Sheet sheet-9/);
    assert.equal(storyPdf.pages, 1);
    assert.match(storyPdf.text, /Story story-4/);
  });

  it('runs a long table over as many pages as it needs', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [`Store ${i + 1}`, i * 10]);
    const file = await renderer.render(request(chartTemplate('pdf', { objectDef: { columns: ['Store', 'Sales'], rows } }), 'pdf'));
    const { pages, text } = await readPdf(file.bytes);
    assert.ok(pages >= 3, `${pages} pages`);
    assert.ok(text.includes('Store 1 ') && text.includes('Store 120'));
  });
});
