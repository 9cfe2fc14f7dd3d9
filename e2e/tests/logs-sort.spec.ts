import { createHash } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { ensureAdmin } from './fixtures/admin';
import { screenshot } from './fixtures/screenshots';

const PROMPT = 'sort-demo';
/** More than one page of the Logs tab (100 rows), so sorting must carry across pages. */
const TIMED = 130;
const PENDING = 3;

// Ids follow declaration order, so if the worker restarts and this setup runs again the server stores nothing twice.
function id(n: number): string {
  const hex = createHash('sha256').update(`logs-sort.spec ${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// Latencies 100–229 ms, each once, in an order unrelated to time (37 and 130 share no factor); pending ones have none.
const executions = Array.from({ length: TIMED + PENDING }, (_, i) => ({
  id: id(i),
  promptId: PROMPT,
  status: i < TIMED ? 'success' : 'pending',
  source: { type: 'api' },
  model: 'gpt-4o-mini',
  startedAt: new Date(Date.now() - (i + 1) * 20_000).toISOString(),
  ...(i < TIMED ? { latencyMs: 100 + ((i * 37) % TIMED), output: 'An answer.' } : {}),
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
const header = (page: Page, name: string) => table(page).getByRole('columnheader', { name });
/** The data row at a 0-based position in the whole list (aria-rowindex counts the header as 1). */
const rowAt = (page: Page, index: number) => table(page).locator(`tr[aria-rowindex="${index + 2}"]`);
const viewsButton = (page: Page) => page.getByRole('button', { name: /^Views/ });
const panel = (page: Page) => page.getByRole('region', { name: 'Saved views' });

test('sorts by latency from the header across pages, picks columns, and keeps both in the URL and a view', async ({
  page,
}) => {
  await ensureAdmin(page.request);
  await page.goto(`/prompts/${PROMPT}`);
  await expect(page.getByRole('heading', { level: 1, name: PROMPT })).toBeVisible();
  await expect(header(page, 'Timestamp')).toHaveAttribute('aria-sort', 'descending');
  await expect(header(page, 'Latency')).toHaveAttribute('aria-sort', 'none');

  // Slowest first, then fastest first, from the header's button.
  await header(page, 'Latency').getByRole('button', { name: 'Latency' }).click();
  await expect(page).toHaveURL(/sort=latency_desc/);
  await expect(header(page, 'Latency')).toHaveAttribute('aria-sort', 'descending');
  await expect(header(page, 'Timestamp')).toHaveAttribute('aria-sort', 'none');
  await expect(rowAt(page, 0)).toContainText('229 ms');
  await expect(rowAt(page, 1)).toContainText('228 ms');
  await expect(
    page.getByText('Sorted by latency, slowest first; new executions are counted, not inserted.'),
  ).toBeVisible();

  const latency = header(page, 'Latency').getByRole('button', { name: 'Latency' });
  await latency.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/sort=latency_asc/);
  await expect(header(page, 'Latency')).toHaveAttribute('aria-sort', 'ascending');
  await expect(rowAt(page, 0)).toContainText('100 ms');
  await expect(table(page)).toHaveAttribute('aria-rowcount', String(1 + 100));

  // The next page continues the order: 199 ms ends the first page, 200 ms starts the second, pending runs come last.
  await rowAt(page, 0).focus();
  await page.keyboard.press('End');
  await expect(rowAt(page, 99)).toContainText('199 ms');
  await expect(table(page)).toHaveAttribute('aria-rowcount', String(1 + TIMED + PENDING));
  await expect(rowAt(page, 100)).toContainText('200 ms');
  await page.keyboard.press('End');
  await expect(rowAt(page, TIMED - 1)).toContainText('229 ms');
  for (let i = TIMED; i < TIMED + PENDING; i++) {
    await expect(rowAt(page, i).getByText('pending')).toBeVisible();
  }
  await screenshot(page, 'logs-sorted-by-latency');

  // The column picker: a labelled group of checkboxes; the URL says which columns show.
  const columnsButton = page.getByRole('button', { name: 'Columns' });
  await columnsButton.click();
  await expect(columnsButton).toHaveAttribute('aria-expanded', 'true');
  const shown = page.getByRole('group', { name: 'Columns shown' });
  await shown.getByRole('checkbox', { name: 'Model' }).uncheck();
  await shown.getByRole('checkbox', { name: 'Source link' }).uncheck();
  await expect(page).toHaveURL(/cols=/);
  await expect(header(page, 'Model')).toHaveCount(0);
  await expect(header(page, 'Source link')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(shown).toBeHidden();
  await expect(columnsButton).toBeFocused();
  await expect(columnsButton).toHaveAccessibleName(/Columns \(2 hidden\)/);

  // A reload keeps the order and the columns.
  await page.reload();
  await expect(header(page, 'Latency')).toHaveAttribute('aria-sort', 'ascending');
  await expect(rowAt(page, 0)).toContainText('100 ms');
  await expect(header(page, 'Model')).toHaveCount(0);
  await expect(header(page, 'Status')).toBeVisible();

  // A saved view keeps them too.
  await viewsButton(page).click();
  await expect(panel(page)).toBeVisible();
  await panel(page).getByRole('button', { name: 'Save view…' }).click();
  const save = page.getByRole('dialog', { name: 'Save view' });
  await save.getByRole('textbox', { name: 'Name' }).fill('Fastest first');
  await save.getByRole('button', { name: 'Save view' }).click();
  await expect(save).toBeHidden();

  await page.goto(`/prompts/${PROMPT}`);
  await expect(header(page, 'Timestamp')).toHaveAttribute('aria-sort', 'descending');
  await expect(header(page, 'Model')).toBeVisible();

  await viewsButton(page).click();
  await panel(page)
    .getByRole('link', { name: /Fastest first/ })
    .click();
  await expect(page).toHaveURL(/sort=latency_asc/);
  await expect(header(page, 'Latency')).toHaveAttribute('aria-sort', 'ascending');
  await expect(rowAt(page, 0)).toContainText('100 ms');
  await expect(header(page, 'Model')).toHaveCount(0);
  await expect(header(page, 'Source link')).toHaveCount(0);
});
