import { createHash } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { ensureAdmin } from './fixtures/admin';
import { screenshot } from './fixtures/screenshots';

const PROMPT = 'views-demo';
const ERRORS = 3;

// Ids follow declaration order, so if the worker restarts and this setup runs again the server stores nothing twice.
function id(n: number): string {
  const hex = createHash('sha256').update(`views.spec ${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const executions = Array.from({ length: 8 }, (_, i) => ({
  id: id(i),
  promptId: PROMPT,
  status: i < ERRORS ? 'error' : 'success',
  source: { type: i % 2 ? 'chat' : 'workflow', id: `run-${i}` },
  model: 'gpt-4o-mini',
  provider: 'openai',
  startedAt: new Date(Date.now() - (i + 1) * 60_000).toISOString(),
  inputs: { question: `Question ${i}` },
  ...(i < ERRORS ? { error: { type: 'provider', message: 'Upstream error' } } : { output: 'An answer.' }),
}));

test.beforeAll(async ({ request }) => {
  const apiKey = await ensureAdmin(request);
  const response = await request.post('/api/v1/executions/batch', {
    headers: { authorization: `Bearer ${apiKey}` },
    data: { executions },
  });
  expect(response.ok(), await response.text()).toBe(true);
});

const table = (page: Page) => page.getByRole('table', { name: `Executions of ${PROMPT}` });
const viewsButton = (page: Page) => page.getByRole('button', { name: /^Views/ });
const panel = (page: Page) => page.getByRole('region', { name: 'Saved views' });

async function openViews(page: Page) {
  await viewsButton(page).click();
  await expect(panel(page)).toBeVisible();
  await expect(panel(page).getByText('Loading views…')).toHaveCount(0);
}

test('saves the filters as a view, applies it on the plain page, renames and deletes it', async ({ page }) => {
  await ensureAdmin(page.request);
  await page.goto(`/prompts/${PROMPT}`);
  await expect(page.getByRole('heading', { level: 1, name: PROMPT })).toBeVisible();
  await expect(table(page).getByRole('row')).toHaveCount(1 + executions.length);

  // Filters: errors over the last 30 days.
  await page.getByLabel('Time range').selectOption('30d');
  await page.getByLabel('Status', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'error' }).check();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/status=error/);
  await expect(table(page).getByRole('row')).toHaveCount(1 + ERRORS);

  await openViews(page);
  await expect(panel(page)).toContainText('No saved views yet');
  await panel(page).getByRole('button', { name: 'Save view…' }).click();
  const save = page.getByRole('dialog', { name: 'Save view' });
  await expect(save).toBeVisible();
  const name = save.getByRole('textbox', { name: 'Name' });
  await expect(name).toBeFocused();
  await save.getByRole('button', { name: 'Save view' }).click();
  await expect(name).toHaveAccessibleDescription(/Name the view/);
  await name.fill('Recent errors');
  await screenshot(page, 'views-save');
  await save.getByRole('button', { name: 'Save view' }).click();
  await expect(save).toBeHidden();
  await expect(page).toHaveURL(/view=/);
  await expect(viewsButton(page)).toHaveAccessibleName(/Views: Recent errors/);
  const sharedLink = page.url();

  // The same name for the same prompt is refused beside the field.
  await panel(page).getByRole('button', { name: 'Save view…' }).click();
  await save.getByRole('textbox', { name: 'Name' }).fill('Recent errors');
  await save.getByRole('button', { name: 'Save view' }).click();
  await expect(save.getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription(/already the name of a view/);
  await save.getByRole('button', { name: 'Cancel' }).click();
  await expect(save).toBeHidden();

  // The plain page: no filters, every execution.
  await page.goto(`/prompts/${PROMPT}`);
  await expect(table(page).getByRole('row')).toHaveCount(1 + executions.length);
  await expect(page.getByLabel('Time range')).toHaveValue('7d');
  await expect(viewsButton(page)).toHaveAccessibleName(/^Views$/);

  // Opened from the keyboard, the list takes the focus; Escape gives it back.
  await viewsButton(page).focus();
  await page.keyboard.press('Enter');
  const link = panel(page).getByRole('link', { name: /Recent errors/ });
  await expect(link).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(panel(page)).toBeHidden();
  await expect(viewsButton(page)).toBeFocused();

  await openViews(page);
  await screenshot(page, 'views-menu');
  await panel(page)
    .getByRole('link', { name: /Recent errors/ })
    .click();
  await expect(page).toHaveURL(/status=error/);
  await expect(page).toHaveURL(/range=30d/);
  await expect(page.getByLabel('Time range')).toHaveValue('30d');
  await expect(table(page).getByRole('row')).toHaveCount(1 + ERRORS);
  await expect(viewsButton(page)).toHaveAccessibleName(/Views: Recent errors/);

  // Rename.
  await openViews(page);
  await panel(page).getByRole('button', { name: 'Rename Recent errors' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename “Recent errors”' });
  await rename.getByRole('textbox', { name: 'Name' }).fill('Failures this month');
  await rename.getByRole('button', { name: 'Rename view' }).click();
  await expect(rename).toBeHidden();
  await expect(viewsButton(page)).toHaveAccessibleName(/Views: Failures this month/);

  // Delete, after a confirmation.
  await panel(page).getByRole('button', { name: 'Delete Failures this month' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete “Failures this month”?' });
  await confirm.getByRole('button', { name: 'Delete view' }).click();
  await expect(confirm).toBeHidden();
  await expect(page).not.toHaveURL(/view=/);
  await expect(panel(page)).toContainText('No saved views yet');
  await expect(viewsButton(page)).toBeFocused();

  // A link to the deleted view says so and keeps its filters.
  await page.goto(sharedLink);
  await expect(page.getByRole('status').filter({ hasText: 'The view in this link was deleted' })).toBeVisible();
  await expect(page.getByLabel('Time range')).toHaveValue('30d');
  await expect(table(page).getByRole('row')).toHaveCount(1 + ERRORS);
});
