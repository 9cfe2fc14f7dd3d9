import { createHash } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { ensureAdmin } from './fixtures/admin';
import { screenshot } from './fixtures/screenshots';

const PROMPT = 'signals-demo';

// Fixed ids: if the worker restarts and this setup runs again, the server stores nothing twice.
function id(name: string): string {
  const hex = createHash('sha256').update(`signals.spec ${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

const base = { promptId: PROMPT, status: 'success', source: { type: 'api' }, model: 'gpt-4o-mini' };
const refusal = {
  ...base,
  id: id('refusal'),
  startedAt: minutesAgo(3),
  output: "I'm sorry, but I can't help with that.",
};
const truncated = {
  ...base,
  id: id('truncated'),
  startedAt: minutesAgo(2),
  output: { choices: [{ message: { content: 'The three steps are: first, open the' }, finish_reason: 'length' }] },
};
const normal = {
  ...base,
  id: id('normal'),
  startedAt: minutesAgo(1),
  output: 'Your order 4111111111111111 ships on Monday.',
};

test.beforeAll(async ({ request }) => {
  const apiKey = await ensureAdmin(request);
  const response = await request.post('/api/v1/executions/batch', {
    headers: { authorization: `Bearer ${apiKey}` },
    data: { executions: [refusal, truncated, normal] },
  });
  expect(response.ok(), await response.text()).toBe(true);
});

const table = (page: Page) => page.getByRole('table', { name: `Executions of ${PROMPT}` });
const dataRows = (page: Page) => table(page).locator('tbody tr');

test('shows signal chips, filters by signal from the URL-backed filter and shows the signals in the drawer', async ({
  page,
}) => {
  await ensureAdmin(page.request);
  await page.goto(`/prompts/${PROMPT}`);
  await expect(page.getByRole('heading', { level: 1, name: PROMPT })).toBeVisible();
  await expect(table(page).getByRole('columnheader', { name: 'Signals' })).toBeVisible();
  await expect(dataRows(page)).toHaveCount(3);
  await expect(table(page).getByRole('button', { name: 'Filter by signal: Refusal' })).toBeVisible();
  await expect(table(page).getByRole('button', { name: 'Filter by signal: Truncated' })).toBeVisible();
  await screenshot(page, 'logs-signals');

  await page.getByLabel('Signal', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'Refusal' }).check();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/signal=refusal/);
  await expect(dataRows(page)).toHaveCount(1);
  await expect(dataRows(page)).toContainText('Refusal');

  // Several signals: any of them.
  await page.getByLabel('Signal', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'Truncated' }).check();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/signal=truncated/);
  await expect(dataRows(page)).toHaveCount(2);

  // The URL alone restores the filter.
  await page.goto(`/prompts/${PROMPT}?signal=truncated`);
  await expect(dataRows(page)).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Remove filter signal: Truncated' })).toBeVisible();

  await page.goto(`/prompts/${PROMPT}?execution=${truncated.id}`);
  const drawer = page.getByRole('dialog', { name: 'Execution details' });
  await expect(drawer).toBeVisible();
  const signals = drawer.getByRole('list', { name: 'Signals' });
  await expect(signals).toContainText('Truncated');
  await expect(drawer.getByText('Finish reason')).toBeVisible();
  await expect(drawer).toContainText('length');
  await expect(drawer).toContainText('36 characters');
  await screenshot(drawer.getByRole('region', { name: 'Metadata' }), 'drawer-signals');

  // Removing the chip filter from the list goes back to every execution.
  await page.goto(`/prompts/${PROMPT}?signal=truncated`);
  await page.getByRole('button', { name: 'Remove filter signal: Truncated' }).click();
  await expect(page).not.toHaveURL(/signal=/);
  await expect(dataRows(page)).toHaveCount(3);
});
