import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { ensureAdmin, screenshotPath } from './fixtures/admin';

const MODEL = 'acme-support-llm';
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

test.beforeAll(async ({ request }) => {
  const apiKey = await ensureAdmin(request);
  const headers = { authorization: `Bearer ${apiKey}` };
  const response = await request.post('/api/v1/executions/batch', { headers, data: { executions } });
  expect(response.ok(), await response.text()).toBe(true);
  // The list reads the rollups, which fold new executions in the background within seconds.
  await expect
    .poll(
      async () => {
        const models = await (await request.get('/api/v1/models', { headers })).json();
        return models.items?.find((item: { model: string }) => item.model === MODEL)?.calls;
      },
      { timeout: 20_000 },
    )
    .toBe(executions.length);
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
  await page.screenshot({ path: screenshotPath('settings-models-prices'), fullPage: true });

  await row.getByRole('button', { name: `Add price for ${MODEL}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a custom price' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Model', { exact: true })).toHaveValue(MODEL);
  await expect(dialog.getByRole('radio', { name: /^Exact name/ })).toBeChecked();
  await expect(dialog.getByRole('status')).toHaveText('Fill in the prices to see how many executions they re-price.');
  await dialog.getByLabel('Input (USD per 1M tokens)').fill('2');
  await dialog.getByLabel('Output (USD per 1M tokens)').fill('8');
  await expect(dialog.getByRole('status')).toHaveText('Saving re-prices 3 executions.');
  await page.screenshot({ path: screenshotPath('settings-models-prices-dialog'), fullPage: false });
  await dialog.getByRole('button', { name: 'Save price' }).click();

  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Saved the price' })).toHaveText(
    `Saved the price for ${MODEL}: re-priced 3 executions.`,
  );
  await expect(row).toContainText('custom');
  await expect(row).toContainText('$2.00');
  await expect(row).toContainText('$8.00');
  // Two calls of 3,000 input and 1,000 output tokens: 2 × (3,000 × $2 + 1,000 × $8) / 1M; the failed one costs $0.
  await expect(row.getByRole('cell').nth(8)).toHaveText('$0.028', { timeout: 15_000 });
  await expect(
    page.getByRole('table', { name: 'Custom prices' }).getByRole('row').filter({ hasText: MODEL }),
  ).toContainText('exact name');
  await page.screenshot({ path: screenshotPath('settings-models-prices-saved'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: screenshotPath('settings-models-prices-narrow'), fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });

  await page.goto(`/prompts/${PROMPT}`);
  const logs = page.getByRole('table', { name: `Executions of ${PROMPT}` });
  await expect(logs.getByRole('row')).toHaveCount(executions.length + 1);
  await expect(logs.getByRole('row').filter({ hasText: '$0.014' })).toHaveCount(2);
  await expect(logs.getByRole('row').filter({ hasText: '$0.00' })).toHaveCount(1);
  await expect(logs).not.toContainText('unpriced');
});
