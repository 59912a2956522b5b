export { BuiltinRenderer, type BuiltinRendererOptions } from './builtin-renderer';
export { checkRendered } from './check-rendered';
export { createRenderer, type RendererOptions } from './create-renderer';
export { HttpRenderer, RenderServiceUnavailableError, type HttpRendererOptions } from './http-renderer';
export type { FontOptions } from './png';
export {
  FILE_TYPES,
  outputFormat,
  RenderError,
  type OutputFormat,
  type RenderedFile,
  type Renderer,
  type RenderErrorCode,
  type RenderRequest,
} from './renderer';
export { reportFileName } from './file-name';
export { ThreadedRenderer, type ThreadedRendererOptions } from './threaded-renderer';
