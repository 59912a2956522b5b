import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import PDFDocument from 'pdfkit';

/** A render request as the HTTP renderer sends it (src/render/http-renderer.ts). */
export interface RenderServiceRequest {
  format: string;
  template: { fileAlias?: string };
  selections?: unknown[];
}

export interface RenderService {
  url: string;
  requests: RenderServiceRequest[];
  /** Statuses to answer the next requests with, in order, before answering 200 again. */
  answers: number[];
  close(): Promise<void>;
}

/**
 * A stand-in for a BI engine: answers render requests with a PDF that names what it was asked
 * for, or with the statuses queued in `answers` first. `beforeAnswer` sees each request just
 * before it is answered; a request for which `hang` says true is never answered.
 */
export async function startRenderService(
  answers: number[] = [],
  beforeAnswer?: (request: RenderServiceRequest) => void,
  hang?: (request: RenderServiceRequest) => boolean,
): Promise<RenderService> {
  const requests: RenderServiceRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = JSON.parse(Buffer.concat(chunks).toString()) as RenderServiceRequest;
      requests.push(request);
      if (hang?.(request)) return;
      const status = answers.shift() ?? 200;
      if (status !== 200) return void res.writeHead(status).end('engine says no');
      const doc = new PDFDocument();
      const parts: Buffer[] = [];
      doc.on('data', (part: Buffer) => parts.push(part));
      doc.on('end', () => {
        beforeAnswer?.(request);
        res.writeHead(200, { 'content-type': 'application/pdf' }).end(Buffer.concat(parts));
      });
      doc.text(`Rendered by the engine: ${request.template.fileAlias} with ${JSON.stringify(request.selections)}`);
      doc.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/render`,
    requests,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
