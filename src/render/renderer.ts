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
  /** Releases what the renderer holds (threads) once nothing renders any more. */
  close?(): Promise<void>;
}

export type RenderErrorCode =
  | 'TEMPLATE_NOT_FOUND'
  | 'UNSUPPORTED_FORMAT'
  /** Zero bytes, or an image of one single colour. */
  | 'EMPTY_RENDER'
  /** Bytes that are not a file of the format they claim to be. */
  | 'INVALID_RENDER'
  /** An image larger than the renderer will hold in memory. */
  | 'IMAGE_TOO_LARGE'
  /** The render service refused the request (a 4xx other than 404). */
  | 'RENDER_REJECTED'
  /** The render service answered with a file of another type than the one asked for. */
  | 'WRONG_CONTENT_TYPE';

/** A render that cannot succeed by retrying (unknown format, bad template, empty output). */
export class RenderError extends Error {
  constructor(
    readonly code: RenderErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RenderError';
  }
}

/** The media type and file extension of each output format. */
export const FILE_TYPES: Record<OutputFormat, { contentType: string; extension: string }> = {
  pdf: { contentType: 'application/pdf', extension: 'pdf' },
  png: { contentType: 'image/png', extension: 'png' },
  pptx: { contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extension: 'pptx' },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' },
};

export function renderedFile(format: OutputFormat, bytes: Buffer): RenderedFile {
  return { bytes, ...FILE_TYPES[format] };
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
