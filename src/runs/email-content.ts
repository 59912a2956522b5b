import type { EmailAttachment } from '../deliver/email';

/** The Content-ID of the chart shown inside a run's HTML e-mail. */
export const INLINE_CHART_CID = 'chart@sharing-tasks';

export interface EmailContentInput {
  subject: string;
  body: string;
  links: { fileName: string; url: string }[];
  /** Alt text of the inline chart, when the message shows one. */
  chartAlt?: string;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The plain text part: the body, then one line per file with its link. */
export function emailText({ body, links }: EmailContentInput): string {
  return `${body}\n\n${links.map((link) => `${link.fileName}: ${link.url}`).join('\n')}\n`;
}

/** The HTML part: the body's paragraphs, the first chart inline (`cid:`), and the file links. */
export function emailHtml({ subject, body, links, chartAlt }: EmailContentInput): string {
  const paragraphs = body
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const chart = chartAlt === undefined ? '' : `<p><img src="cid:${INLINE_CHART_CID}" alt="${escapeHtml(chartAlt)}" style="max-width:100%;height:auto"></p>\n`;
  const items = links.map((link) => `<li><a href="${escapeHtml(link.url)}">${escapeHtml(link.fileName)}</a></li>`).join('\n');
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;line-height:1.5">',
    paragraphs,
    chart + (items ? `<p>Files (the links open them without signing in, until they expire):</p>\n<ul>\n${items}\n</ul>` : ''),
    '</body></html>',
    '',
  ].join('\n');
}

/**
 * The attachments with the inline chart marked: the first PNG file of the run when it has one
 * (attached and shown), else `rendered` (a PNG drawn of the first chart template, shown only).
 */
export function withInlineChart(attachments: EmailAttachment[], rendered?: Buffer): { attachments: EmailAttachment[]; inline: boolean } {
  const index = attachments.findIndex((attachment) => attachment.contentType === 'image/png');
  if (index >= 0) {
    return { attachments: attachments.map((attachment, i) => (i === index ? { ...attachment, cid: INLINE_CHART_CID } : attachment)), inline: true };
  }
  if (!rendered) return { attachments, inline: false };
  return { attachments: [...attachments, { fileName: 'chart.png', contentType: 'image/png', content: rendered, cid: INLINE_CHART_CID, inlineOnly: true }], inline: true };
}
