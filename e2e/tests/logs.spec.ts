import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { ensureAdmin } from './fixtures/admin';
import { idSequence } from './fixtures/executions';
import { screenshot } from './fixtures/screenshots';

const PROMPT = 'checkout-assistant';
const SCRIPT = '<img src=x onerror=alert(1)>';
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

type Execution = Record<string, unknown> & { id: string };

// Ids follow declaration order, so if the worker restarts and this setup runs again the server stores nothing twice.
const nextId = idSequence('logs.spec');

function execution(minutes: number, fields: Record<string, unknown> = {}): Execution {
  return {
    id: nextId(),
    promptId: PROMPT,
    promptVersion: 1,
    status: 'success',
    source: { type: 'chat', id: `chat-${minutes}` },
    model: 'gpt-4o-mini',
    provider: 'openai',
    startedAt: minutesAgo(minutes),
    latencyMs: Math.round(400 + minutes * 7),
    inputs: { question: `Question asked ${minutes} minutes ago` },
    output: 'An answer.',
    usage: { inputTokens: Math.round(120 + minutes), outputTokens: 40 },
    ...fields,
  };
}

// Workflow run wf-run-1042 on version 2: the answer the test opens, with everything a record can hold.
const target = execution(10, {
  promptVersion: 2,
  source: { type: 'workflow', id: 'wf-run-1042', url: 'https://workflows.example.com/runs/1042' },
  inputs: {
    question: 'Where is order 1042?',
    customer: 'Ada Lovelace',
    invoice: { type: 'file', name: 'invoice-1042.pdf', mimeType: 'application/pdf', sizeBytes: 245_760 },
    history: Array.from({ length: 40 }, (_, i) => `Line ${i + 1} of a long conversation history.`).join('\n'),
  },
  request: {
    systemPrompt: 'You are a helpful checkout assistant.',
    messages: [
      { role: 'user', content: 'Where is order 1042?' },
      { role: 'assistant', content: 'Let me check.' },
    ],
    parameters: { temperature: 0.2, max_tokens: 512 },
  },
  output:
    '## Order 1042\n\nYour order **ships tomorrow**.\n\n- Carrier: DHL\n- Tracking: [track it](https://example.com/t/1042)',
  usage: { inputTokens: 1200, outputTokens: 85, cacheReadTokens: 1000, reasoningTokens: 20 },
  costUsd: '0.00024',
  timeToFirstTokenMs: 180,
  user: { email: 'ada@example.com' },
  accessKey: 'checkout-prod',
  requestId: 'req_1042',
  environment: 'production',
  tags: ['beta', 'eu'],
  metadata: { region: 'eu-west', customerTier: 'gold' },
  thinking: 'The user asks about shipping; look up the order first.',
  toolCalls: [
    {
      round: 1,
      name: 'lookup_order',
      arguments: { orderId: 1042 },
      result: { status: 'packed', ships: 'tomorrow' },
      latencyMs: 95,
    },
  ],
  location: { node: 'answer', field: 'reply' },
  generation: 0,
});
const targetRegeneration = execution(9.5, {
  promptVersion: 2,
  source: { type: 'workflow', id: 'wf-run-1042', url: 'https://workflows.example.com/runs/1042' },
  inputs: { question: 'Where is order 1042?' },
  output: 'It ships tomorrow (regenerated).',
  location: { node: 'answer', field: 'reply' },
  generation: 1,
  triggeredBy: 'user',
});
// The next run tried a fallback model for its answer step, which failed too: execution stopped there.
const next = execution(20, {
  promptVersion: 2,
  status: 'error',
  source: { type: 'workflow', id: 'wf-run-1043' },
  model: 'claude-sonnet-4-5',
  provider: 'anthropic',
  inputs: { question: 'Can I change my address?' },
  output: undefined,
  error: { type: 'timeout', message: 'The provider did not answer within 30 s', code: 'ETIMEDOUT' },
  attempt: 2,
  trace: { traceId: 'trace-1043', stepIndex: 1, stepType: 'llm' },
});
const traceSteps = [
  execution(20.3, {
    promptId: 'order-retrieval',
    source: { type: 'workflow', id: 'wf-run-1043' },
    model: 'text-embedding-3-small',
    trace: { traceId: 'trace-1043', stepIndex: 0, stepType: 'retrieval' },
  }),
  execution(20.2, {
    status: 'error',
    promptVersion: 2,
    source: { type: 'workflow', id: 'wf-run-1043' },
    model: 'gpt-4o',
    error: { type: 'rate_limit', message: 'Rate limit exceeded', code: '429', stack: 'Error: 429\n    at call()' },
    output: undefined,
    attempt: 1,
    trace: { traceId: 'trace-1043', stepIndex: 1, stepType: 'llm' },
  }),
];
const injection = execution(30, {
  source: { type: 'api' },
  model: 'my-local-llm',
  provider: 'ollama',
  inputs: { comment: SCRIPT },
  output: `Echo: ${SCRIPT} and <script>alert(2)</script> [x](javascript:alert(3))`,
  metadata: { note: SCRIPT },
});
const filler = Array.from({ length: 36 }, (_, i) =>
  execution(40 + i * 15, {
    promptVersion: (i % 3) + 1,
    status: i % 7 === 0 ? 'error' : i % 11 === 0 ? 'cancelled' : 'success',
    source: { type: i % 4 === 0 ? 'workflow' : i % 4 === 1 ? 'api' : 'chat', id: `run-${i}` },
    model: i % 2 ? 'gpt-4o-mini' : 'claude-haiku-4-5',
    provider: i % 2 ? 'openai' : 'anthropic',
    ...(i % 7 === 0 ? { error: { type: 'provider', message: 'Upstream error' }, output: undefined } : {}),
  }),
);
// Filler workflow rows avoid version 2, so the filtered view holds exactly the rows above.
for (const row of filler) if ((row.source as { type: string }).type === 'workflow') row.promptVersion = 1;

async function ingest(request: APIRequestContext, apiKey: string, executions: Execution[]): Promise<void> {
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
  await ingest(request, apiKey, [target, targetRegeneration, ...traceSteps, next, injection, ...filler]);
});

async function logIn(page: Page): Promise<void> {
  await ensureAdmin(page.request);
}

/** The prompt list and the prompt's own summary answer with one prompt that exists only in the browser. */
async function fakePrompt(page: Page, id: string): Promise<void> {
  const prompt = {
    id,
    lastRunAt: null,
    runs24h: 0,
    errors24h: 0,
    errorRate24h: null,
    versions: [1],
    canViewLogs: true,
  };
  await page.route(
    (url) => url.pathname === '/api/v1/prompts',
    (route) => route.fulfill({ json: { items: [prompt] } }),
  );
  await page.route(
    (url) => url.pathname === `/api/v1/prompts/${id}`,
    (route) => route.fulfill({ json: prompt }),
  );
}

function executionsTable(page: Page) {
  return page.getByRole('table', { name: `Executions of ${PROMPT}` });
}

function rowWith(page: Page, text: string) {
  return executionsTable(page).getByRole('row').filter({ hasText: text });
}

test('filters the logs, opens an execution, steps through with the keyboard and survives a reload', async ({
  page,
}) => {
  await logIn(page);
  await page.goto('/');
  const prompts = page.getByRole('table', { name: 'Prompts' });
  await expect(prompts.getByRole('link', { name: PROMPT })).toBeVisible();
  await expect(prompts.getByRole('row').filter({ hasText: PROMPT })).toContainText('v3');
  await screenshot(page, 'prompts-page', { fullPage: true });

  await prompts.getByRole('link', { name: PROMPT }).click();
  await expect(page.getByRole('heading', { level: 1, name: PROMPT })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Logs' })).toHaveAttribute('aria-selected', 'true');
  await expect(executionsTable(page).getByRole('row')).not.toHaveCount(1);

  await page.getByLabel('Source', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'workflow' }).check();
  await page.getByLabel('Version', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'v2' }).check();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/source=workflow/);
  await expect(page).toHaveURL(/version=2/);
  // Header row plus the four workflow runs of version 2: the target, its regeneration, its failed step, the next.
  await expect(executionsTable(page).getByRole('row')).toHaveCount(5);
  await expect(page.getByRole('button', { name: 'Clear filters' })).toBeVisible();
  await screenshot(page, 'logs-filtered', { fullPage: true });

  await rowWith(page, 'wf-run-1042').filter({ hasText: '$0.00024' }).getByRole('cell').first().click();
  const drawer = page.getByRole('dialog', { name: 'Execution details' });
  await expect(drawer).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`execution=${target.id}`));
  const inputs = drawer.getByRole('region', { name: 'Inputs' });
  await expect(inputs).toContainText('Where is order 1042?');
  await expect(inputs).toContainText('invoice-1042.pdf');
  await expect(inputs).toContainText('240 KB');
  await expect(inputs.getByRole('button', { name: /Show all/ })).toBeVisible();
  const metadata = drawer.getByRole('region', { name: 'Metadata' });
  await expect(metadata).toContainText('ada@example.com');
  await expect(metadata).toContainText('checkout-prod');
  await expect(metadata).toContainText('$0.00024');
  await expect(metadata).toContainText('provided by the caller');
  await expect(drawer.getByRole('region', { name: 'Trace', exact: true }))
    .toContainText('Execution stopped here', {
      useInnerText: true,
    })
    .catch(() => undefined);
  await expect(drawer.getByRole('region', { name: 'Sent to the model' })).toContainText('Where is order 1042?');
  await drawer.getByRole('tab', { name: 'Raw' }).click();
  await expect(drawer.getByRole('region', { name: 'Tool calls (1)' })).toContainText('lookup_order');
  await expect(drawer.getByRole('button', { name: 'Next generation' })).toBeEnabled();
  await screenshot(page, 'logs-drawer');
  await screenshot(metadata, 'logs-drawer-metadata');

  await page.keyboard.press('j');
  await expect(page).toHaveURL(new RegExp(`execution=${next.id}`));
  await page.keyboard.press('k');
  await expect(page).toHaveURL(new RegExp(`execution=${target.id}`));
  await page.keyboard.press('ArrowDown');
  await expect(page).toHaveURL(new RegExp(`execution=${next.id}`));
  await expect(drawer.getByRole('region', { name: 'Inputs' })).toContainText('Can I change my address?');
  await expect(drawer.getByRole('region', { name: 'Result' })).toContainText('did not answer within 30 s');
  const trace = drawer.getByRole('region', { name: 'Trace', exact: true });
  await expect(trace).toContainText('attempt 1 of 2');
  await expect(trace).toContainText('fell back to the next attempt');
  await expect(trace).toContainText('Execution stopped here');
  await trace.scrollIntoViewIfNeeded();
  await screenshot(page, 'logs-drawer-trace');

  await page.reload();
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole('region', { name: 'Inputs' })).toContainText('Can I change my address?');
  await expect(executionsTable(page).getByRole('row')).toHaveCount(5);
  await expect(page.getByLabel('Source', { exact: true })).toHaveAccessibleDescription('workflow');

  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
  await expect(page).not.toHaveURL(/execution=/);
  // Rows, newest first: the regeneration, the target, the next run's last attempt, its first attempt.
  const rows = executionsTable(page).getByRole('row');
  await expect(rows.nth(3)).toBeFocused();
  await page.keyboard.press('k');
  await expect(rows.nth(2)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(drawer).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`execution=${target.id}`));

  await page.goBack();
  await expect(drawer).toHaveCount(0);
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`execution=${next.id}`));
  await expect(drawer.getByRole('region', { name: 'Inputs' })).toContainText('Can I change my address?');
});

test('clicking a value in the table or the drawer adds it as a filter', async ({ page }) => {
  await logIn(page);
  await page.goto(`/prompts/${PROMPT}?execution=${target.id}`);
  const drawer = page.getByRole('dialog', { name: 'Execution details' });
  await drawer.getByRole('button', { name: 'Filter by tag: beta' }).click();
  await drawer.getByRole('button', { name: 'Filter by metadata: region=eu-west' }).click();
  await expect(page).toHaveURL(/tag=beta/);
  await expect(page).toHaveURL(/meta\.region=eu-west/);
  const result = drawer.getByRole('region', { name: 'Result' });
  await result.getByRole('button', { name: 'Markdown' }).click();
  await expect(result.getByRole('heading', { name: 'Order 1042' })).toBeVisible();
  await expect(result.getByRole('listitem')).toHaveCount(2);
  await expect(result.getByRole('link', { name: 'track it' })).toHaveAttribute('rel', 'noopener noreferrer');
  await screenshot(result, 'logs-drawer-markdown');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await drawer.getByRole('button', { name: 'Copy as cURL' }).click();
  const curl = await page.evaluate(() => navigator.clipboard.readText());
  expect(curl).toContain('curl https://api.openai.com/v1/chat/completions');
  expect(curl).toContain('Authorization: Bearer $OPENAI_API_KEY');
  expect(curl).toContain('"content": "You are a helpful checkout assistant."');
  await page.keyboard.press('Escape');
  await expect(executionsTable(page).getByRole('row')).toHaveCount(2);
  await page.getByRole('button', { name: 'Clear filters' }).click();

  await page.getByLabel('Model', { exact: true }).fill('no-such-model');
  await page.getByLabel('Model', { exact: true }).press('Enter');
  await expect(page.getByRole('heading', { name: 'No executions match' })).toBeVisible();
  await expect(page.getByText('Widen the time range or clear the filters')).toBeVisible();
  await screenshot(page, 'logs-no-match', { fullPage: true });
  await page.getByRole('button', { name: 'Remove filter model: no-such-model' }).click();

  await page.getByLabel('Search', { exact: true }).fill('change my address');
  await page.getByLabel('Search', { exact: true }).press('Enter');
  await expect(page).toHaveURL(/q=change/);
  await expect(executionsTable(page).getByRole('row')).toHaveCount(2);
  await expect(executionsTable(page).getByRole('row').nth(1)).toContainText('wf-run-1043');
  await page.getByRole('button', { name: 'Remove search change my address' }).click();
  await executionsTable(page).getByRole('button', { name: 'Filter by model: claude-sonnet-4-5' }).first().click();
  await expect(page).toHaveURL(/model=claude-sonnet-4-5/);
  await expect(page.getByRole('button', { name: 'Remove filter model: claude-sonnet-4-5' })).toBeVisible();

  await page.getByLabel('Time range').selectOption({ label: 'Custom…' });
  await expect(page).toHaveURL(/range=custom/);
  await expect(page).toHaveURL(/from=/);
  await expect(page.getByLabel('From', { exact: true })).not.toHaveValue('');
  await expect(page.getByLabel('To', { exact: true })).toHaveValue('');
  await expect(executionsTable(page).getByRole('row')).not.toHaveCount(1);

  await page.getByRole('tab', { name: 'Analytics' }).click();
  await expect(page).toHaveURL(/tab=analytics/);
  await expect(page.getByRole('tabpanel').getByRole('region', { name: `Totals for ${PROMPT}` })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('tab', { name: 'Logs' })).toHaveAttribute('aria-selected', 'true');

  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'logs-narrow', { fullPage: true });
  await executionsTable(page).getByRole('row').nth(1).getByRole('cell').first().click();
  await expect(page.getByRole('dialog', { name: 'Execution details' })).toBeVisible();
  await screenshot(page, 'logs-drawer-narrow');
});

test('announces new executions instead of inserting them, and completes a pending one in place', async ({
  page,
  request,
}) => {
  await logIn(page);
  await page.goto(`/prompts/${PROMPT}`);
  await expect(executionsTable(page).getByRole('row').nth(1)).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  const live = execution(0, { source: { type: 'api', id: 'live-1' }, inputs: { question: 'Live one' } });
  const pending = execution(0, {
    status: 'pending',
    source: { type: 'api', id: 'live-2' },
    output: undefined,
    usage: undefined,
    latencyMs: undefined,
  });
  await ingest(request, apiKey, [live]);
  await ingest(request, apiKey, [pending]);
  const announcement = page.getByRole('button', { name: /2 new executions/ });
  await expect(announcement).toBeVisible();
  await expect(rowWith(page, 'live-1')).toHaveCount(0);
  await screenshot(page, 'logs-live');

  await announcement.click();
  await expect(rowWith(page, 'live-1')).toBeVisible();
  await expect(rowWith(page, 'live-2')).toContainText('pending');

  const completed = await request.patch(`/api/v1/executions/${pending.id}`, {
    headers: { authorization: `Bearer ${apiKey}` },
    data: { status: 'success', output: 'Done.', latencyMs: 1500, usage: { inputTokens: 10, outputTokens: 3 } },
  });
  expect(completed.ok(), await completed.text()).toBe(true);
  await expect(rowWith(page, 'live-2')).toContainText('success');
  await expect(rowWith(page, 'live-2')).toContainText('1.50 s');
  await expect(rowWith(page, 'live-2')).not.toContainText('pending');
});

test('logged markup is shown as text and never runs', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await logIn(page);
  await page.goto(`/prompts/${PROMPT}?execution=${injection.id}`);
  const drawer = page.getByRole('dialog', { name: 'Execution details' });
  await expect(drawer.getByRole('region', { name: 'Inputs' })).toContainText(SCRIPT);
  await expect(drawer.getByRole('region', { name: 'Metadata' })).toContainText(SCRIPT);
  await expect(drawer.getByRole('region', { name: 'Metadata' })).toContainText('unpriced');
  const result = drawer.getByRole('region', { name: 'Result' });
  await expect(result).toContainText('<script>alert(2)</script>');
  await result.getByRole('button', { name: 'Markdown' }).click();
  await expect(result).toContainText(SCRIPT);
  await expect(result).toContainText('[x](javascript:alert(3))');
  await expect(result.getByRole('link')).toHaveCount(0);
  await expect(page.locator('img')).toHaveCount(0);
  // The only scripts are the ones the app ships: its modules and the theme script in <head>.
  await expect(page.locator('script:not([type="module"]):not([src="/theme.js"])')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

/** A list row as GET /api/v1/executions answers it, for pages a test serves itself. */
function listItem(promptId: string, n: number, overrides: Record<string, unknown> = {}) {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    promptId,
    promptVersion: 1,
    status: 'success',
    source: { type: 'api', id: `${promptId}-${n}`, url: null },
    model: 'gpt-4o-mini',
    provider: 'openai',
    startedAt: new Date(Date.parse('2026-11-20T12:00:00Z') - n * 1000).toISOString(),
    latencyMs: 300,
    inputTokens: 100,
    outputTokens: 20,
    costUsd: null,
    costOrigin: 'none',
    errorType: null,
    tags: [],
    attempt: null,
    generation: null,
    traceStepIndex: null,
    traceStepType: null,
    signals: [],
    ...overrides,
  };
}

test('thousands of loaded rows stay virtualized and keep loading as the reader scrolls', async ({ page }) => {
  const total = 2000;
  const pageSize = 200;
  const startedAt = Date.parse('2026-11-20T12:00:00Z');
  await logIn(page);
  await fakePrompt(page, 'bulk');
  await page.route(
    (url) => url.pathname === '/api/v1/executions',
    (route) => {
      const offset = Number(new URL(route.request().url()).searchParams.get('cursor') ?? 0);
      const items = Array.from({ length: Math.min(pageSize, total - offset) }, (_, i) => {
        const n = offset + i;
        return listItem('bulk', n, {
          status: n % 13 === 0 ? 'error' : 'success',
          startedAt: new Date(startedAt - n * 1000).toISOString(),
          latencyMs: 300 + (n % 50),
        });
      });
      const next = offset + items.length;
      return route.fulfill({ json: { items, nextCursor: next < total ? String(next) : null } });
    },
  );

  await page.goto('/prompts/bulk?range=all');
  const table = page.getByRole('table', { name: 'Executions of bulk' });
  await expect(table).toHaveAttribute('aria-rowcount', String(pageSize + 1));
  expect(await table.getByRole('row').count()).toBeLessThan(60);
  await expect(table.getByRole('row').nth(1)).toContainText('unpriced');

  await table.getByRole('row').nth(1).getByRole('cell').first().click();
  await page.keyboard.press('Escape');
  // Closing the drawer hands focus back to the row it was opened from; keys pressed before that go elsewhere.
  await expect(table.getByRole('row').nth(1)).toBeFocused();
  await page.keyboard.press('End');
  await expect(table.locator('tr[aria-rowindex="201"]')).toBeFocused();
  // Reaching the end of what is loaded fetches the next page by itself.
  await expect(table).toHaveAttribute('aria-rowcount', String(2 * pageSize + 1));
  for (let loaded = 2 * pageSize; loaded < total; loaded += pageSize) {
    await page.keyboard.press('End');
    await expect(table).toHaveAttribute('aria-rowcount', String(loaded + pageSize + 1));
  }
  await page.keyboard.press('End');
  await expect(table.locator(`tr[aria-rowindex="${total + 1}"]`)).toBeFocused();
  await expect(table).toContainText(`bulk-${total - 1}`);
  expect(await table.getByRole('row').count()).toBeLessThan(60);
  await expect(page.getByText('2,000 executions — the end of the list')).toBeVisible();
});

test('a list the server fails to send says so and can be retried', async ({ page }) => {
  await logIn(page);
  let failing = true;
  await page.route(
    (url) => url.pathname === '/api/v1/executions',
    async (route) => {
      if (failing) {
        await route.fulfill({ status: 503, json: { error: { code: 'unavailable', message: 'Database is starting' } } });
      } else {
        await route.continue();
      }
    },
  );
  await page.goto(`/prompts/${PROMPT}`);
  // A 5xx is retried twice with backoff before the page gives up and says so.
  await expect(page.getByRole('alert')).toContainText('Could not load the executions', { timeout: 15_000 });
  await expect(page.getByRole('alert')).toContainText('Database is starting');
  failing = false;
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(executionsTable(page).getByRole('row').nth(1)).toBeVisible();
});

test('a text search that reads its bounded share of executions says how far back it looked and searches on when asked', async ({
  page,
}) => {
  const match = listItem('searched', 1, {
    source: { type: 'api', id: 'older-match', url: null },
    startedAt: '2026-11-10T08:00:00.000Z',
  });

  const pages: Record<string, object> = {
    first: { items: [], nextCursor: 'second', searched: { executions: 5000, through: '2026-11-19T10:00:00.000000Z' } },
    second: {
      items: [match],
      nextCursor: 'third',
      searched: { executions: 5000, through: '2026-11-09T10:00:00.000000Z' },
    },
    third: { items: [], nextCursor: null },
  };
  const asked: string[] = [];
  await logIn(page);
  await fakePrompt(page, 'searched');
  await page.route(
    (url) => url.pathname === '/api/v1/executions',
    (route) => {
      const cursor = new URL(route.request().url()).searchParams.get('cursor') ?? 'first';
      asked.push(cursor);
      return route.fulfill({ json: pages[cursor] });
    },
  );

  await page.goto('/prompts/searched?range=all&q=refund');
  await expect(page.getByRole('heading', { name: 'No match yet' })).toBeVisible();
  await expect(page.getByText(/Searched the executions back to 19 Nov 2026/)).toBeVisible();
  await screenshot(page, 'logs-search-no-match-yet');
  await page.getByRole('button', { name: 'Search further back' }).click();

  const table = page.getByRole('table', { name: 'Executions of searched' });
  await expect(table).toContainText('older-match');
  await expect(page.getByText(/Searched back to 9 Nov 2026/)).toBeVisible();
  await screenshot(page, 'logs-search-further');
  // Reaching the end of the rows does not search on by itself: each step back is the reader's choice.
  await table.getByRole('row').nth(1).getByRole('cell').first().click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('End');
  await expect(page.getByRole('button', { name: 'Search further back' })).toBeEnabled();
  expect(asked).toEqual(['first', 'second']);

  await page.getByRole('button', { name: 'Search further back' }).click();
  await expect(page.getByText('1 execution — the end of the list')).toBeVisible();
  expect(asked).toEqual(['first', 'second', 'third']);
});
