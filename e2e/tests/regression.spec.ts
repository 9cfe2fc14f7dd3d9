import { expect, test } from '@playwright/test';
import { ensureAdmin } from './fixtures/admin';
import { idSequence, ingestForAnalytics } from './fixtures/executions';
import { screenshot } from './fixtures/screenshots';

// The story the product is for: a prompt is updated, the new version starts refusing, and Promptlog says so before
// a user does — an alert in the bell, the refusals in the Logs tab, and the comparison showing what changed.
const PROMPT = 'refund-helper-regression';
const HOUR = 3_600_000;
const anchor = Math.floor(Date.now() / HOUR) * HOUR;
const nextId = idSequence('regression.spec');

const V1 = 'You help customers with refunds. Explain the refund policy and the next step.';
const V2 = 'You help customers with refunds. Never promise a refund. Explain the refund policy and the next step.';
const REFUSAL = "I'm sorry, but I can't help with that.";

/** 80 calls of a version over the last two days; `refuses` says which ones the model declined. */
function calls(version: number, systemPrompt: string, refuses: (i: number) => boolean) {
  return Array.from({ length: 80 }, (_, i) => ({
    id: nextId(),
    promptId: PROMPT,
    promptVersion: version,
    status: 'success',
    source: { type: 'workflow', name: 'refunds' },
    model: 'gpt-4o-mini',
    startedAt: new Date(anchor - (1 + (i % 40)) * HOUR + version * 60_000 + i * 1000).toISOString(),
    latencyMs: 400 + (i % 7) * 30,
    request: { systemPrompt, messages: [{ role: 'user', content: `Order ${1000 + i}: can I get my money back?` }] },
    inputs: { order: String(1000 + i) },
    output: refuses(i) ? REFUSAL : `Yes: order ${1000 + i} is within the 30 days, so the refund goes out today.`,
  }));
}

// v1 declined once in 80 calls; v2, with the new system prompt, declines one call in three.
const executions = [...calls(1, V1, (i) => i === 7), ...calls(2, V2, (i) => i % 3 === 0)];

test.beforeAll(async ({ request }) => {
  const apiKey = await ensureAdmin(request);
  const from = new Date(anchor - 3 * 24 * HOUR).toISOString();
  await ingestForAnalytics(request, apiKey, { executions, promptId: PROMPT, from, calls: executions.length });
});

test('a new version that refuses more raises the built-in alert, which leads to its refusals and what changed', async ({
  page,
}) => {
  await ensureAdmin(page.request);
  await page.setViewportSize({ width: 1360, height: 900 });
  await page.goto('/');

  // Nobody made a rule: the built-in one fires once the new version has its 50 calls. The bell polls every 15 s.
  const bell = page.getByRole('link', { name: /^Alerts, \d+ unread$/ });
  await expect(bell).toBeVisible({ timeout: 60_000 });
  await bell.click();
  const alert = page
    .getByRole('list', { name: 'Alerts' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: 'New prompt version refuses more often' }) })
    .filter({ hasText: PROMPT });
  await expect(alert).toContainText('Firing');
  await expect(alert).toContainText(
    'Refusal rate 34% over 80 calls (version 2) against 1.3% over 80 calls (version 1)',
  );
  await screenshot(alert, 'regression-alert');

  // The alert opens the Logs tab on the new version's refusals.
  await alert.getByRole('link', { name: 'Show in Logs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: PROMPT })).toBeVisible();
  await expect(page).toHaveURL(/signal=refusal/);
  await expect(page).toHaveURL(/version=2/);
  await expect(page.getByRole('button', { name: 'Remove filter signal: Refusal' })).toBeVisible();
  const rows = page.getByRole('table', { name: `Executions of ${PROMPT}` }).locator('tbody tr');
  await expect(rows).toHaveCount(27);

  // The comparison: v2 refuses clearly more, and its system prompt gained a sentence.
  await page.getByRole('tab', { name: 'Analytics' }).click();
  const compare = page.getByRole('region', { name: 'Compare versions' });
  await expect(compare.getByLabel('Version A')).toHaveValue('1');
  await expect(compare.getByLabel('Version B')).toHaveValue('2');
  await expect(
    compare
      .getByRole('table')
      .first()
      .getByRole('row', { name: /Refusal rate/ }),
  ).toContainText('worse');
  const diff = compare
    .getByRole('region', { name: 'System prompt', exact: true })
    .getByRole('figure', { name: 'System prompt of v2 against v1' });
  await expect(diff.getByRole('insertion')).toContainText('Never promise a refund.');
  await expect(diff.getByRole('deletion')).toHaveCount(0);
  await diff.scrollIntoViewIfNeeded();
  await screenshot(compare, 'regression-comparison');
});
