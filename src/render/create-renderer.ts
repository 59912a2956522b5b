import { BuiltinRenderer, type BuiltinRendererOptions } from './builtin-renderer';
import { HttpRenderer, type HttpRendererOptions } from './http-renderer';
import type { Renderer } from './renderer';

/** Which renderer a worker uses, as configuration says (`Config['render']` fits). */
export type RendererOptions = ({ kind: 'builtin' } & BuiltinRendererOptions) | ({ kind: 'http' } & HttpRendererOptions);

export function createRenderer(options: RendererOptions): Renderer {
  return options.kind === 'http' ? new HttpRenderer(options) : new BuiltinRenderer(options);
}
