import assert from 'node:assert/strict';
import { emailHtml, emailText, INLINE_CHART_CID, withInlineChart } from '../../../src/runs/email-content';

const pdf = { fileName: 'sales.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-') };
const png = { fileName: 'chart.png', contentType: 'image/png', content: Buffer.from('png') };

describe('the e-mail of a run', () => {
  const content = { subject: 'Sales <weekly>', body: 'Hello & welcome\n\nSecond <b>paragraph</b>', links: [{ fileName: 'sales.pdf', url: 'https://x.example/files/a?expires=1&signature=s' }] };

  it('text part: the body, then a line per file with its link', () => {
    assert.equal(emailText(content), 'Hello & welcome\n\nSecond <b>paragraph</b>\n\nsales.pdf: https://x.example/files/a?expires=1&signature=s\n');
  });

  it('HTML part: the body escaped in paragraphs, the links, and the chart by cid only when there is one', () => {
    const html = emailHtml({ ...content, chartAlt: 'Chart of "Sales"' });
    assert.match(html, /<p>Hello &amp; welcome<\/p>\n<p>Second &lt;b&gt;paragraph&lt;\/b&gt;<\/p>/);
    assert.match(html, /<title>Sales &lt;weekly&gt;<\/title>/);
    assert.match(html, /<a href="https:\/\/x\.example\/files\/a\?expires=1&amp;signature=s">sales\.pdf<\/a>/);
    assert.match(html, new RegExp(`<img src="cid:${INLINE_CHART_CID}" alt="Chart of &quot;Sales&quot;"`));
    assert.doesNotMatch(emailHtml(content), /<img/);
  });

  it('shows the run\'s first PNG file inline (still attached), else a drawing of the first chart (inline only)', () => {
    const withPng = withInlineChart([pdf, png, { ...png, fileName: 'second.png' }]);
    assert.equal(withPng.inline, true);
    assert.deepEqual(withPng.attachments.map((a) => a.cid), [undefined, INLINE_CHART_CID, undefined]);
    assert.equal(withPng.attachments[1]!.inlineOnly, undefined);

    const drawn = withInlineChart([pdf], Buffer.from('drawn'));
    assert.equal(drawn.attachments.length, 2);
    assert.deepEqual({ ...drawn.attachments[1], content: drawn.attachments[1]!.content.toString() }, {
      fileName: 'chart.png', contentType: 'image/png', content: 'drawn', cid: INLINE_CHART_CID, inlineOnly: true,
    });
    assert.deepEqual(withInlineChart([pdf]), { attachments: [pdf], inline: false });
  });
});
