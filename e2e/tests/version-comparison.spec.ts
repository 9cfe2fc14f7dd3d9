import { expect, type Page, test } from '@playwright/test';
import { ensureAdmin, screenshotPath } from './fixtures/admin';
import { idSequence, ingestForAnalytics } from './fixtures/executions';

const PROMPT = 'ticket-triage-versions';
const SINGLE = 'ticket-triage-single';
const HOUR = 3_600_000;
const anchor = Math.floor(Date.now() / HOUR) * HOUR;

const nextId = idSequence('version-comparison.spec');

/** The i-th of `count` calls of a version, spread over the last two days; `failed` says which ones erred. */
function calls(promptId: string, version: number, count: number, failed: (i: number) => boolean) {
  return Array.from({ length: count }, (_, i) => ({
    id: nextId(),
    promptId,
    promptVersion: version,
    status: failed(i) ? 'error' : 'success',
    source: { type: 'api' },
    model: 'gpt-4o-mini',
    provider: 'openai',
    startedAt: new Date(anchor - (2 + (i % 40)) * HOUR + i * 1000).toISOString(),
    latencyMs: 300 + (i % 10) * 20,
    usage: { inputTokens: 200, outputTokens: 50 + (i % 5) },
    ...(failed(i) ? { error: { type: 'provider', message: 'Bad gateway' } } : { output: 'Routed to billing.' }),
  }));
}

// Version 2 errs in one call of four where version 1 erred in one of forty; nothing was truncated on either side.
const executions = [
  ...calls(PROMPT, 1, 120, (i) => i % 40 === 3),
  ...calls(PROMPT, 2, 120, (i) => i % 4 === 1),
  ...calls(SINGLE, 1, 3, () => false),
];

test.beforeAll(async ({ request }) => {
  const apiKey = await ensureAdmin(request);
  const from = new Date(anchor - 3 * 24 * HOUR).toISOString();
  await ingestForAnalytics(request, apiKey, { executions, promptId: PROMPT, from, calls: 240 });
});

async function openComparison(page: Page, promptId = PROMPT) {
  await ensureAdmin(page.request);
  await page.setViewportSize({ width: 1360, height: 900 });
  await page.goto(`/prompts/${promptId}?tab=analytics`);
  await expect(page.getByRole('tab', { name: 'Analytics' })).toHaveAttribute('aria-selected', 'true');
  return page.getByRole('region', { name: 'Compare versions' });
}

test('a version that errs clearly more is worse; an unchanged measure shows no clear difference', async ({ page }) => {
  const compare = await openComparison(page);
  await expect(compare.getByLabel('Version A')).toHaveValue('1');
  await expect(compare.getByLabel('Version B')).toHaveValue('2');
  const table = compare.getByRole('table').first();

  const errors = table.getByRole('row', { name: /Error rate/ });
  await expect(errors).toContainText('+22.5 pts · worse');
  await expect(errors).toContainText(/98% CI \+\d+\.\d to \+\d+\.\d pts/);
  await expect(table.getByRole('row', { name: /Success rate/ })).toContainText('worse');
  await expect(table.getByRole('row', { name: /Truncation rate/ })).toContainText(
    'no clear difference (n = 120 vs 120 calls)',
  );
  await expect(table.getByRole('row', { name: /p95 latency/ })).toContainText('no clear difference');
  await expect(compare).toContainText('one-sided test at the 1% level, the one alerts use');
  await expect(compare.getByRole('row', { name: /provider/ })).toContainText('30');
  await compare.scrollIntoViewIfNeeded();
  await compare.screenshot({ path: screenshotPath('analytics-compare-significance') });

  // The other way round, the same difference is an improvement.
  await compare.getByLabel('Version A').selectOption('2');
  await compare.getByLabel('Version B').selectOption('1');
  await expect(table.getByRole('row', { name: /Error rate/ })).toContainText('−22.5 pts · better');
});

test('the comparison says when it failed and compares again on retry', async ({ page }) => {
  let fail = true;
  await page.route('**/api/v1/prompts/*/compare?*', async (route) => {
    if (!fail) return route.fallback();
    await route.fulfill({
      status: 500,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'internal', message: 'The rollups are unavailable' } }),
    });
  });
  const compare = await openComparison(page);
  await expect(compare.getByRole('alert')).toContainText('The rollups are unavailable', { timeout: 15_000 });
  fail = false;
  await compare.getByRole('button', { name: 'Try again' }).click();
  await expect(
    compare
      .getByRole('table')
      .first()
      .getByRole('row', { name: /Error rate/ }),
  ).toContainText('worse');
});

test('a prompt with one version says comparing needs two', async ({ page }) => {
  const compare = await openComparison(page, SINGLE);
  await expect(compare).toContainText('Comparing needs two versions; this prompt has logged one so far.');
  await expect(compare.getByRole('table')).toHaveCount(0);
});
