// Drives Debian's Chromium through the dashboard for DashboardBrowserTest, one phase per run:
//   tour    open every page, search, retry a failed task, cancel a running one, pause a queue,
//           switch a schedule off and on, delete a filtered set in bulk
//   resume  resume the paused queue
//   access  the token and read-only mode refuse what they must
// The test passes its settings in the TOUR environment variable (JSON) and reads the last line of
// standard output (JSON). Any failed expectation throws, and the exit code is 1.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const tour = JSON.parse(process.env.TOUR);
mkdirSync(tour.screenshots, { recursive: true });
const report = {};

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});

function expect(condition, what) {
  if (!condition) throw new Error('expected ' + what);
}

async function shot(page, name) {
  await page.screenshot({ path: `${tour.screenshots}/${name}.png`, fullPage: true });
}

async function open(context, hash) {
  const page = await context.newPage();
  page.on('pageerror', (error) => { throw new Error('the page threw: ' + error.message); });
  await page.goto(`${tour.base}?token=${tour.token}${hash}`);
  return page;
}

async function go(page, hash) {
  await page.evaluate((target) => { location.hash = target; }, hash);
  await page.waitForTimeout(300);
}

async function toast(page, text) {
  const element = page.locator('#toast');
  await element.filter({ hasText: text }).waitFor({ timeout: 15000 });
  return element.textContent();
}

/** Waits until a row matching {@code text} is (or, with gone, is no longer) in the current list, refreshing as it waits. */
async function awaitRow(page, text, gone = false) {
  const deadline = Date.now() + 30000;
  for (;;) {
    const count = await page.locator('[data-test=task-row]', { hasText: text }).count();
    if (gone ? count === 0 : count > 0) return;
    if (Date.now() > deadline) throw new Error(`expected a row with ${text} ${gone ? 'to go' : 'to appear'}`);
    await page.waitForTimeout(500);
    await page.evaluate(() => window.dispatchEvent(new HashChangeEvent('hashchange')));
  }
}

async function tourPhase() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await open(context, '');
  expect(!page.url().includes('token='), 'the token to leave the address bar, at ' + page.url());
  await page.locator('[data-test=count-waiting] .value', { hasText: '3' }).waitFor();
  expect((await page.locator('[data-test=count-running] .value').textContent()) === '1', 'one running task');
  expect(Number(await page.locator('[data-test=count-succeeded] .value').textContent()) >= 5, 'five succeeded tasks');
  expect(Number(await page.locator('[data-test=count-failed] .value').textContent()) >= 1, 'a failed task');
  expect(Number(await page.locator('[data-test=count-scheduled] .value').textContent()) >= 1, 'a scheduled task');
  await page.locator('[data-test=throughput-chart] rect').first().waitFor();
  await shot(page, 'overview');

  for (const state of ['waiting', 'scheduled', 'running', 'failed', 'succeeded']) {
    await go(page, '#/tasks/' + state);
    await page.locator('[data-test=task-row]').first().waitFor();
    await shot(page, 'tasks-' + state);
  }
  await go(page, '#/workers');
  await page.locator('[data-test=worker-row]').nth(1).waitFor();
  await shot(page, 'workers');
  await go(page, '#/recurring');
  await page.locator('[data-test=schedule-row][data-name=nightly-report]').waitFor();
  await shot(page, 'recurring');

  // Search, on the server: text in the arguments, then name and queue together.
  await go(page, '#/tasks/waiting');
  await page.fill('[data-test=search-args]', '101');
  await page.click('[data-test=search-submit]');
  await page.waitForFunction(() => location.hash.includes('args=101'));
  await page.waitForFunction(() => document.querySelectorAll('[data-test=task-row]').length === 1);
  expect((await page.locator('[data-test=task-row]').textContent()).includes('[101]'), 'the task whose arguments hold 101');
  await go(page, '#/tasks/waiting?name=Ledger&queue=parked');
  await page.waitForFunction(() => document.querySelectorAll('[data-test=task-row]').length === 3);
  await shot(page, 'search');

  // Retry the failed task.
  await go(page, '#/tasks/failed');
  const failed = page.locator('[data-test=task-row]', { hasText: 'importOnce' }).first();
  report.retried = Number(await failed.getAttribute('data-id'));
  await failed.locator('[data-test=retry]').click();
  await toast(page, 'retried');

  // Cancel the running task, through the confirmation.
  await go(page, '#/tasks/running');
  const running = page.locator('[data-test=task-row]', { hasText: 'Stamped.hold' });
  report.cancelled = Number(await running.getAttribute('data-id'));
  await running.locator('[data-test=cancel]').click();
  await page.locator('#confirm[open]').waitFor();
  expect((await page.locator('#confirm-text').textContent()).includes('#' + report.cancelled), 'the confirmation names the task');
  await page.click('[data-test=confirm-ok]');
  await toast(page, 'cancel requested');
  await awaitRow(page, 'Stamped.hold', true);
  await go(page, '#/tasks/failed');
  await awaitRow(page, 'cancelled');

  // The task's own page.
  await go(page, '#/task/' + report.cancelled);
  await page.locator('[data-test=task-fields]').waitFor();
  expect((await page.locator('[data-test=last-error]').textContent()).startsWith('cancelled'), 'the error says cancelled');
  await shot(page, 'task');

  // Pause the mail queue in every JVM.
  await go(page, '#/queues');
  const mail = page.locator('[data-test=queue-row][data-queue=mail]');
  await mail.locator('[data-test=pause-queue]').click();
  await page.click('[data-test=confirm-ok]');
  await toast(page, 'paused');
  await mail.locator('.state.paused').waitFor();
  await shot(page, 'queues');

  // A recurring schedule off, on, and run now.
  await go(page, '#/recurring');
  const nightly = page.locator('[data-test=schedule-row][data-name=nightly-report]');
  await nightly.locator('[data-test=disable-schedule]').click();
  await nightly.locator('.state.disabled').waitFor();
  await nightly.locator('[data-test=enable-schedule]').click();
  await nightly.locator('.state.enabled').waitFor();
  await nightly.locator('[data-test=run-schedule]').click();
  await toast(page, 'stored task');

  // Delete a filtered set, after a confirmation that names the count.
  await go(page, '#/tasks/waiting?queue=parked');
  await page.waitForFunction(() => document.querySelectorAll('[data-test=task-row]').length === 3);
  await page.click('[data-test=bulk-delete]');
  await page.locator('#confirm[open] #confirm-text', { hasText: 'Delete' }).waitFor();
  const question = await page.locator('#confirm-text').textContent();
  expect(question.includes('Delete 3 waiting tasks matching this search?'), 'the count in the confirmation: ' + question);
  await page.click('[data-test=confirm-ok]');
  await toast(page, 'Deleted 3 task(s)');
  await context.close();
}

async function resumePhase() {
  const context = await browser.newContext();
  const page = await open(context, '#/queues');
  const mail = page.locator('[data-test=queue-row][data-queue=mail]');
  await mail.locator('[data-test=resume-queue]').click();
  await toast(page, 'resumed');
  await context.close();
}

async function accessPhase() {
  const context = await browser.newContext();
  const page = await context.newPage();
  let response = await page.goto(tour.base);
  expect(response.status() === 401 && (await page.textContent('body')).includes('needs its token'), 'no token: refused');
  response = await page.goto(tour.base + '?token=not-the-token');
  expect(response.status() === 401, 'a wrong token: refused');

  response = await page.goto(`${tour.readOnlyBase}?token=${tour.token}#/tasks/failed`);
  await page.locator('#read-only:not([hidden])').waitFor();
  await page.locator('[data-test=task-row]').first().waitFor();
  expect((await page.locator('[data-test=retry]').count()) === 0, 'no retry button in read-only mode');
  expect((await page.locator('[data-test=bulk-retry]').count()) === 0, 'no bulk action in read-only mode');
  await shot(page, 'read-only');
  await go(page, '#/queues');
  await page.locator('[data-test=queue-row]').first().waitFor();
  expect((await page.locator('[data-test=pause-queue]').count()) === 0, 'no pause button in read-only mode');
  const status = await page.evaluate(async () => {
    const session = await (await fetch('api/session')).json();
    const refused = await fetch('api/queues/pause', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Bgtask-Csrf': session.csrf },
      body: JSON.stringify({ queue: 'mail' }) });
    return refused.status;
  });
  expect(status === 403, 'an action sent anyway is refused, not ' + status);
  await context.close();
}

try {
  await { tour: tourPhase, resume: resumePhase, access: accessPhase }[tour.phase]();
  console.log(JSON.stringify({ ok: true, ...report }));
} finally {
  await browser.close();
}
