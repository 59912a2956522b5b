import assert from 'node:assert/strict';
import { BuiltinRenderer } from '../../../src/render';
import { PictureCache } from '../../../src/render/picture-cache';
import { chartTemplate, request, sales } from './requests';

/** A drawing that counts its calls and finishes when told to. */
function countedDraw(bytes: Buffer) {
  const drawn = { calls: 0 };
  const draw = async () => {
    drawn.calls++;
    await new Promise((resolve) => setTimeout(resolve, 10));
    return bytes;
  };
  return { drawn, draw };
}

describe('PictureCache', () => {
  it('draws a picture once for the runs that ask for it at the same time, and once more for another', async () => {
    const cache = new PictureCache(1024 * 1024);
    const { drawn, draw } = countedDraw(Buffer.from('png-a'));
    const pictures = await Promise.all(Array.from({ length: 50 }, () => cache.of('<svg a/>', 'dpi=', draw)));
    assert.equal(drawn.calls, 1);
    assert.ok(pictures.every((picture) => picture.toString() === 'png-a'));
    await cache.of('<svg a/>', 'dpi=', draw);
    assert.equal(drawn.calls, 1, 'a later run gets the kept picture');
    await cache.of('<svg b/>', 'dpi=', draw);
    await cache.of('<svg a/>', 'dpi=300', draw);
    assert.equal(drawn.calls, 3, 'another SVG or another density is another picture');
  });

  it('keeps no failed drawing: every waiter gets the failure, the next run draws again', async () => {
    const cache = new PictureCache(1024 * 1024);
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error('blank picture');
    };
    const tries = await Promise.allSettled([cache.of('<svg/>', '', failing), cache.of('<svg/>', '', failing)]);
    assert.deepEqual(tries.map((t) => t.status), ['rejected', 'rejected']);
    assert.equal(calls, 1);
    const { drawn, draw } = countedDraw(Buffer.from('png'));
    assert.equal((await cache.of('<svg/>', '', draw)).toString(), 'png');
    assert.equal(drawn.calls, 1);
  });

  it('keeps at most its bytes, forgetting the least recently used', async () => {
    const cache = new PictureCache(10);
    const { drawn, draw } = countedDraw(Buffer.alloc(6));
    await cache.of('<svg 1/>', '', draw);
    await cache.of('<svg 2/>', '', draw); // 12 bytes: the first goes
    await cache.of('<svg 1/>', '', draw);
    assert.equal(drawn.calls, 3);
  });

  it('with no bytes to keep draws every time', async () => {
    const cache = new PictureCache(0);
    const { drawn, draw } = countedDraw(Buffer.from('png'));
    await cache.of('<svg/>', '', draw);
    await cache.of('<svg/>', '', draw);
    assert.equal(drawn.calls, 2);
  });

  it('gives the built-in renderer the same bytes with and without it', async () => {
    const chart = request(chartTemplate('image', { objectDef: { ...sales, chartKind: 'bar' } }), 'png');
    const cached = new BuiltinRenderer({ pictureCacheBytes: 1024 * 1024 });
    const [first, second] = await Promise.all([cached.render(chart), cached.render(chart)]);
    const plain = await new BuiltinRenderer().render(chart);
    assert.ok(first.bytes.equals(plain.bytes));
    assert.equal(first.bytes, second.bytes, 'one drawing shared');
    assert.equal(first.contentType, 'image/png');
  });
});
