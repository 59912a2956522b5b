import assert from 'node:assert/strict';
import { checkRendered, RenderError, type RenderedFile } from '../../../src/render';
import { pngOf } from './requests';

const png = (bytes: Buffer): RenderedFile => ({ bytes, contentType: 'image/png', extension: 'png' });
const rejectedAs = (code: string) => (error: unknown) => error instanceof RenderError && error.code === code;

describe('the rendered-file guard', () => {
  it('rejects a zero-byte file of any format', async () => {
    await assert.rejects(checkRendered({ bytes: Buffer.alloc(0), contentType: 'application/pdf', extension: 'pdf' }), rejectedAs('EMPTY_RENDER'));
    await assert.rejects(checkRendered(png(Buffer.alloc(0))), rejectedAs('EMPTY_RENDER'));
  });

  it('rejects a PNG of one single colour, opaque or transparent', async () => {
    await assert.rejects(checkRendered(png(pngOf(64, 48, () => [255, 255, 255, 255]))), rejectedAs('EMPTY_RENDER'));
    await assert.rejects(checkRendered(png(pngOf(64, 48, (x) => [x, 0, 0, 0]))), rejectedAs('EMPTY_RENDER'));
  });

  it('passes a PNG with a single pixel of another colour', async () => {
    const bytes = pngOf(64, 48, (x, y) => (x === 63 && y === 47 ? [0, 0, 0, 255] : [255, 255, 255, 255]));
    assert.equal((await checkRendered(png(bytes))).bytes, bytes);
  });

  it('rejects bytes that are not the format their content type claims', async () => {
    await assert.rejects(checkRendered(png(Buffer.from('<html>error</html>'))), rejectedAs('INVALID_RENDER'));
    await assert.rejects(checkRendered({ bytes: Buffer.from('PK\u0003\u0004'), contentType: 'application/pdf', extension: 'pdf' }), rejectedAs('INVALID_RENDER'));
    const pdf = { bytes: Buffer.from('%PDF-1.7\n'), contentType: 'application/pdf', extension: 'pdf' };
    assert.equal(await checkRendered(pdf), pdf);
  });
});
