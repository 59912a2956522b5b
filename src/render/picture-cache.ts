import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * Finished pictures (drawn and checked PNG bytes) by the SVG they are drawn from, bounded in bytes.
 * Many tasks share one chart (every subscriber of a report, each with a task of its own), and at
 * the top of the hour their runs all draw it within the same second: the first draws it, the
 * others wait for that drawing instead of each rasterizing and blank-checking the same SVG.
 * A drawing that fails is not kept: the next run draws again.
 */
export class PictureCache {
  private readonly pictures?: LRUCache<string, Buffer, () => Promise<Buffer>>;

  /** `maxBytes` 0: no cache, every picture is drawn. */
  constructor(maxBytes: number) {
    if (maxBytes <= 0) return;
    this.pictures = new LRUCache<string, Buffer, () => Promise<Buffer>>({
      maxSize: maxBytes,
      sizeCalculation: (png) => Math.max(1, png.length),
      fetchMethod: (_key, _stale, { context }) => context(),
    });
  }

  /** The picture of `svg` (with its `variant`, e.g. a density), drawn by `draw` unless cached or being drawn. */
  async of(svg: string, variant: string, draw: () => Promise<Buffer>): Promise<Buffer> {
    if (!this.pictures) return draw();
    const key = createHash('sha256').update(variant).update('\0').update(svg).digest('base64url');
    return (await this.pictures.fetch(key, { context: draw }))!;
  }
}
