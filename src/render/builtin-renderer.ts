import { renderPdf } from './pdf';
import { reportContent } from './report-content';
import { RenderError, type RenderedFile, type Renderer, type RenderRequest } from './renderer';

/** Draws reports itself from what the template carries; no external reporting engine needed. */
export class BuiltinRenderer implements Renderer {
  async render(request: RenderRequest): Promise<RenderedFile> {
    const content = reportContent(request);
    switch (request.format) {
      case 'pdf':
        return { bytes: await renderPdf(content), contentType: 'application/pdf', extension: 'pdf' };
      default:
        throw new RenderError('UNSUPPORTED_FORMAT', `the built-in renderer does not write ${request.format} yet`);
    }
  }
}
