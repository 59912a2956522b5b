import { checkRendered } from './check-rendered';
import { renderPdf } from './pdf';
import { PictureCache } from './picture-cache';
import { drawPng, pngDrawing, type FontOptions, type PngDrawing } from './png';
import { renderPptx } from './pptx';
import { reportContent } from './report-content';
import { RenderError, renderedFile, type RenderedFile, type Renderer, type RenderRequest } from './renderer';
import { renderXlsx } from './xlsx';

export interface BuiltinRendererOptions {
  /** Fonts for the text of PNG images; system fonts by default. (PDFs use the PDF standard fonts.) */
  fonts?: FontOptions;
  /** Bytes of finished pictures kept for runs that draw the same one (PictureCache); 0 or none: none kept. */
  pictureCacheBytes?: number;
}

/** Draws reports itself from what the template carries; no external reporting engine needed. */
export class BuiltinRenderer implements Renderer {
  private readonly pictures: PictureCache;

  constructor(private readonly options: BuiltinRendererOptions = {}) {
    this.pictures = new PictureCache(options.pictureCacheBytes ?? 0);
  }

  async render(request: RenderRequest): Promise<RenderedFile> {
    const content = reportContent(request);
    if (request.format === 'png') return renderedFile('png', await this.picture(pngDrawing(content, request.template)));
    const writers: Partial<Record<string, () => Promise<Buffer>>> = {
      pdf: () => renderPdf(content),
      pptx: () => renderPptx(content),
      xlsx: () => renderXlsx(content, request.generatedAt),
    };
    const write = writers[request.format];
    if (!write) throw new RenderError('UNSUPPORTED_FORMAT', `the built-in renderer does not write ${request.format}`);
    return checkRendered(renderedFile(request.format, await write()));
  }

  /** A drawn and checked PNG, shared with the runs that draw the same picture. */
  private picture(drawing: PngDrawing): Promise<Buffer> {
    return this.pictures.of(drawing.svg, `dpi=${drawing.dpi ?? ''}`, async () => {
      const file = await checkRendered(renderedFile('png', await drawPng(drawing, this.options.fonts)));
      return file.bytes;
    });
  }
}
