import path from 'node:path';
import { Piscina } from 'piscina';
import type { BuiltinRendererOptions } from './builtin-renderer';
import type { ThreadAnswer } from './render-thread';
import { RenderError, type RenderedFile, type Renderer, type RenderRequest } from './renderer';

export interface ThreadedRendererOptions extends BuiltinRendererOptions {
  /** How many threads draw; each runs its own BuiltinRenderer (and picture cache). */
  threads: number;
}

/** Reports a thread draws at once: PDF, PPTX and XLSX are drawn synchronously, PNG waits on resvg's own pool. */
const TASKS_PER_THREAD = 4;

/**
 * The built-in renderer in worker threads, so that drawing never holds the worker's event loop:
 * at the top of the hour the loop starts every held run at its instant and keeps heartbeats,
 * claims and SMTP moving while reports are drawn beside it; a large report does not freeze them.
 */
export class ThreadedRenderer implements Renderer {
  private readonly pool: Piscina<RenderRequest, ThreadAnswer>;

  constructor({ threads, ...options }: ThreadedRendererOptions) {
    this.pool = new Piscina({
      filename: path.join(__dirname, 'render-thread.cjs'),
      minThreads: threads,
      maxThreads: threads,
      concurrentTasksPerWorker: TASKS_PER_THREAD,
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData: options,
    });
  }

  async render(request: RenderRequest): Promise<RenderedFile> {
    const answer = await this.pool.run(request);
    if ('refused' in answer) throw new RenderError(answer.refused.code, answer.refused.message);
    const { bytes } = answer.file;
    return { ...answer.file, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  /** Ends the threads once the runs that use them are over. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
