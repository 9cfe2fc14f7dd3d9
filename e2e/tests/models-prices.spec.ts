import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { ensureAdmin } from './fixtures/admin';
import { screenshot } from './fixtures/screenshots';

const MODEL = 'acme-support-llm';
const THINKING_MODEL = 'acme-thinking-llm';
const PROMPT = 'pricing-check';
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

// Fixed ids, so if the worker restarts and this setup runs again the server stores nothing twice.
function id(n: number): string {
  const hex = createHash('sha256').update(`models-prices.spec ${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const call = { promptId: PROMPT, source: { type: 'api' }, model: MODEL, provider: 'acme' };
const executions = [
  {
    ...call,
    id: id(1),
    status: 'success',
    startedAt: minutesAgo(30),
    usage: { inputTokens: 3000, outputTokens: 1000 },
  },
  {
    ...call,
    id: id(2),
    status: 'success',
    startedAt: minutesAgo(20),
    usage: { inputTokens: 3000, outputTokens: 1000 },
  },
  // Failed before any token was used: unpriced while the model has no price, $0 once it has one.
  {
    ...call,
    id: id(3),
    status: 'error',
    startedAt: minutesAgo(10),
    error: { type: 'rate_limit', message: 'Too many requests' },
  },
];
// 1,000 of the output tokens are reasoning: priced at a reasoning rate once a price sets one.
const thinking = {
  ...call,
  promptId: `${PROMPT}-reasoning`,
  model: THINKING_MODEL,
  id: id(4),
  status: 'success',
  startedAt: minutesAgo(5),
  usage: { inputTokens: 1000, outputTokens: 1500, reasoningTokens: 1000 },
};

test.beforeAll(async ({ request }) => {
  const apiKey = await ensureAdmin(request);
  const headers = { authorization: `Bearer ${apiKey}` };
  const response = await request.post('/api/v1/executions/batch', {
    headers,
    data: { executions: [...executions, thinking] },
  });
  expect(response.ok(), await response.text()).toBe(true);
  // The list reads the rollups, which fold new executions in the background within seconds.
  await expect
    .poll(
      async () => {
        const models = await (await request.get('/api/v1/models', { headers })).json();
        const calls = (name: string) => models.items?.find((item: { model: string }) => item.model === name)?.calls;
        return [calls(MODEL), calls(THINKING_MODEL)];
      },
      { timeout: 20_000 },
    )
    .toEqual([executions.length, 1]);
});

test('an admin prices an unpriced model in the dialog, sees what it re-prices, and the costs change', async ({
  page,
}) => {
  await ensureAdmin(page.request);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('tab', { name: 'Models & prices' }).click();
  await expect(page).toHaveURL(/tab=models/);

  const models = page.getByRole('table', { name: 'Models' });
  const row = models.getByRole('row').filter({ hasText: MODEL });
  await expect(row).toContainText('unpriced');
  await expect(row.getByRole('cell').nth(7)).toHaveText('3');
  await screenshot(page, 'settings-models-prices', { fullPage: true });

  await row.getByRole('button', { name: `Add price for ${MODEL}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a custom price' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Model', { exact: true })).toHaveValue(MODEL);
  await expect(dialog.getByRole('radio', { name: /^Exact name/ })).toBeChecked();
  await expect(dialog.getByRole('status')).toHaveText('Fill in the prices to see how many executions they re-price.');
  await dialog.getByLabel('Input (USD per 1M tokens)').fill('2');
  await dialog.getByLabel('Output (USD per 1M tokens)').fill('8');
  await expect(dialog.getByRole('status')).toHaveText('Saving re-prices 3 executions.');
  await screenshot(page, 'settings-models-prices-dialog');
  await dialog.getByRole('button', { name: 'Save price' }).click();

  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Saved the price' })).toHaveText(
    `Saved the price for ${MODEL}.`,
  );
  // The re-pricing runs in the background; its progress bar fills as it walks, and it says what it changed.
  const progress = page.getByRole('progressbar', { name: `Re-pricing ${MODEL}` });
  await expect(progress).toHaveAttribute('aria-valuenow', '3', { timeout: 15_000 });
  await expect(progress).toHaveAttribute('aria-valuemax', '3');
  await expect(page.getByRole('list', { name: 'Re-pricing' }).getByRole('status')).toHaveText('Re-priced 3 executions');
  await expect(row).toContainText('custom');
  await expect(row).toContainText('$2.00');
  await expect(row).toContainText('$8.00');
  // Two calls of 3,000 input and 1,000 output tokens: 2 × (3,000 × $2 + 1,000 × $8) / 1M; the failed one costs $0.
  await expect(row.getByRole('cell').nth(8)).toHaveText('$0.028', { timeout: 15_000 });
  const saved = page.getByRole('table', { name: 'Custom prices' }).getByRole('row').filter({ hasText: MODEL });
  await expect(saved).toContainText('exact name');
  await expect(saved).toContainText('as output');
  await screenshot(page, 'settings-models-prices-saved', { fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'settings-models-prices-narrow', { fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });

  await page.goto(`/prompts/${PROMPT}`);
  const logs = page.getByRole('table', { name: `Executions of ${PROMPT}` });
  await expect(logs.getByRole('row')).toHaveCount(executions.length + 1);
  await expect(logs.getByRole('row').filter({ hasText: '$0.014' })).toHaveCount(2);
  await expect(logs.getByRole('row').filter({ hasText: '$0.00' })).toHaveCount(1);
  await expect(logs).not.toContainText('unpriced');
});

test('a reasoning price bills reasoning tokens at their own rate, the rest of the output at the output rate', async ({
  page,
}) => {
  await ensureAdmin(page.request);
  await page.goto('/settings?tab=models');
  const row = page.getByRole('table', { name: 'Models' }).getByRole('row').filter({ hasText: THINKING_MODEL });
  await expect(row).toContainText('unpriced');

  await row.getByRole('button', { name: `Add price for ${THINKING_MODEL}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a custom price' });
  await dialog.getByLabel('Input (USD per 1M tokens)').fill('1');
  await dialog.getByLabel('Output (USD per 1M tokens)').fill('4');
  const reasoning = dialog.getByLabel('Reasoning, per million tokens');
  await expect(reasoning).toHaveAccessibleDescription(/Blank: billed as output/);
  await reasoning.fill('10');
  await expect(dialog.getByRole('status')).toHaveText('Saving re-prices 1 execution.');
  await dialog.getByRole('button', { name: 'Save price' }).click();
  await expect(dialog).toHaveCount(0);

  const progress = page.getByRole('progressbar', { name: `Re-pricing ${THINKING_MODEL}` });
  await expect(progress).toHaveAttribute('aria-valuenow', '1', { timeout: 15_000 });
  await expect(progress).toHaveAccessibleName(`Re-pricing ${THINKING_MODEL}`);
  await expect(page.getByRole('list', { name: 'Re-pricing' }).getByRole('status').last()).toHaveText(
    'Re-priced 1 execution',
  );
  // 1,000 × $1 + 500 × $4 + 1,000 reasoning × $10 = 13,000 per million; as output alone it would be $0.007.
  await expect(row.getByRole('cell').nth(8)).toHaveText('$0.013', { timeout: 15_000 });
  await expect(row).toContainText('$10.00');
  // The custom price lists its reasoning rate too; a price without one says it bills reasoning as output.
  const prices = page.getByRole('table', { name: 'Custom prices' });
  const headers = await prices.getByRole('columnheader').allTextContents();
  const reasoningIndex = headers.findIndex((header) => /reasoning/i.test(header));
  expect(reasoningIndex).toBeGreaterThan(0);
  await expect(
    prices.getByRole('row').filter({ hasText: THINKING_MODEL }).getByRole('cell').nth(reasoningIndex),
  ).toHaveText('$10.00');

  await row.getByRole('button', { name: `Edit price for ${THINKING_MODEL}` }).click();
  await expect(
    page.getByRole('dialog', { name: 'Edit custom price' }).getByLabel('Reasoning, per million tokens'),
  ).toHaveValue('10');
});
