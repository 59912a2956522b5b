import type { Template } from '../sharing-tasks/schemas';

export type OutputFormat = 'pdf' | 'png' | 'pptx' | 'xlsx';

export interface RenderRequest {
  template: Template;
  format: OutputFormat;
  task: { id: string; name: string; timezone: string; selections?: unknown[] };
  generatedAt: Date;
}

export interface RenderedFile {
  bytes: Buffer;
  contentType: string;
  extension: string;
}

/** Turns one template into one file. Implementations: the built-in drawer, an HTTP reporting service. */
export interface Renderer {
  render(request: RenderRequest): Promise<RenderedFile>;
}

/** A render that cannot succeed by retrying (unknown format, bad template, empty output). */
export class RenderError extends Error {
  constructor(
    readonly code: 'TEMPLATE_NOT_FOUND' | 'UNSUPPORTED_FORMAT' | 'EMPTY_RENDER',
    message: string,
  ) {
    super(message);
    this.name = 'RenderError';
  }
}

const FORMAT_BY_SUBTYPE: Record<string, OutputFormat> = {
  image: 'png',
  snapshot: 'png',
  pdf: 'pdf',
  pptx: 'pptx',
  xlsx: 'xlsx',
};

export function outputFormat(template: Template): OutputFormat {
  const format = template.subType ? FORMAT_BY_SUBTYPE[template.subType] : template.type === 'excel' ? 'xlsx' : 'pdf';
  if (!format) throw new RenderError('UNSUPPORTED_FORMAT', `template subType ${template.subType} has no output format`);
  return format;
}
