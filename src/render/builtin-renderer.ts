import { checkRendered } from './check-rendered';
import { renderPdf } from './pdf';
import { renderPng, type FontOptions } from './png';
import { renderPptx } from './pptx';
import { reportContent } from './report-content';
import { RenderError, renderedFile, type RenderedFile, type Renderer, type RenderRequest } from './renderer';
import { renderXlsx } from './xlsx';

export interface BuiltinRendererOptions {
  /** Fonts for the text of PNG images; system fonts by default. (PDFs use the PDF standard fonts.) */
  fonts?: FontOptions;
}

/** Draws reports itself from what the template carries; no external reporting engine needed. */
export class BuiltinRenderer implements Renderer {
  constructor(private readonly options: BuiltinRendererOptions = {}) {}

  async render(request: RenderRequest): Promise<RenderedFile> {
    const content = reportContent(request);
    const { fonts } = this.options;
    const writers: Partial<Record<string, () => Promise<Buffer>>> = {
      pdf: () => renderPdf(content),
      png: () => renderPng(content, request.template, fonts),
      pptx: () => renderPptx(content),
      xlsx: () => renderXlsx(content, request.generatedAt),
    };
    const write = writers[request.format];
    if (!write) throw new RenderError('UNSUPPORTED_FORMAT', `the built-in renderer does not write ${request.format}`);
    return checkRendered(renderedFile(request.format, await write()));
  }
}
