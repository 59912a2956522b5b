export { BuiltinRenderer } from './builtin-renderer';
export { outputFormat, RenderError, type OutputFormat, type RenderedFile, type Renderer, type RenderRequest } from './renderer';
export { reportFileName } from './file-name';
