import { workerData } from 'node:worker_threads';
import { BuiltinRenderer, type BuiltinRendererOptions } from './builtin-renderer';
import { RenderError, type RenderedFile, type RenderErrorCode, type RenderRequest } from './renderer';

/**
 * What a render thread answers. A RenderError is sent as its code and message: an error's class and
 * fields do not survive the copy between threads, and the caller must know a permanent refusal.
 */
export type ThreadAnswer =
  | { file: Omit<RenderedFile, 'bytes'> & { bytes: Uint8Array } }
  | { refused: { code: RenderErrorCode; message: string } };

const renderer = new BuiltinRenderer(workerData as BuiltinRendererOptions);

/** A render thread's task (ThreadedRenderer): one report drawn by the built-in renderer. */
export default async function renderInThread(request: RenderRequest): Promise<ThreadAnswer> {
  try {
    const file = await renderer.render(request);
    // Its own exactly-sized copy: a small Buffer is a view of a shared 8 KiB slab, all of which would be copied.
    return { file: { ...file, bytes: new Uint8Array(file.bytes) } };
  } catch (error) {
    if (error instanceof RenderError) return { refused: { code: error.code, message: error.message } };
    throw error;
  }
}
