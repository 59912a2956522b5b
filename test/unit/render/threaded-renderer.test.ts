import assert from 'node:assert/strict';
import { BuiltinRenderer, RenderError, ThreadedRenderer, type Renderer, type RenderRequest } from '../../../src/render';
import { readPdf } from '../../support/pdf';
import { chartTemplate, request, sales } from './requests';

/** How many times the event loop turned while `renderer` drew `toRender`. */
async function loopTurnsDuring(renderer: Renderer, toRender: RenderRequest): Promise<number> {
  let turns = 0;
  let drawing = true;
  const turn = () => {
    turns++;
    if (drawing) setImmediate(turn);
  };
  setImmediate(turn);
  await renderer.render(toRender).finally(() => (drawing = false));
  return turns;
}

describe('ThreadedRenderer', () => {
  const threaded = new ThreadedRenderer({ threads: 1 });
  after(() => threaded.close());

  it('draws in its thread the file the built-in renderer draws', async () => {
    const pdf = await threaded.render(request(chartTemplate('pdf'), 'pdf'));
    assert.ok(Buffer.isBuffer(pdf.bytes));
    assert.equal(pdf.contentType, 'application/pdf');
    const { text } = await readPdf(pdf.bytes);
    for (const expected of ['Sales by region', 'Weekly sales', '95.5']) assert.ok(text.includes(expected), `missing ${expected} in ${text}`);

    const [inThread, inLoop] = await Promise.all([threaded, new BuiltinRenderer()].map((renderer) => renderer.render(request(chartTemplate('image'), 'png'))));
    assert.equal(inThread!.contentType, 'image/png');
    assert.deepEqual(inThread!.bytes, inLoop!.bytes);
  });

  it('refuses with the RenderError the thread refused with', async () => {
    const refusal = await threaded.render({ ...request(chartTemplate('pdf'), 'pdf'), format: 'docx' as never }).catch((error: unknown) => error);
    assert.ok(refusal instanceof RenderError, `not a RenderError: ${String(refusal)}`);
    assert.equal(refusal.code, 'UNSUPPORTED_FORMAT');
    assert.match(refusal.message, /docx/);
  });

  it('leaves the event loop free while a long report is drawn', async () => {
    // A table of 2,000 rows over many pages: tens of milliseconds of synchronous drawing.
    const rows = Array.from({ length: 2_000 }, (_, i) => [`Region ${i}`, i, i / 2]);
    const longReport = request(chartTemplate('pdf', { objectDef: { ...sales, rows } }), 'pdf');
    const inLoop = await loopTurnsDuring(new BuiltinRenderer(), longReport);
    const inThread = await loopTurnsDuring(threaded, longReport);
    assert.ok(inLoop < 10, `the event loop turned ${inLoop} times while it drew the report itself`);
    assert.ok(inThread > 10 * Math.max(inLoop, 1), `the event loop turned ${inThread} times while a thread drew (${inLoop} in the loop)`);
  });

  it('keeps Buffer bytes of each file apart when many are drawn at once', async () => {
    const titles = Array.from({ length: 12 }, (_, i) => `Sales ${i}`);
    const files = await Promise.all(titles.map((title) => threaded.render(request(chartTemplate('pdf', { objectDef: { ...sales, title } }), 'pdf'))));
    const texts = await Promise.all(files.map(async (file) => (await readPdf(file.bytes)).text));
    texts.forEach((text, i) => assert.ok(text.includes(titles[i]!), `file ${i} does not show ${titles[i]}`));
  });
});
