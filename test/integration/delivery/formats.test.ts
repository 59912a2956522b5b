import assert from 'node:assert/strict';
import { chartTaskRequest } from '../../support/fixtures';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { inbox, type InboxMessage } from '../../support/inbox';
import { readPdf } from '../../support/pdf';
import { startRenderService, type RenderService } from '../../support/render-service';
import { eventually, TestService } from '../../support/service';

const rows = [
  ['North', 120],
  ['South', 80],
  ['West', 95],
];
const chartData = (chartKind: string) => ({
  appId: 'app-formats',
  sheetId: 'sheet-1',
  objectId: 'object-1',
  widthPx: 640,
  heightPx: 360,
  language: 'en',
  objectDef: { title: `Sales ${chartKind}`, chartKind, columns: ['Region', 'Sales'], rows },
});

/** One run, every format: each attachment opened by a reader independent of the library that wrote it. */
describe('rendered formats, read back from the e-mail', function () {
  this.timeout(90_000);
  let service: TestService;
  let message: InboxMessage;
  const recipient = 'formats-reader@example.com';

  before(async () => {
    service = await TestService.start();
    const token = service.token({ tenant: 'tenant-formats', userId: 'u' });
    const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', {
      name: 'All formats',
      type: 'template-sharing',
      templates: [
        { type: 'chart', subType: 'image', fileName: 'chart', fileAlias: 'chart-png', chartData: chartData('bar') },
        {
          type: 'multi-sheet',
          subType: 'pdf',
          fileName: 'sheets',
          fileAlias: 'sheets-pdf',
          multiSheetData: ['Overview', 'Regions', 'Products'].map((sheetName, i) => ({ appId: 'app-formats', sheetId: `sheet-${i}`, sheetName })),
        },
        { type: 'chart', subType: 'pptx', fileName: 'deck', fileAlias: 'deck', chartData: chartData('line') },
        { type: 'chart', subType: 'xlsx', fileName: 'table', fileAlias: 'table', chartData: chartData('table') },
      ],
      recipients: { emailAddresses: [recipient] },
      transportChannels: ['email'],
      executeOnCreation: true,
      scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    message = await eventually(async () => (await inbox.to(recipient))[0], 60_000, 'the e-mail with four attachments');
  });
  after(() => service?.stop());

  /** maildev stores an attachment under a generated name; find it by the name the service gave it. */
  const attachment = (fileName: string) => {
    const stored = message.attachments?.find((a) => a.filename === fileName);
    assert.ok(stored, `${fileName} is attached`);
    return inbox.attachment(message, stored.generatedFileName ?? fileName);
  };

  it('attaches the four files with their content types', () => {
    const attached = (message.attachments ?? []).map((a) => [a.filename, a.contentType]).sort();
    assert.deepEqual(attached, [
      ['chart.png', 'image/png'],
      ['deck.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
      ['sheets.pdf', 'application/pdf'],
      ['table.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ]);
  });

  it('links each file in the message body by a signed, expiring link', () => {
    for (const alias of ['chart-png', 'sheets-pdf', 'deck', 'table']) {
      assert.match(message.text ?? '', new RegExp(`/files/tenant-formats/[^/]+/[^/]+/${alias}\\?expires=\\d+&signature=[\\w-]+`), alias);
    }
  });

  it('PNG: the chart at widthPx x heightPx, not blank', async () => {
    const png = PNG.sync.read(await attachment('chart.png'));
    assert.deepEqual([png.width, png.height], [640, 360]);
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4) colours.add(png.data.readUInt32BE(i));
    assert.ok(colours.size > 2, `${colours.size} colours`);
  });

  it('PDF: one page per sheet of the multi-sheet template, each naming its sheet', async () => {
    const pdf = await readPdf(new Uint8Array(await attachment('sheets.pdf')));
    assert.equal(pdf.pages, 3);
    const pages = pdf.text.split('\n');
    ['Overview', 'Regions', 'Products'].forEach((sheet, i) => assert.match(pages[i]!, new RegExp(sheet), `page ${i + 1}`));
  });

  it('PPTX: a slide with the title and a native chart of the data', async () => {
    const zip = await JSZip.loadAsync(await attachment('deck.pptx'));
    const slides = Object.keys(zip.files).filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name));
    assert.ok(slides.length >= 1);
    const slideXml = (await Promise.all(slides.map((name) => zip.file(name)!.async('string')))).join('');
    assert.match(slideXml, /Sales line/);
    const charts = Object.keys(zip.files).filter((name) => /^ppt\/charts\/chart\d+\.xml$/.test(name));
    assert.equal(charts.length, 1);
    const chartXml = await zip.file(charts[0]!)!.async('string');
    for (const region of ['North', 'South', 'West']) assert.match(chartXml, new RegExp(region));
  });

  it('XLSX: the data as a real table, numbers as numbers', async () => {
    const zip = await JSZip.loadAsync(await attachment('table.xlsx'));
    const tableXml = await zip.file('xl/tables/table1.xml')!.async('string');
    assert.match(tableXml, /<tableColumn [^>]*name="Region"/);
    assert.match(tableXml, /<tableColumn [^>]*name="Sales"/);
    const sheets = Object.keys(zip.files).filter((name) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name));
    const sheetXml = (await Promise.all(sheets.map((name) => zip.file(name)!.async('string')))).join('');
    for (const [, sales] of rows) assert.match(sheetXml, new RegExp(`<c [^>]*r="B\\d+"[^>]*><v>${sales}</v></c>`));
  });
});

describe('rendering through an HTTP reporting service (RENDERER=http)', function () {
  this.timeout(90_000);
  let engine: RenderService;
  let service: TestService;
  let token: string;
  before(async () => {
    engine = await startRenderService([503]);
    service = await TestService.start({ RENDERER: 'http', RENDER_SERVICE_URL: engine.url, RENDER_TIMEOUT_SECONDS: '5' });
    token = service.token({ tenant: 'tenant-engine', userId: 'u' });
  });
  after(async () => {
    await service?.stop();
    await engine?.close();
  });

  const runWith = async (fileAlias: string, recipient: string) => {
    const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', {
      ...chartTaskRequest({ recipients: { emailAddresses: [recipient] }, executeOnCreation: true, scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] } }),
      templates: [{ type: 'chart', subType: 'pdf', fileName: fileAlias, fileAlias, chartData: chartData('bar') }],
      state: { selections: [{ name: 'Year', values: ['2026'] }] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return eventually(async () => {
      const latest = await service.request(token, 'GET', `/api/v1/sharing-tasks/${created.body.id}/executions/latest`);
      return latest.body?.endTime ? latest.body : undefined;
    }, 60_000, 'the run to end');
  };

  it('sends the template, format and selections, retries a 503 and delivers what the engine returned', async () => {
    const run = await runWith('engine-report', 'engine-reader@example.com');
    assert.equal(run.status, 'successful', JSON.stringify(run.errors));
    assert.equal(engine.requests.length, 2, 'one 503, then the retry');
    assert.deepEqual(engine.requests.map((r) => [r.format, r.template.fileAlias]), [['pdf', 'engine-report'], ['pdf', 'engine-report']]);
    const [message] = await inbox.to('engine-reader@example.com');
    const stored = message!.attachments!.find((a) => a.filename === 'engine-report.pdf')!;
    const pdf = await readPdf(new Uint8Array(await inbox.attachment(message!, stored.generatedFileName!)));
    assert.match(pdf.text, /Rendered by the engine: engine-report with \[\{"name":"Year","values":\["2026"\]\}\]/);
  });

  it('fails the run with TEMPLATE_NOT_FOUND when the engine does not know the template, without retrying', async () => {
    engine.requests.length = 0;
    engine.answers.push(404);
    const run = await runWith('unknown-report', 'engine-nobody@example.com');
    assert.equal(run.status, 'failed');
    assert.deepEqual(run.errors.map((e: { code: string }) => e.code), ['TEMPLATE_NOT_FOUND']);
    assert.equal(engine.requests.length, 1, 'a permanent answer is not retried');
  });
});
