import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { launchBrowser } from '../../support/browser';
import { inbox } from '../../support/inbox';
import { addToFailure } from '../../support/failure-note';
import { eventually, TestService } from '../../support/service';

// Code passed to page.evaluate runs in the browser: these are its globals (the project compiles without the DOM library).
declare const document: any;
declare const window: any;
declare const location: any;

// The README's screenshots are refreshed on demand (UPDATE_SCREENSHOTS=1); a plain run takes them into a temporary folder.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(__dirname, '..', '..', '..', 'docs', 'screenshots') : mkdtempSync(join(tmpdir(), 'console-screenshots-'));
const WIDE = { width: 1400, height: 1000 };
const PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true };

/** Fills a field (found by its label's `for`) with a new value, as a user types it. */
async function fill(page: Page, selector: string, value: string): Promise<void> {
  await page.waitForSelector(selector);
  await page.$eval(selector, (element) => {
    (element as any).value = '';
  });
  await page.type(selector, value);
}

async function clickButton(page: Page, text: string): Promise<void> {
  const button = await page.waitForSelector(`::-p-xpath(//button[normalize-space()="${text}"])`, { timeout: 15_000 });
  await button!.click();
}

/** Sets an input's value as the browser's own picker would (time and date inputs take no typed text reliably). */
async function setValue(page: Page, selector: string, value: string): Promise<void> {
  await page.$eval(
    selector,
    (element, text) => {
      const input = element as any;
      input.value = text;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    value,
  );
}

const textOf = (page: Page, selector: string) => page.$eval(selector, (element) => (element as any).innerText);

/** The console in Debian's chromium against the real stack: what a person does, step by step. */
describe('the web console in a browser', function () {
  this.timeout(180_000);
  let service: TestService;
  let browser: Browser;
  let page: Page;
  let token: string;
  let downloads: string;
  let taskId: string;
  /** What the browser saw go wrong (console errors, failed or refused requests), shown when a step fails. */
  const trail: string[] = [];
  const recipient = 'console-reader@example.com';
  const name = 'Berlin sales at 02:30';

  before(async () => {
    service = await TestService.start({ CONSOLE_DEV_SIGN_IN: 'true' });
    token = service.token({ tenant: 'tenant-console', userId: 'alice', userName: 'Alice', email: 'alice@example.com', roles: ['TenantAdmin'] });
    browser = await launchBrowser();
    page = await browser.newPage();
    const at = () => new Date().toISOString().slice(11, 23);
    page.on('console', (message) => message.type() === 'error' && trail.push(`${at()} console: ${message.text()}`));
    page.on('pageerror', (error) => trail.push(`${at()} page error: ${String(error)}`));
    page.on('requestfailed', (request) => trail.push(`${at()} ${request.method()} ${request.url()} failed: ${request.failure()?.errorText}`));
    page.on('response', (response) => response.status() >= 400 && trail.push(`${at()} ${response.request().method()} ${response.url()} answered ${response.status()}`));
    await page.setViewport(WIDE);
    // The viewer is in New York, the task in Berlin: the console shows both.
    await page.emulateTimezone('America/New_York');
    downloads = mkdtempSync(join(tmpdir(), 'console-downloads-'));
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
  });
  after(async () => {
    await browser?.close();
    await service?.stop();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });

  afterEach(async function () {
    const test = this.currentTest;
    if (test?.state !== 'failed' || !test.err || !page) return;
    const shown = await page.evaluate(() => `${location.href}\n${document.body?.innerText ?? ''}`).catch((error) => `(page unreadable: ${error})`);
    const dir = process.env.TEST_STACK_DATA_DIR ?? tmpdir();
    await page.screenshot({ path: join(dir, `console-failure-${Date.now()}.png`), fullPage: true }).catch(() => undefined);
    addToFailure(test.err, `the page showed:\n${shown.slice(0, 1500)}\nthe browser's trail:\n${trail.slice(-20).join('\n') || '(nothing)'}`);
  });

  it('GET / leads to /console, served with its own CSP; the API paths are unchanged', async () => {
    const root = await fetch(`${service.api.url}/`, { redirect: 'manual' });
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), '/console');
    const console = await fetch(`${service.api.url}/console`);
    assert.equal(console.status, 200);
    assert.match(console.headers.get('content-security-policy') ?? '', /script-src 'self' 'sha256-/);
    assert.match(await console.text(), /<script type="importmap">/);
    assert.equal((await fetch(`${service.api.url}/api/v1/sharing-tasks`)).status, 401);
  });

  it('signs in with /console#token=… and takes the token out of the address', async () => {
    await page.goto(`${service.api.url}/console#token=${token}`);
    await page.waitForSelector('::-p-xpath(//h1[normalize-space()="Tasks"])');
    assert.equal(new URL(page.url()).hash, '#/tasks');
    assert.match(await textOf(page, '.who'), /Alice · tenant-console · admin/);
  });

  it('shows the API\'s errors next to the field they name', async () => {
    await page.goto(`${service.api.url}/console#/tasks/new`);
    await fill(page, '#f-name', name);
    await fill(page, '#f-recipients-emailAddresses', 'not-an-address');
    await clickButton(page, 'Create task');
    await page.waitForSelector('#f-recipients-emailAddresses[aria-invalid="true"]');
    assert.match(await textOf(page, '#f-recipients-emailAddresses-error'), /emailAddresses\[0\]|e-?mail/i);
    assert.match(await textOf(page, '.error-summary'), /recipients\.emailAddresses\[0\]/);
  });

  it('creates a task with the daily preset and previews its next 10 occurrences, the DST-shifted one marked', async () => {
    await fill(page, '#f-recipients-emailAddresses', recipient);
    await page.click('input[name="schedule-mode"][value="daily"]');
    await fill(page, '#f-scheduleOptions-timezone', 'Europe/Berlin');
    await setValue(page, '#f-schedule-time', '02:30');
    // Ten days from 2027-03-22: 28 March 2027 is the last Sunday of March, when 02:30 does not exist in Berlin.
    await setValue(page, '#f-scheduleOptions-startDateTime', '2027-03-22T00:00');
    await page.waitForFunction(() => document.querySelector('[data-testid="rrule"]')?.textContent === 'RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=30');
    // The preview follows the form: wait for the one of this schedule (the earlier one was New York at 08:00).
    await page.waitForFunction(
      () => {
        const times = [...document.querySelectorAll('[data-testid="preview"] li time')];
        return times.length === 10 && times[0].getAttribute('datetime') === '2027-03-22T02:30:00+01:00';
      },
      { timeout: 15_000 },
    );
    const items = await page.$$eval('[data-testid="preview"] li', (lis) => lis.map((li) => ({ at: li.querySelector('time')!.getAttribute('datetime'), text: (li as any).innerText, dst: li.classList.contains('dst') })));
    assert.equal(items[0]!.at, '2027-03-22T02:30:00+01:00');
    const shifted = items.filter((item) => item.dst);
    assert.deepEqual(shifted.map((item) => item.at), ['2027-03-28T03:30:00+02:00']);
    assert.match(shifted[0]!.text, /DST: clocks skip 60 min, shifted by the gap/);
    assert.match(items[0]!.text, /yours/, 'the viewer\'s own zone is shown too');
    const preview = await page.$('.preview');
    await preview!.scrollIntoView();
    await page.screenshot({ path: join(SCREENSHOTS, 'editor-dst-preview.png') });

    await clickButton(page, 'Create task');
    await page.waitForSelector(`::-p-xpath(//h1[normalize-space()="${name}"])`);
    taskId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);
    const stored = await service.request(token, 'GET', `/api/v1/sharing-tasks/${taskId}`);
    assert.deepEqual(stored.body.scheduleOptions.recurrence, ['RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=30']);
    assert.equal(stored.body.scheduleOptions.timezone, 'Europe/Berlin');
  });

  it('lists the task with its owner, status and next run in both zones', async () => {
    await page.goto(`${service.api.url}/console#/tasks`);
    const row = await page.waitForSelector(`::-p-xpath(//tr[.//a[normalize-space()="${name}"]])`);
    const text = await row!.evaluate((tr) => (tr as any).innerText);
    assert.match(text, /Alice/);
    assert.match(text, /chart-sharing/);
    assert.match(text, /Mon,? 22 Mar 2027,? 02:30 CET \(Europe\/Berlin\)/);
    assert.match(text, /Sun,? 21 Mar 2027,? 21:30 GMT-4 yours/);
    await page.screenshot({ path: join(SCREENSHOTS, 'task-list.png') });
  });

  it('executes now and shows the run with its result, per recipient', async () => {
    await page.goto(`${service.api.url}/console#/tasks/${encodeURIComponent(taskId)}`);
    await clickButton(page, 'Execute now');
    await page.waitForFunction(() => /Run requested/.test(document.querySelector('.notice')?.textContent ?? ''));
    const run = await page.waitForSelector('li.run[data-trigger="execute-now"][data-status="successful"]', { timeout: 60_000 });
    const text = await run!.evaluate((li) => (li as any).innerText);
    assert.match(text, /Run now/);
    assert.match(text, /1 of 1 delivered/);
    assert.match(text, new RegExp(`${recipient}\\s+email\\s+delivered`));
    await eventually(async () => ((await inbox.to(recipient)).length > 0 ? true : undefined), 10_000, 'the e-mail');
    await page.screenshot({ path: join(SCREENSHOTS, 'task-runs.png'), fullPage: true });
  });

  it('downloads a run\'s file', async () => {
    await clickButton(page, 'Download report-1.pdf');
    const file = await eventually(async () => readdirSync(downloads).find((f) => f.endsWith('.pdf')), 15_000, 'the downloaded file');
    assert.equal(readFileSync(join(downloads, file)).subarray(0, 5).toString(), '%PDF-');
  });

  it('pauses and resumes, each reflected on the page and in the API', async () => {
    await clickButton(page, 'Pause');
    await page.waitForFunction(() => document.querySelector('[data-testid="task-enabled"]')?.textContent === 'No (paused)');
    assert.equal((await service.request(token, 'GET', `/api/v1/sharing-tasks/${taskId}`)).body.enabled, false);
    await clickButton(page, 'Resume');
    await page.waitForFunction(() => document.querySelector('[data-testid="task-enabled"]')?.textContent === 'Yes');
    assert.equal((await service.request(token, 'GET', `/api/v1/sharing-tasks/${taskId}`)).body.enabled, true);
  });

  it('links the task to its workflow in the Temporal UI', async () => {
    const href = await page.$eval('::-p-xpath(//a[normalize-space()="Workflow in the Temporal UI"])', (a) => (a as any).href);
    assert.equal(href, `${service.config.console.temporalUiUrl}/namespaces/default/workflows/${encodeURIComponent(`sharing-task-tenant-console-${taskId}`)}`);
  });

  it('fits a phone width without sideways scrolling', async () => {
    await page.setViewport(PHONE);
    await page.goto(`${service.api.url}/console#/tasks`);
    await page.waitForSelector(`::-p-xpath(//a[normalize-space()="${name}"])`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${overflow} px wider than the screen`);
    await page.screenshot({ path: join(SCREENSHOTS, 'task-list-phone.png') });
    await page.setViewport(WIDE);
  });

  it('deletes the task after asking', async () => {
    await page.goto(`${service.api.url}/console#/tasks/${encodeURIComponent(taskId)}`);
    await page.waitForSelector(`::-p-xpath(//h1[normalize-space()="${name}"])`);
    page.once('dialog', (dialog) => void dialog.accept());
    await clickButton(page, 'Delete');
    await page.waitForSelector('::-p-xpath(//h1[normalize-space()="Tasks"])');
    assert.equal((await service.request(token, 'GET', `/api/v1/sharing-tasks/${taskId}`)).status, 404);
  });

  it('signs out, then signs in with the dev form as an admin who changes the tenant settings', async () => {
    await clickButton(page, 'Sign out');
    await page.waitForSelector('#dev-tenant');
    await fill(page, '#dev-tenant', 'tenant-console-dev');
    await fill(page, '#dev-user', 'bob');
    await page.click('#dev-admin');
    await clickButton(page, 'Sign in as this user');
    await page.waitForSelector('::-p-xpath(//h1[normalize-space()="Tasks"])');
    await page.goto(`${service.api.url}/console#/settings`);
    await fill(page, '#f-maxRecipients', '42');
    await clickButton(page, 'Save');
    await page.waitForFunction(() => /at most 42 recipients/.test(document.querySelector('.notice')?.textContent ?? ''));
    const reader = service.token({ tenant: 'tenant-console-dev', userId: 'x' });
    const before = (await service.request(reader, 'GET', '/api/v1/sharing-tasks/settings')).body;
    await page.click('#setting-enable-report-subscription');
    await page.waitForFunction(() => /enable-report-subscription is now/.test(document.querySelector('.notice')?.textContent ?? ''));
    const after = (await service.request(reader, 'GET', '/api/v1/sharing-tasks/settings')).body;
    assert.equal(after.maxRecipients, 42);
    assert.equal(after['enable-report-subscription'], !before['enable-report-subscription']);
  });
});

describe('the console\'s dev sign-in is off unless the dev stack turns it on', function () {
  this.timeout(30_000);
  let service: TestService;
  before(async () => {
    service = await TestService.start({}, { worker: false });
  });
  after(() => service?.stop());

  it('has no token endpoint and no form by default', async () => {
    const minted = await fetch(`${service.api.url}/console/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"tenant":"t","user":"u"}' });
    assert.equal(minted.status, 404);
    assert.match(await (await fetch(`${service.api.url}/console`)).text(), /&quot;devSignIn&quot;:false/);
  });
});
