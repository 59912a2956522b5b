import { createHash } from 'node:crypto';
import type { Response } from 'express';

/** The look of the service's few server-made pages (a signed link that does not open). */
const STYLE =
  'body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;padding:2rem 1rem;background:#f6f7f9;color:#1b1f24}' +
  'main{max-width:36rem;margin:0 auto;background:#fff;border:1px solid #d0d5dc;border-radius:8px;padding:1.5rem 2rem}' +
  'h1{font-size:1.4rem;margin-top:0}p{line-height:1.5}';
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Answers with a small HTML page (its own inline style allowed by hash, nothing else). */
export function sendHtmlNotice(res: Response, status: number, title: string, paragraphs: string[]): void {
  res
    .status(status)
    .type('html')
    .set('Content-Security-Policy', `default-src 'none'; style-src ${STYLE_HASH}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`)
    .send(
      `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
        `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>` +
        `<body><main><h1>${escapeHtml(title)}</h1>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}</main></body></html>\n`,
    );
}
