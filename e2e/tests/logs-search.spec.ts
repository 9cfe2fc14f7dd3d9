import { createHash } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { ensureAdmin } from './fixtures/admin';
import { screenshot } from './fixtures/screenshots';

const PROMPT = 'search-assistant';
const LONG_MODEL = 'ft:gpt-4o-mini-2024-07-18:acme-corporation:customer-support-assistant-v7:9xYzAbCdEf';
const LONG_RUN = 'nightly-customer-support-evaluation-run-2026-11-30-region-eu-west-1042';
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

// Ids follow declaration order, so if the worker restarts and this setup runs again the server stores nothing twice.
let created = 0;
function execution(minutes: number, question: string, fields: Record<string, unknown> = {}) {
  created += 1;
  const hex = createHash('sha256').update(`logs-search.spec ${created}`).digest('hex');
  return {
    id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`,
    promptId: PROMPT,
    promptVersion: 1,
    status: 'success',
    source: { type: 'chat', id: `chat-${created}` },
    model: 'gpt-4o-mini',
    provider: 'openai',
    startedAt: minutesAgo(minutes),
    latencyMs: 500,
    inputs: { question },
    output: 'An answer.',
    ...fields,
  };
}

const executions = [
  execution(5, 'I want a refund for order 7'),
  execution(10, 'What is your refund policy?'),
  execution(15, 'When does shipping start?', { model: 'claude-haiku-4-5', provider: 'anthropic' }),
  execution(20, 'Where is my parcel?', {
    model: LONG_MODEL,
    source: { type: 'workflow', id: LONG_RUN, url: 'https://workflows.example.com/runs/1042' },
  }),
  // Older than the default seven days: in the rollups, which the Model field's suggestions read, not in the rows shown.
  execution(20 * 24 * 60, 'An old question', {
    model: 'archived-model-x',
    provider: 'in-house',
    tags: ['archived-batch', 'Arctic'],
  }),
];

let apiKey = '';

test.beforeAll(async ({ request }) => {
  apiKey = await ensureAdmin(request);
  const response = await request.post('/api/v1/executions/batch', {
    headers: { authorization: `Bearer ${apiKey}` },
    data: { executions },
  });
  expect(response.ok(), await response.text()).toBe(true);
});

function executionsTable(page: Page) {
  return page.getByRole('table', { name: `Executions of ${PROMPT}` });
}

async function openLogs(page: Page, search = ''): Promise<void> {
  await ensureAdmin(page.request);
  await page.goto(`/prompts/${PROMPT}${search}`);
  await expect(executionsTable(page).getByRole('row').nth(1)).toBeVisible();
}

test('searches as you type, at once on Enter, with one history entry and its state in words', async ({ page }) => {
  await page.clock.install();
  await openLogs(page);
  await expect(executionsTable(page).getByRole('row')).toHaveCount(5);
  const search = page.getByRole('searchbox', { name: 'Search', exact: true });
  const status = page.getByRole('status').filter({ hasText: /Search/ });

  // With the page's clock paused no pause in typing can end, so nothing is searched yet.
  await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1_000));
  await search.pressSequentially('refund');
  await expect(page).not.toHaveURL(/q=/);
  await page.clock.resume();
  await expect(page).toHaveURL(/q=refund/);
  await expect(executionsTable(page).getByRole('row')).toHaveCount(3);
  await expect(status).toHaveText(/^Searched at \d\d:\d\d:\d\d: 2 matches in the whole time range$/);

  // Enter does not wait for the pause.
  await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1_000));
  await search.pressSequentially(' policy');
  await search.press('Enter');
  await expect(page).toHaveURL(/q=refund\+policy/);
  await page.clock.resume();
  await expect(executionsTable(page).getByRole('row')).toHaveCount(2);
  await expect(status).toHaveText(/1 match in the whole time range/);

  // The whole run of typing was one entry: Back leaves the search and the box follows.
  await page.goBack();
  await expect(page).not.toHaveURL(/q=/);
  await expect(search).toHaveValue('');
  await expect(executionsTable(page).getByRole('row')).toHaveCount(5);
});

test('says a search is running, with the last rows kept, until it answers', async ({ page }) => {
  await openLogs(page, '?q=refund');
  await expect(executionsTable(page).getByRole('row')).toHaveCount(3);
  let release = () => {};
  const answered = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(
    (url) => url.pathname === '/api/v1/executions' && url.searchParams.get('q') === 'shipping',
    async (route) => {
      await answered;
      await route.continue();
    },
  );

  const search = page.getByRole('searchbox', { name: 'Search', exact: true });
  await search.fill('shipping');
  await search.press('Enter');
  const status = page.getByRole('status').filter({ hasText: /Search/ });
  await expect(status).toHaveText('Searching for “shipping”…');
  await expect(executionsTable(page).getByRole('row')).toHaveCount(3);
  await screenshot(page, 'logs-search-running');

  release();
  await expect(status).toHaveText(/^Searched at \d\d:\d\d:\d\d: 1 match in the whole time range$/);
  await expect(executionsTable(page).getByRole('row')).toHaveCount(2);
  await expect(executionsTable(page).getByRole('row').nth(1)).toContainText('claude-haiku-4-5');
});

test('the Model field offers the models the prompt has seen, from the rollups', async ({ page, request }) => {
  // The rollups are folded every second: wait for the old model to be there before the page asks.
  await expect
    .poll(async () => {
      const response = await request.get(`/api/v1/suggestions?field=model&promptId=${PROMPT}&prefix=arch`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      return (await response.json()).items?.map((item: { value: string }) => item.value);
    })
    .toEqual(['archived-model-x']);

  await openLogs(page);
  const model = page.getByRole('combobox', { name: 'Model', exact: true });
  await model.fill('ARCH');
  const listId = await model.getAttribute('list');
  const options = page.locator(`datalist[id="${listId}"] > option`);
  await expect(options).toHaveCount(1);
  await expect(options).toHaveAttribute('value', 'archived-model-x');

  await model.fill('archived-model-x');
  await model.press('Enter');
  await expect(page).toHaveURL(/model=archived-model-x/);
  await expect(page.getByRole('button', { name: 'Remove filter model: archived-model-x' })).toBeVisible();
  await expect(model).toHaveValue('');
});

test('the Tag field offers the tags the prompt has seen, the most recent first', async ({ page }) => {
  await openLogs(page);
  const tag = page.getByRole('combobox', { name: 'Tag', exact: true });
  await tag.fill('ar');
  const options = page.locator(`datalist[id="${await tag.getAttribute('list')}"] > option`);
  await expect(options).toHaveCount(2);
  await expect(options.nth(0)).toHaveAttribute('value', 'archived-batch');
  await expect(options.nth(1)).toHaveAttribute('value', 'Arctic');

  await tag.fill('Arctic');
  await tag.press('Enter');
  await expect(page).toHaveURL(/tag=Arctic/);
  await expect(page.getByRole('button', { name: 'Remove filter tag: Arctic' })).toBeVisible();
});

test('long models and source links end with an ellipsis and show whole on hover and keyboard focus', async ({
  page,
}) => {
  await openLogs(page);
  // The rows, newest first: two refund questions, the shipping one, then the one with the long values.
  const row = executionsTable(page).getByRole('row').nth(4);
  const modelButton = row.getByRole('button', { name: `Filter by model: ${LONG_MODEL}` });
  const sourceLink = row.getByRole('link', { name: `${LONG_RUN} — open the workflow source in a new tab` });
  await expect(modelButton).toBeVisible();
  await expect(sourceLink).toBeVisible();
  const clipped = (locator: ReturnType<Page['locator']>) =>
    locator.locator('.clip__text').evaluate((element) => element.scrollWidth > element.clientWidth);
  expect(await clipped(modelButton)).toBe(true);
  expect(await clipped(sourceLink)).toBe(true);

  const modelFull = row.locator('.clip__full').filter({ hasText: LONG_MODEL });
  const sourceFull = row.locator('.clip__full').filter({ hasText: LONG_RUN });
  await expect(modelFull).toBeHidden();

  await sourceLink.hover();
  await expect(sourceFull).toBeVisible();
  await expect(sourceFull).toHaveText(LONG_RUN);

  // From the keyboard: j reaches the rows, the arrows move to the fourth, Tab goes through the values in it.
  await page.mouse.move(0, 0);
  await page.keyboard.press('j');
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowDown');
  await expect(row).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(modelButton).toBeFocused();
  await expect(modelFull).toBeVisible();
  await expect(modelFull).toHaveText(LONG_MODEL);
  const shown = await modelFull.boundingBox();
  const cell = await row.getByRole('cell').nth(2).boundingBox();
  expect(shown && cell && shown.width > cell.width).toBe(true);
  await screenshot(page, 'logs-long-values');
});

test('on a touch screen a tap on a row opens it, and its values filter only from the open row', async ({ browser }) => {
  const context = await browser.newContext({ hasTouch: true });
  const page = await context.newPage();
  try {
    await openLogs(page);
    const row = executionsTable(page).getByRole('row').filter({ hasText: 'claude-haiku-4-5' });
    const drawer = page.getByRole('dialog', { name: 'Execution details' });

    await row.getByRole('button', { name: 'Filter by model: claude-haiku-4-5' }).tap();
    await expect(drawer).toBeVisible();
    await expect(page).toHaveURL(/execution=/);
    await expect(page).not.toHaveURL(/model=/);

    await drawer.getByRole('button', { name: 'Filter by model: claude-haiku-4-5' }).tap();
    await expect(page).toHaveURL(/model=claude-haiku-4-5/);
    await drawer.getByRole('button', { name: 'Close details' }).tap();
    await expect(drawer).toBeHidden();
    await page.getByRole('button', { name: 'Remove filter model: claude-haiku-4-5' }).tap();
    await expect(page).not.toHaveURL(/model=/);

    // A source link in a row opens the row too, not the link.
    const longRow = executionsTable(page)
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: /nightly/ }) });
    await longRow.getByRole('link', { name: /nightly/ }).tap();
    await expect(drawer).toBeVisible();
    expect(context.pages()).toHaveLength(1);
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();

    // A mouse click is deliberate already: it filters at once.
    await row.getByRole('button', { name: 'Filter by source: chat' }).click();
    await expect(page).toHaveURL(/source=chat/);
    await expect(drawer).toBeHidden();
  } finally {
    await context.close();
  }
});
