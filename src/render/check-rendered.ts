import { renderAsync } from '@resvg/resvg-js';
import { FILE_TYPES, RenderError, type OutputFormat, type RenderedFile } from './renderer';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ZIP_SIGNATURE = Buffer.from('PK\x03\x04', 'latin1');

/** How each format's files begin (pptx and xlsx are zip packages). */
const SIGNATURES: Record<OutputFormat, Buffer> = {
  pdf: Buffer.from('%PDF-', 'latin1'),
  png: PNG_SIGNATURE,
  pptx: ZIP_SIGNATURE,
  xlsx: ZIP_SIGNATURE,
};

function formatOf(file: RenderedFile): OutputFormat | undefined {
  const contentType = file.contentType.split(';')[0]!.trim().toLowerCase();
  return (Object.keys(FILE_TYPES) as OutputFormat[]).find((format) => FILE_TYPES[format].contentType === contentType);
}

/** Larger images are not decoded to be checked: it would cost more memory than the check is worth. */
const MAX_CHECKED_PIXELS = 50_000_000;

/**
 * The RGBA pixels of a PNG, decoded by resvg (drawn 1:1 with nearest-neighbour sampling, so
 * pixels come back unchanged) to spare the service a PNG decoder of its own. A PNG resvg cannot
 * decode comes back fully transparent.
 */
async function pngPixels(png: Buffer): Promise<Buffer | undefined> {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  if (width === 0 || height === 0) throw new RenderError('INVALID_RENDER', 'the render produced a png file without pixels');
  if (width * height > MAX_CHECKED_PIXELS) return undefined;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<image width="${width}" height="${height}" href="data:image/png;base64,${png.toString('base64')}"/></svg>`;
  const image = await renderAsync(svg, { font: { loadSystemFonts: false }, imageRendering: 1, logLevel: 'off' });
  return image.pixels;
}

/** Fully transparent pixels count as one colour whatever their RGB. */
function isOneColour(rgba: Buffer): boolean {
  const colourAt = (offset: number) => (rgba[offset + 3] === 0 ? 0 : rgba.readUInt32BE(offset));
  const first = colourAt(0);
  for (let offset = 4; offset < rgba.length; offset += 4) {
    if (colourAt(offset) !== first) return false;
  }
  return true;
}

/**
 * The guard every renderer's output passes: no empty files, no bytes that are not what they claim
 * to be, and no blank images (one colour from edge to edge). Returns the file when it passes.
 */
export async function checkRendered(file: RenderedFile): Promise<RenderedFile> {
  if (file.bytes.length === 0) throw new RenderError('EMPTY_RENDER', 'the render produced an empty file');
  const format = formatOf(file);
  if (format && !file.bytes.subarray(0, SIGNATURES[format].length).equals(SIGNATURES[format])) {
    throw new RenderError('INVALID_RENDER', `the render produced bytes that are not a ${format} file`);
  }
  if (format === 'png') {
    if (file.bytes.length < 33) throw new RenderError('INVALID_RENDER', 'the render produced a truncated png file');
    const pixels = await pngPixels(file.bytes);
    if (pixels && isOneColour(pixels)) throw new RenderError('EMPTY_RENDER', 'the render produced a blank or undecodable image (one colour only)');
  }
  return file;
}
