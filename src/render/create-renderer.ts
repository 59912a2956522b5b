import { BuiltinRenderer, type BuiltinRendererOptions } from './builtin-renderer';
import { HttpRenderer, type HttpRendererOptions } from './http-renderer';
import type { Renderer } from './renderer';
import { ThreadedRenderer } from './threaded-renderer';

/** Which renderer a worker uses, as configuration says (`Config['render']` fits). */
export type RendererOptions = ({ kind: 'builtin'; threads?: number } & BuiltinRendererOptions) | ({ kind: 'http' } & HttpRendererOptions);

/** The built-in renderer draws in `threads` worker threads, or on the caller's event loop with none. */
export function createRenderer(options: RendererOptions): Renderer {
  if (options.kind === 'http') return new HttpRenderer(options);
  const { threads = 0, ...builtin } = options;
  return threads > 0 ? new ThreadedRenderer({ ...builtin, threads }) : new BuiltinRenderer(builtin);
}
