import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { ensureAdmin } from './fixtures/admin';
import { idSequence, ingestForAnalytics } from './fixtures/executions';
import { screenshot } from './fixtures/screenshots';

// Names no other spec uses: the admin's one project holds every spec's prompts, and the search finds these.
const BUSY = 'ledger-summary';
const PRICEY = 'ledger-classifier';
const STALE = 'ledger-archive';
const HOUR_MS = 3_600_000;

// Ids follow declaration order, so if the worker restarts and this setup runs again the server stores nothing twice.
const nextId = idSequence('prompts-page.spec');

function execution(promptId: string, agoMs: number, fields: Record<string, unknown> = {}) {
  return {
    id: nextId(),
    promptId,
    status: 'success',
    source: { type: 'api' },
    model: 'gpt-4o-mini',
    provider: 'openai',
    startedAt: new Date(Date.now() - agoMs).toISOString(),
    latencyMs: 100,
    ...fields,
  };
}

const executions = [
  execution(BUSY, 60_000, { costUsd: '0.5' }),
  execution(BUSY, 2 * 60_000, { costUsd: '0.5' }),
  execution(BUSY, 3 * 60_000, { costUsd: '0.5', status: 'error', error: { type: 'timeout', message: 'slow' } }),
  execution(PRICEY, 5 * 60_000, { costUsd: '2.25', latencyMs: 2000 }),
  // Its last run is older than the 24 hours the figures cover.
  execution(STALE, 30 * HOUR_MS, { costUsd: '9' }),
];

async function ingest(request: APIRequestContext, apiKey: string): Promise<void> {
  const response = await request.post('/api/v1/executions/batch', {
    headers: { authorization: `Bearer ${apiKey}` },
    data: { executions },
  });
  expect(response.ok(), await response.text()).toBe(true);
  const { results } = await response.json();
  expect(results.filter((result: { status: string }) => result.status === 'rejected')).toEqual([]);
}

test.beforeAll(async ({ request }) => {
  await ingest(request, await ensureAdmin(request));
});

test.beforeEach(async ({ page }) => {
  await ensureAdmin(page.request);
});

function promptsTable(page: Page) {
  return page.getByRole('table', { name: 'Prompts' });
}

function rowOf(page: Page, promptId: string) {
  return promptsTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: promptId, exact: true }) });
}

/** The prompt links in the order the table shows them. */
function promptLinks(page: Page) {
  return promptsTable(page).getByRole('link');
}

test('searches by prompt id as you type, shows 24-hour cost, p95 and runs per hour, and sorts by any figure', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1360, height: 900 });
  await page.goto('/');
  await expect(promptsTable(page)).toBeVisible();

  await page.getByLabel('Search prompts').fill('LEDGER');
  await expect(page).toHaveURL(/[?&]q=LEDGER/);
  await expect(promptLinks(page)).toHaveCount(3);
  await expect(page.getByRole('status').filter({ hasText: /^3 of \d+ prompts$/ })).toBeVisible();

  const busy = rowOf(page, BUSY);
  await expect(busy).toContainText('$1.50');
  await expect(busy).toContainText('33%');
  await expect(busy.getByRole('img', { name: /^Runs per hour over the last 24 hours: 3 runs in total/ })).toBeVisible();
  await expect(rowOf(page, PRICEY)).toContainText('$2.25');
  // 2 s, read from the latency histogram at its bucket's middle (within 5%).
  await expect(rowOf(page, PRICEY).getByRole('cell').nth(6)).toHaveText(/^(1\.9\d|2\.0\d) s$/);
  const stale = rowOf(page, STALE);
  await expect(stale.getByRole('img', { name: 'Runs per hour over the last 24 hours: none' })).toBeVisible();
  await expect(stale.getByRole('cell').nth(5)).toHaveText('—');
  await screenshot(page, 'prompts-page-search', { fullPage: true });

  const cost = promptsTable(page).getByRole('columnheader', { name: 'Cost (24h)' });
  await cost.getByRole('button').click();
  await expect(page).toHaveURL(/[?&]sort=cost/);
  await expect(cost).toHaveAttribute('aria-sort', 'descending');
  await expect(promptLinks(page)).toHaveText([PRICEY, BUSY, STALE]);

  await cost.getByRole('button').click();
  await expect(cost).toHaveAttribute('aria-sort', 'ascending');
  // Without a cost in the window it stays last, whichever the direction.
  await expect(promptLinks(page)).toHaveText([BUSY, PRICEY, STALE]);
  await expect(promptsTable(page).getByRole('columnheader', { name: 'Last run' })).not.toHaveAttribute('aria-sort');

  // The URL holds the view: a reload shows the same list.
  await page.reload();
  await expect(page.getByLabel('Search prompts')).toHaveValue('LEDGER');
  await expect(cost).toHaveAttribute('aria-sort', 'ascending');
  await expect(promptLinks(page)).toHaveText([BUSY, PRICEY, STALE]);

  // The headers are buttons for the keyboard too.
  const name = promptsTable(page).getByRole('columnheader', { name: 'Prompt' });
  await name.getByRole('button').focus();
  await page.keyboard.press('Enter');
  await expect(name).toHaveAttribute('aria-sort', 'ascending');
  await expect(cost).not.toHaveAttribute('aria-sort');
  await expect(promptLinks(page)).toHaveText([STALE, PRICEY, BUSY]);
  const p95 = promptsTable(page).getByRole('columnheader', { name: 'p95 latency (24h)' });
  await p95.getByRole('button').click();
  await expect(p95).toHaveAttribute('aria-sort', 'descending');
  await expect(promptLinks(page)).toHaveText([PRICEY, BUSY, STALE]);
});

test('a search that matches nothing says so and clears back to the list', async ({ page }) => {
  await page.goto('/?q=ledger');
  await expect(promptLinks(page)).toHaveCount(3);

  const search = page.getByLabel('Search prompts');
  await search.fill('ledger-nothing-like-this');
  await expect(page.getByText('No prompt matches “ledger-nothing-like-this”.')).toBeVisible();
  await expect(promptsTable(page)).toHaveCount(0);

  await page.getByRole('button', { name: 'Clear search' }).click();
  await expect(search).toHaveValue('');
  await expect(search).toBeFocused();
  await expect(page).not.toHaveURL(/[?&]q=/);
  await expect(rowOf(page, BUSY)).toBeVisible();

  // Typing again narrows the list once typing pauses.
  await search.pressSequentially('ledger-sum');
  await expect(promptLinks(page)).toHaveText([BUSY]);
  await expect(page).toHaveURL(/[?&]q=ledger-sum/);
});

test('opening a prompt from a searched and sorted list leads to its page', async ({ page }) => {
  await page.goto('/?q=ledger&sort=runs');
  await expect(promptLinks(page).first()).toHaveText(BUSY);
  await promptLinks(page).first().click();
  await expect(page.getByRole('heading', { level: 1, name: BUSY })).toBeVisible();
  await expect(page).not.toHaveURL(/[?&](q|sort)=/);
  // Its header sums up the same 24 hours as the list: runs, errors, exact cost and p95 latency.
  const figures = page.getByText(/runs in 24 h/);
  await expect(figures).toContainText('3 runs in 24 h');
  await expect(figures).toContainText('$1.50');
  await expect(figures).toHaveText(/p95 \d+ ms/);
});

test('a prompt first logged while the list is open appears on it without a reload', async ({ page }) => {
  const LATE = 'late-arrival-digest';
  await page.clock.install();
  await page.goto('/');
  await expect(rowOf(page, BUSY)).toBeVisible();
  await expect(rowOf(page, LATE)).toHaveCount(0);

  const apiKey = await ensureAdmin(page.request);
  const from = new Date(Date.now() - HOUR_MS).toISOString();
  await ingestForAnalytics(page.request, apiKey, {
    executions: [execution(LATE, 1_000)],
    promptId: LATE,
    from,
    calls: 1,
  });
  // The list reads its figures again every 30 seconds while it is shown.
  await page.clock.fastForward('00:31');
  await expect(rowOf(page, LATE)).toBeVisible();
});
