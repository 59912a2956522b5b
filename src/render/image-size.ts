import type { Template } from '../sharing-tasks/schemas';
import type { Size } from './shapes';
import { RenderError } from './renderer';

/** Where an image is laid out (`layout`) and how many pixels it is written at (`output`). */
export interface ImageSize {
  layout: Size;
  output: Size;
  /** Dots per inch to record in the file; pixel counts do not depend on it. */
  dpi?: number;
}

/** 50 megapixels, 200 MB of RGBA: more than a report image needs, less than a worker should hold at once. */
const MAX_OUTPUT_PIXELS = 50_000_000;

function sheetImageSize(sheet: NonNullable<Template['sheetData']>, natural: Size): Pick<ImageSize, 'layout' | 'output'> {
  const width = sheet.widthPx || undefined;
  const height = sheet.heightPx || undefined;
  const resizeType = sheet.resizeType ?? 'autofit';
  if (resizeType === 'none') {
    // drawn at exactly the size asked for
    const size = { width: width ?? natural.width, height: height ?? natural.height };
    return { layout: size, output: size };
  }
  if (resizeType === 'fit' && (width || height)) {
    // drawn at its natural size, then scaled to fit the size asked for (a missing side keeps the proportions)
    const output = {
      width: width ?? Math.round((natural.width * height!) / natural.height),
      height: height ?? Math.round((natural.height * width!) / natural.width),
    };
    return { layout: natural, output };
  }
  // autofit: the size of what it shows (the size asked for is only the viewport hint of the reference)
  return { layout: natural, output: natural };
}

/**
 * The pixel size of a PNG. A chart is laid out at widthPx × heightPx and written `outZoom` times
 * larger (text and lines scale with it, like a browser zoom). `outDpi` is recorded in the PNG
 * and does not change the pixel count: the API asks for pixels, and a DPI only says how large
 * those pixels print. A sheet follows its resizeType; anything else gets the drawing's natural size.
 */
export function imageSize(template: Template, natural: Size): ImageSize {
  let size: ImageSize;
  if (template.chartData) {
    const { widthPx, heightPx, outZoom = 1, outDpi } = template.chartData;
    const layout = { width: widthPx, height: heightPx };
    size = { layout, output: { width: Math.round(widthPx * outZoom), height: Math.round(heightPx * outZoom) }, dpi: outDpi };
  } else if (template.sheetData) {
    size = sheetImageSize(template.sheetData, natural);
  } else {
    size = { layout: natural, output: natural };
  }
  const pixels = size.output.width * size.output.height;
  if (pixels > MAX_OUTPUT_PIXELS) {
    throw new RenderError('IMAGE_TOO_LARGE', `a ${size.output.width}×${size.output.height} image exceeds ${MAX_OUTPUT_PIXELS / 1e6} megapixels`);
  }
  if (size.output.width < 1 || size.output.height < 1) throw new RenderError('EMPTY_RENDER', 'the image would have no pixels');
  return size;
}
