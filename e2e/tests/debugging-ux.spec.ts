import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { adminSession, csrf, ensureAdmin } from './fixtures/admin';
import { idSequence } from './fixtures/executions';

const PROMPT = 'debugging-ux';

// Ids follow declaration order, so if the worker restarts and this setup runs again the server stores nothing twice.
const nextId = idSequence('debugging-ux.spec');

function execution(promptId: string, minutesAgo: number, question: string) {
  return {
    id: nextId(),
    promptId,
    status: 'success',
    source: { type: 'api' },
    model: 'gpt-4o-mini',
    provider: 'openai',
    startedAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
    inputs: { question },
    output: 'An answer.',
  };
}

// Newest first, as the Logs tab lists them.
const rows = [execution(PROMPT, 1, 'First question'), execution(PROMPT, 2, 'Second question')];

async function ingest(request: APIRequestContext, apiKey: string, executions: object[]): Promise<void> {
  const response = await request.post('/api/v1/executions/batch', {
    headers: { authorization: `Bearer ${apiKey}` },
    data: { executions },
  });
  expect(response.ok(), await response.text()).toBe(true);
  const { results } = await response.json();
  expect(results.filter((result: { status: string }) => result.status === 'rejected')).toEqual([]);
}

let apiKey = '';

test.beforeAll(async ({ request }) => {
  apiKey = await ensureAdmin(request);
  await ingest(request, apiKey, [...rows, execution(PROMPT, 3, 'Third question')]);
});

function executionRows(page: Page) {
  // The first row is the header.
  return page.getByRole('table', { name: `Executions of ${PROMPT}` }).getByRole('row');
}

const isEventStream = (url: URL) => url.pathname === '/api/v1/executions/events';
const isExecutionList = (url: URL) => url.pathname === '/api/v1/executions';

test('j and k reach the rows from anywhere on the Logs tab: the first press focuses the first row', async ({
  page,
}) => {
  await ensureAdmin(page.request);
  await page.goto(`/prompts/${PROMPT}`);
  await expect(executionRows(page)).toHaveCount(4);
  await expect(page.getByText('move · ')).toBeVisible();

  await page.keyboard.press('j');
  await expect(executionRows(page).nth(1)).toBeFocused();
  await page.keyboard.press('j');
  await expect(executionRows(page).nth(2)).toBeFocused();
  await page.keyboard.press('k');
  await expect(executionRows(page).nth(1)).toBeFocused();

  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog', { name: 'Execution details' });
  await expect(drawer).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`execution=${rows[0]?.id}`));
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(executionRows(page).nth(1)).toBeFocused();

  // k as the very first press lands on the first row too; typing j in a field stays in the field.
  await page.reload();
  await expect(executionRows(page)).toHaveCount(4);
  await page.keyboard.press('k');
  await expect(executionRows(page).nth(1)).toBeFocused();
  const search = page.getByLabel('Search', { exact: true });
  await search.click();
  await search.press('j');
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('j');
});

test('the live indicator says Reconnecting… while the stream retries and Offline while the list fails', async ({
  page,
}) => {
  await ensureAdmin(page.request);
  let streamDown = true;
  let listDown = false;
  await page.route(isEventStream, (route) => (streamDown ? route.abort('connectionrefused') : route.fallback()));
  await page.route(isExecutionList, (route) => (listDown ? route.abort('connectionrefused') : route.fallback()));
  const live = page.getByRole('status', { name: 'Live updates' });

  await page.goto(`/prompts/${PROMPT}`);
  await expect(executionRows(page)).toHaveCount(4);
  await expect(live).toHaveText('Reconnecting…');

  streamDown = false;
  // EventSource retries on its own, a few seconds apart.
  await expect(live).toHaveText('Live', { timeout: 15_000 });

  // A new filter reads the list again, which cannot reach the server.
  listDown = true;
  await page.getByLabel('Status', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'success' }).check();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/status=success/);
  await expect(live).toHaveText('Offline', { timeout: 15_000 });
  await expect(page.getByRole('alert')).toContainText('Could not load the executions');

  // Nothing to press: the list is read again on its own once the server answers.
  listDown = false;
  await expect(live).toHaveText('Live', { timeout: 15_000 });
  await expect(executionRows(page)).toHaveCount(4);
});

test('a stream a proxy answers with 502 is opened again, and what was logged meanwhile is offered', async ({
  page,
}) => {
  await ensureAdmin(page.request);
  const prompt = 'stream-refused-by-proxy';
  await ingest(page.request, apiKey, [execution(prompt, 2, 'Before the outage')]);
  let refused = true;
  // Not a dropped stream, which EventSource retries by itself: an answer that is not a stream makes it give up.
  await page.route(isEventStream, (route) =>
    refused ? route.fulfill({ status: 502, contentType: 'text/plain', body: 'Bad gateway' }) : route.fallback(),
  );
  const live = page.getByRole('status', { name: 'Live updates' });

  await page.goto(`/prompts/${prompt}`);
  await expect(page.getByRole('table', { name: `Executions of ${prompt}` }).getByRole('row')).toHaveCount(2);
  await expect(live).toHaveText('Reconnecting…');
  await ingest(page.request, apiKey, [execution(prompt, 1, 'During the outage')]);

  refused = false;
  await expect(live).toHaveText('Live', { timeout: 15_000 });
  // The new stream cannot replay what it missed: the list is read again and the execution logged meanwhile offered.
  await page.getByRole('button', { name: /1 new execution/ }).click();
  await expect(page.getByRole('table', { name: `Executions of ${prompt}` }).getByRole('row')).toHaveCount(3);
});

test('an unknown prompt says so, links back to the Prompts page, and turns into the prompt once it is logged', async ({
  page,
}) => {
  await ensureAdmin(page.request);
  await page.goto('/prompts/no-such-thing');
  await expect(page.getByRole('heading', { level: 1, name: 'No such prompt' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No prompt “no-such-thing” in' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Logs' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Back to the Prompts page' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('table', { name: 'Prompts' }).getByRole('link', { name: PROMPT })).toBeVisible();

  const late = 'debugging-ux-late';
  const streamOpen = page.waitForResponse((response) => isEventStream(new URL(response.url())));
  await page.goto(`/prompts/${late}`);
  await expect(page.getByRole('heading', { level: 1, name: 'No such prompt' })).toBeVisible();
  await streamOpen;
  await ingest(page.request, apiKey, [execution(late, 0, 'Late question')]);
  await expect(page.getByRole('heading', { level: 1, name: late })).toBeVisible();
  await expect(page.getByRole('table', { name: `Executions of ${late}` }).getByRole('row')).toHaveCount(2);
});

test('the empty Prompts page shows the first execution as soon as it is logged', async ({ page }) => {
  const { csrfToken } = await adminSession(page.request);
  const response = await page.request.post('/api/v1/projects', {
    headers: csrf(csrfToken),
    data: { name: 'Empty for now' },
  });
  expect(response.status(), await response.text()).toBe(201);
  const { project, apiKey: firstKey } = await response.json();
  try {
    await page.goto(`/?project=${project.id}`);
    await expect(page.getByRole('heading', { name: 'Send your first execution' })).toBeVisible();
    // Shown once the page listens for executions.
    await expect(page.getByRole('status').filter({ hasText: 'Waiting for the first execution' })).toBeVisible();

    await ingest(page.request, firstKey.key, [execution('first-ever', 0, 'Hello')]);
    await expect(page.getByRole('table', { name: 'Prompts' }).getByRole('link', { name: 'first-ever' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Send your first execution' })).toHaveCount(0);
  } finally {
    // Other specs expect the admin in one project.
    await page.request.delete(`/api/v1/projects/${project.id}`, { headers: csrf(csrfToken) });
  }
});
