import { expect, type Page, test } from '@playwright/test';
import { ensureAdmin } from './fixtures/admin';
import { idSequence, ingestForAnalytics } from './fixtures/executions';
import { screenshot } from './fixtures/screenshots';

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
    ...sameInputs(version, i),
  }));
}

// Three tickets both versions answered (v2 sends the same inputs with their keys in another order); the rest have none.
const SHARED_TICKETS = [0, 2, 4];
const V2_ANSWERS: Record<number, string> = {
  0: 'Routed to billing: refund requested.',
  2: 'Routed to shipping.',
  4: "I'm sorry, but I can't help with that.",
};
function sameInputs(version: number, i: number) {
  if (!SHARED_TICKETS.includes(i)) return {};
  const ticket = `T-${100 + i}`;
  if (version === 1) return { inputs: { ticket, channel: 'email' } };
  return { inputs: { channel: 'email', ticket }, output: V2_ANSWERS[i] };
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
  await screenshot(compare, 'analytics-compare-significance');

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

test('calls of both versions with the same inputs show their outputs side by side', async ({ page }) => {
  const compare = await openComparison(page);
  const samples = compare.getByRole('region', { name: 'Same inputs, side by side' });
  await expect(samples).toContainText('The latest call of each version for the same inputs, newest first: 3 pairs');
  const pairs = samples.getByRole('list', { name: 'Calls of v1 and v2 with the same inputs' });
  await expect(pairs.getByRole('listitem', { name: /^Inputs:/ })).toHaveCount(3);

  const refund = pairs.getByRole('listitem', { name: 'Inputs: ticket: T-100 · channel: email' });
  await expect(refund.getByRole('region', { name: "v1's call" })).toContainText('Routed to billing.');
  await expect(refund.getByRole('region', { name: "v2's call" })).toContainText('Routed to billing: refund requested.');
  const declined = pairs.getByRole('listitem', { name: 'Inputs: ticket: T-104 · channel: email' });
  await expect(declined.getByRole('region', { name: "v2's call" }).getByRole('list', { name: 'Signals' })).toHaveText(
    'Refusal',
  );
  await expect(declined.getByRole('region', { name: "v1's call" }).getByRole('list', { name: 'Signals' })).toHaveCount(
    0,
  );
  await samples.scrollIntoViewIfNeeded();
  await screenshot(samples, 'analytics-compare-same-inputs');

  await refund.getByRole('link', { name: "Open v2's call in the Logs tab" }).click();
  const drawer = page.getByRole('dialog');
  await expect(drawer).toContainText('Routed to billing: refund requested.');
});
