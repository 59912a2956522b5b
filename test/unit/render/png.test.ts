import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { BuiltinRenderer, RenderError } from '../../../src/render';
import { chartTemplate, colourCount, multiSheetTemplate, request, sales, template } from './requests';

/** The pHYs chunk's pixels per metre on x, or undefined without one: read from the chunk list directly. */
function pixelsPerMetre(bytes: Buffer): number | undefined {
  for (let offset = 8; offset < bytes.length; ) {
    const length = bytes.readUInt32BE(offset);
    if (bytes.toString('latin1', offset + 4, offset + 8) === 'pHYs') return bytes.readUInt32BE(offset + 8);
    offset += 12 + length;
  }
  return undefined;
}

describe('PNG rendering', () => {
  const renderer = new BuiltinRenderer();

  for (const chartKind of ['bar', 'line', 'pie', 'table'] as const) {
    it(`draws a ${chartKind} chart at widthPx × heightPx, not blank`, async () => {
      const file = await renderer.render(request(chartTemplate('image', { objectDef: { ...sales, title: `Sales (${chartKind})`, chartKind } }), 'png'));
      const png = PNG.sync.read(file.bytes);
      assert.deepEqual([png.width, png.height], [800, 600]);
      assert.equal(file.contentType, 'image/png');
      assert.equal(file.extension, 'png');
      // anti-aliased text and several series colours: far more than background and one ink
      assert.ok(colourCount(file.bytes) > 20, `only ${colourCount(file.bytes)} colours`);
    });
  }

  it('multiplies the size by outZoom and records outDpi without changing the pixel count', async () => {
    const file = await renderer.render(request(chartTemplate('image', { widthPx: 300, heightPx: 200, outZoom: 1.5, outDpi: 300 }), 'png'));
    const png = PNG.sync.read(file.bytes);
    assert.deepEqual([png.width, png.height], [450, 300]);
    assert.equal(pixelsPerMetre(file.bytes), Math.round(300 / 0.0254));
  });

  it('draws a report card naming what the report is of when the chart carries no data', async () => {
    const file = await renderer.render(request(chartTemplate('snapshot', { objectDef: undefined, widthPx: 640, heightPx: 360 }), 'png'));
    const png = PNG.sync.read(file.bytes);
    assert.deepEqual([png.width, png.height], [640, 360]);
    assert.ok(colourCount(file.bytes) > 20);
  });

  it('still draws a non-blank image on a machine without any font', async () => {
    const fontless = new BuiltinRenderer({ fonts: { loadSystemFonts: false } });
    const withFonts = await renderer.render(request(chartTemplate('image', { objectDef: undefined }), 'png'));
    const without = await fontless.render(request(chartTemplate('image', { objectDef: undefined }), 'png'));
    // no glyphs, so fewer colours than with text, but the card's frame and title band remain
    assert.ok(colourCount(without.bytes) >= 2);
    assert.ok(colourCount(without.bytes) < colourCount(withFonts.bytes));
  });

  it('sizes a sheet by its resizeType: none is exact, fit keeps proportions, autofit ignores the hint', async () => {
    const sheet = (extra: Record<string, unknown>) =>
      template({ type: 'sheet', subType: 'image', sheetData: { appId: 'app-sales', sheetId: 'sheet-1', widthPx: 500, heightPx: 400, ...extra } });
    const size = async (extra: Record<string, unknown>) => {
      const { width, height } = PNG.sync.read((await renderer.render(request(sheet(extra), 'png'))).bytes);
      return [width, height];
    };
    assert.deepEqual(await size({ resizeType: 'none' }), [500, 400]);
    assert.deepEqual(await size({ resizeType: 'fit' }), [500, 400]);
    assert.deepEqual(await size({ resizeType: 'fit', heightPx: 0 }), [500, 281]); // 960 × 540 scaled to 500 wide
    assert.deepEqual(await size({ resizeType: 'autofit' }), [960, 540]);
    assert.deepEqual(await size({}), [960, 540]);
  });

  it('draws one card listing every sheet of a multi-sheet template', async () => {
    const file = await renderer.render(request(multiSheetTemplate('image', 3), 'png'));
    const png = PNG.sync.read(file.bytes);
    assert.deepEqual([png.width, png.height], [960, 540]);
    assert.ok(colourCount(file.bytes) > 20);
  });

  it('refuses an image too large to hold in memory, as a permanent error', async () => {
    await assert.rejects(
      renderer.render(request(chartTemplate('image', { widthPx: 10_000, heightPx: 10_000 }), 'png')),
      (error: unknown) => error instanceof RenderError && error.code === 'IMAGE_TOO_LARGE',
    );
  });
});

