import { expect, type Page, test } from '@playwright/test';
import { ensureAdmin } from './fixtures/admin';
import { idSequence, ingestForAnalytics } from './fixtures/executions';
import { screenshot } from './fixtures/screenshots';

const PROMPT = 'order-summary';
const HOUR = 3_600_000;

// Executions start at whole hours in the past (plus a few minutes), so re-runs within the hour ingest the
// same ids and the server stores nothing twice.
const anchor = Math.floor(Date.now() / HOUR) * HOUR;
const hoursAgo = (hours: number, minutes = 5) => new Date(anchor - hours * HOUR + minutes * 60_000).toISOString();

const nextId = idSequence('analytics.spec');

const FIELDS = ['summary', 'title', 'bullets'] as const;

function execution(hours: number, index: number, fields: Record<string, unknown> = {}) {
  return {
    id: nextId(),
    promptId: PROMPT,
    promptVersion: 1,
    status: 'success',
    source: { type: index % 3 === 0 ? 'workflow' : 'api' },
    model: index % 4 === 0 ? 'claude-sonnet-4-5' : 'gpt-4o-mini',
    provider: index % 4 === 0 ? 'anthropic' : 'openai',
    startedAt: hoursAgo(hours, index % 50),
    latencyMs: 300 + ((index * 137) % 900),
    inputs: { order: `order-${index}` },
    output: 'A summary.',
    usage: { inputTokens: 200 + index, outputTokens: 60 },
    location: { node: 'summarise', field: FIELDS[index % FIELDS.length] },
    ...(index % 5 === 0 ? { thinking: 'Consider the order lines first.' } : {}),
    ...fields,
  };
}

const REFUSAL = "I'm sorry, but I can't help with that.";

// Version 1 ran from 5 days ago to 2 days ago with rare errors; version 2 since then fails far more often, and
// refuses 4 of its calls (a refusal of a call that then failed is no answer at all).
const executions = [
  ...Array.from({ length: 36 }, (_, i) =>
    execution(
      120 - i * 2,
      i,
      i % 18 === 5 ? { status: 'error', error: { type: 'timeout', message: 'Timed out' } } : {},
    ),
  ),
  ...Array.from({ length: 30 }, (_, i) =>
    execution(40 - i, 100 + i, {
      promptVersion: 2,
      ...(i % 5 === 1 ? { output: REFUSAL } : {}),
      ...(i % 3 === 0
        ? {
            status: 'error',
            error: { type: i % 2 ? 'rate_limit' : 'validation', message: 'Failed' },
            output: undefined,
          }
        : {}),
    }),
  ),
  // A model without a known price: the cost must say "unpriced" for these, never $0.
  ...Array.from({ length: 4 }, (_, i) =>
    execution(3 + i, 200 + i, { promptVersion: 2, model: 'house-model-x', provider: 'in-house' }),
  ),
];

test.beforeAll(async ({ request }) => {
  const apiKey = await ensureAdmin(request);
  const from = new Date(anchor - 7 * 24 * HOUR).toISOString();
  await ingestForAnalytics(request, apiKey, { executions, promptId: PROMPT, from, calls: executions.length });
});

async function openAnalytics(page: Page, query = ''): Promise<void> {
  await ensureAdmin(page.request);
  await page.setViewportSize({ width: 1360, height: 900 });
  await page.goto(`/prompts/${PROMPT}?tab=analytics${query}`);
  await expect(page.getByRole('tab', { name: 'Analytics' })).toHaveAttribute('aria-selected', 'true');
}

function figure(page: Page, name: string) {
  return page.getByRole('figure', { name, exact: true });
}

test('the Analytics tab shows totals, every chart with data and the field details', async ({ page }) => {
  await openAnalytics(page);
  const totals = page.getByRole('region', { name: `Totals for ${PROMPT}` });
  await expect(totals.getByRole('definition').first()).toHaveText(String(executions.length));
  await expect(totals).toContainText('Success rate');
  await expect(totals).toContainText('4 of 70 calls unpriced');

  for (const name of ['Cost over time', 'Calls by model', 'Calls by field', 'Errors over time', 'Latency']) {
    await expect(figure(page, name).locator('.recharts-wrapper')).toBeVisible();
  }
  await expect(figure(page, 'Calls by model')).toContainText('house-model-x');
  await expect(figure(page, 'Errors over time')).toContainText('rate_limit');

  const fields = page.getByRole('table', { name: 'Field details' });
  await expect(fields.getByRole('row')).toHaveCount(1 + FIELDS.length);
  await expect(fields.getByRole('row').filter({ hasText: 'summary' })).toContainText('thinking');
  await fields.getByRole('button', { name: /Sort by Field/ }).click();
  await expect(page).toHaveURL(/fieldSort=field/);
  await expect(fields.getByRole('row').nth(1)).toContainText('bullets');

  const signals = page.getByRole('region', { name: `Output signals for ${PROMPT}` });
  await expect(signals).toContainText('Refusal rate');
  await expect(signals).toContainText('4 refusals');
  await expect(signals).toContainText('No answer was checked as JSON');
  await expect(signals).toContainText('p95 output');
  await expect(signals).toContainText('within about 5%');
  for (const name of ['Output signals over time', 'Output length']) {
    await expect(figure(page, name).locator('.recharts-wrapper')).toBeVisible();
  }
  await expect(figure(page, 'Output length')).toContainText('p95 output (chars)');
  const byModel = page.getByRole('table', { name: 'Output signals per model in this window' });
  await expect(byModel.getByRole('row', { name: /house-model-x/ })).toContainText('0%');
  await expect(byModel.getByRole('columnheader', { name: 'p95 output' })).toBeVisible();
  // Its answers are all "A summary.": the p95, read at its bucket's middle, is 10 characters too.
  await expect(
    byModel
      .getByRole('row', { name: /house-model-x/ })
      .getByRole('cell')
      .last(),
  ).toHaveText('10 chars');
  await expect(byModel.getByRole('row')).toHaveCount(4);

  await screenshot(page, 'analytics-tab', { fullPage: true });
});

test('clicking a bar opens the Logs tab filtered to that slice', async ({ page }) => {
  await openAnalytics(page);
  const models = figure(page, 'Calls by model');
  await expect(models.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await models.locator('.recharts-bar-rectangle').first().click();
  await expect(page.getByRole('tab', { name: 'Logs' })).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/model=gpt-4o-mini/);
  await expect(page).toHaveURL(/range=custom/);
  const rows = page.getByRole('table', { name: `Executions of ${PROMPT}` }).getByRole('row');
  await expect(rows.nth(1)).toContainText('gpt-4o-mini');
  await expect(rows.filter({ hasText: 'claude-sonnet-4-5' })).toHaveCount(0);

  await page.goto(`/prompts/${PROMPT}?tab=analytics`);
  const errors = figure(page, 'Errors over time');
  await expect(errors.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await errors.locator('.recharts-bar-rectangle').last().click();
  await expect(page).toHaveURL(/status=error/);
  await expect(
    page
      .getByRole('table', { name: `Executions of ${PROMPT}` })
      .getByRole('row')
      .nth(1),
  ).toContainText('error');

  // A point of the latency chart opens that day's logs.
  await page.goto(`/prompts/${PROMPT}?tab=analytics`);
  // The chart sits below the fold: whole in view, so the click lands where the hover put the pointer.
  await figure(page, 'Latency').scrollIntoViewIfNeeded();
  const dot = figure(page, 'Latency').locator('.recharts-line-dots circle').nth(2);
  await dot.hover();
  await dot.click();
  await expect(page.getByRole('tab', { name: 'Logs' })).toHaveAttribute('aria-selected', 'true');
  const url = new URL(page.url());
  const [from, to] = [Date.parse(url.searchParams.get('from') ?? ''), Date.parse(url.searchParams.get('to') ?? '')];
  expect(to - from).toBeGreaterThanOrEqual(23 * HOUR);
  expect(to - from).toBeLessThanOrEqual(25 * HOUR);
  expect(url.searchParams.getAll('model')).toEqual([]);
});

test('the version comparison shows two versions side by side', async ({ page }) => {
  await openAnalytics(page);
  const compare = page.getByRole('region', { name: 'Compare versions' });
  await expect(compare.getByLabel('Version A')).toHaveValue('1');
  await expect(compare.getByLabel('Version B')).toHaveValue('2');
  const table = compare.getByRole('table').first();
  await expect(table.getByRole('columnheader', { name: 'v1', exact: true })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'v2', exact: true })).toBeVisible();
  await expect(table.getByRole('row', { name: /Error rate/ })).toContainText('worse');
  // 4 refusals in 34 calls against none in 36 is not significant at the 1% level (p ≈ 0.017).
  await expect(table.getByRole('row', { name: /Refusal rate/ })).toContainText('no clear difference (n = 36 vs 34');
  await expect(table.getByRole('row', { name: /Avg output length/ })).toContainText('chars');
  await expect(table.getByRole('row', { name: /p95 output length/ })).toContainText('chars');
  await expect(compare.getByRole('row', { name: /rate_limit/ })).toContainText('new');
  await compare.scrollIntoViewIfNeeded();
  await screenshot(compare, 'analytics-compare');
});

test('the dashboard shows organisation totals and links to the prompts', async ({ page }) => {
  await ensureAdmin(page.request);
  await page.setViewportSize({ width: 1360, height: 900 });
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  const totals = page.getByRole('region', { name: 'Organisation totals' });
  await expect(totals).toContainText('Total calls');
  const calls = Number((await totals.getByRole('definition').first().textContent())?.replace(/,/g, ''));
  expect(calls).toBeGreaterThanOrEqual(executions.length);
  await expect(figure(page, 'Daily activity').locator('.recharts-wrapper')).toBeVisible();
  await expect(page.getByRole('figure', { name: /by prompt$/ }).locator('.recharts-wrapper')).toBeVisible();
  await expect(page.getByRole('figure', { name: /by model$/ }).locator('.recharts-wrapper')).toBeVisible();
  await expect(figure(page, 'Most errors').getByRole('link', { name: PROMPT })).toBeVisible();
  await screenshot(page, 'dashboard', { fullPage: true });

  await figure(page, 'Most used prompts').getByRole('link', { name: PROMPT }).click();
  await expect(page.getByRole('heading', { level: 1, name: PROMPT })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Analytics' })).toHaveAttribute('aria-selected', 'true');
});

test('a window where nothing is priced shows token usage and says why, never $0', async ({ page }) => {
  // Only the calls of the unpriced model ran between 7 and 2 hours ago.
  const from = new Date(anchor - 7 * HOUR).toISOString();
  const to = new Date(anchor - 2 * HOUR).toISOString();
  await openAnalytics(page, `&range=custom&from=${from}&to=${to}`);
  const totals = page.getByRole('region', { name: `Totals for ${PROMPT}` });
  await expect(totals.getByRole('definition').first()).toHaveText('4');
  await expect(totals).toContainText('unpriced');
  await expect(totals).not.toContainText('$0');
  const tokens = figure(page, 'Token usage over time');
  await expect(tokens).toContainText('No call in this window has a known price (4 unpriced)');
  await expect(tokens.locator('.recharts-wrapper')).toBeVisible();
  await expect(figure(page, 'Cost over time')).toHaveCount(0);
  await expect(figure(page, 'Errors over time')).toContainText('No errors in 4 calls.');

  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'analytics-unpriced-narrow', { fullPage: true });
});

test('an analytics request the server fails says so and can be retried', async ({ page }) => {
  let fail = true;
  await page.route('**/api/v1/analytics/breakdown?*', async (route) => {
    if (!route.request().url().includes('by=model') || !fail) return route.fallback();
    await route.fulfill({
      status: 500,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'internal', message: 'The rollups are unavailable' } }),
    });
  });
  await openAnalytics(page);
  const models = figure(page, 'Calls by model');
  await expect(models.getByRole('alert')).toContainText('The rollups are unavailable', { timeout: 15_000 });
  await expect(figure(page, 'Latency').locator('.recharts-wrapper')).toBeVisible();
  fail = false;
  await models.getByRole('button', { name: 'Try again' }).click();
  await expect(models.locator('.recharts-wrapper')).toBeVisible();
});

test('the charting code is fetched only when a chart is shown', async ({ page }) => {
  await ensureAdmin(page.request);
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  await page.goto(`/prompts/${PROMPT}`);
  await expect(
    page
      .getByRole('table', { name: `Executions of ${PROMPT}` })
      .getByRole('row')
      .nth(1),
  ).toBeVisible();
  expect(scripts.filter((path) => /\/charts-[\w-]+\.js$/.test(path))).toEqual([]);

  await page.getByRole('tab', { name: 'Analytics' }).click();
  await expect(figure(page, 'Latency').locator('.recharts-wrapper')).toBeVisible();
  expect(scripts.filter((path) => /\/charts-[\w-]+\.js$/.test(path))).toHaveLength(1);
});

test('a window without calls says so instead of drawing empty charts', async ({ page }) => {
  await openAnalytics(page, '&range=custom&from=2020-01-01T00:00:00.000Z&to=2020-01-02T00:00:00.000Z');
  await expect(page.getByRole('heading', { name: 'No calls in this window' })).toBeVisible();
  const totals = page.getByRole('region', { name: `Totals for ${PROMPT}` });
  await expect(totals.getByRole('definition').first()).toHaveText('0');
  await expect(totals).not.toContainText('$0');
  await expect(page.getByRole('figure')).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Field details' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Compare versions' })).toContainText('Neither version had errors');
  await screenshot(page, 'analytics-empty', { fullPage: true });
});
