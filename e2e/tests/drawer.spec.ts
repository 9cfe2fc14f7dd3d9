import { createHash } from 'node:crypto';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { ensureAdmin } from './fixtures/admin';
import { screenshot } from './fixtures/screenshots';

const PROMPT = 'drawer-timeline';
const SCRIPT = '<img src=x onerror=alert(1)>';

// Ids from a hash of the spec's name: a worker that restarts and ingests again stores nothing twice.
function idFor(name: string): string {
  const hex = createHash('sha256').update(`drawer.spec ${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const history = Array.from({ length: 30 }, (_, i) => `Earlier message ${i + 1}.`).join('\n');

// An agent's second call: the first round of tools is in the conversation, the second is asked for now.
const openai = {
  id: idFor('openai'),
  promptId: PROMPT,
  status: 'success',
  source: { type: 'api' },
  model: 'gpt-4o-mini',
  provider: 'openai',
  startedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
  latencyMs: 1200,
  inputs: { customer: 'Ada Lovelace', orderId: 1042, history, filters: { region: 'eu', tier: 'gold' } },
  request: {
    systemPrompt: 'You are a helpful support agent.',
    messages: [
      { role: 'user', content: `Where is order 1042? ${SCRIPT}` },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"orderId":1042}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"status":"packed","carrier":"DHL"}' },
    ],
    parameters: { temperature: 0.2 },
  },
  thinking: 'The order is packed; ask the carrier for a date.',
  toolCalls: [
    { round: 1, name: 'lookup_order', arguments: { orderId: 1042 }, result: { status: 'packed' }, latencyMs: 95 },
    { round: 2, name: 'track_parcel', arguments: { carrier: 'DHL', orderId: 1042 } },
  ],
  output: {
    reply: 'Your order ships tomorrow.',
    actions: [
      { type: 'refund', amount: 0, reason: 'none' },
      { type: 'notify', channel: 'email', template: 'shipping' },
      { type: 'tag', value: 'refund-checked' },
    ],
    confidence: 0.92,
    escalate: false,
    notes: null,
  },
  usage: { inputTokens: 900, outputTokens: 60 },
};

// A search tool's large answer: more values than the tree shows at first.
const anthropic = {
  id: idFor('anthropic'),
  promptId: PROMPT,
  status: 'success',
  source: { type: 'api' },
  model: 'claude-sonnet-4-5',
  provider: 'anthropic',
  startedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
  latencyMs: 2400,
  inputs: { query: 'parcel lockers' },
  request: {
    systemPrompt: 'Answer from the knowledge base.',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Which articles mention parcel lockers?' }] }],
  },
  output: {
    articles: Array.from({ length: 800 }, (_, i) => ({ id: `kb-${i + 1}`, title: `Article number ${i + 1}` })),
  },
  usage: { inputTokens: 400, outputTokens: 2000 },
};

async function ingest(request: APIRequestContext, apiKey: string): Promise<void> {
  const response = await request.post('/api/v1/executions/batch', {
    headers: { authorization: `Bearer ${apiKey}` },
    data: { executions: [openai, anthropic] },
  });
  expect(response.ok(), await response.text()).toBe(true);
  const { results } = await response.json();
  expect(results.filter((result: { status: string }) => result.status === 'rejected')).toEqual([]);
}

test.beforeAll(async ({ request }) => {
  await ingest(request, await ensureAdmin(request));
});

async function openDrawer(page: Page, id: string) {
  await ensureAdmin(page.request);
  await page.goto(`/prompts/${PROMPT}?range=all&execution=${id}`);
  const drawer = page.getByRole('dialog', { name: 'Execution details' });
  await expect(drawer).toBeVisible();
  return drawer;
}

async function clipboard(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

test('shows inputs as a compact grid with copy icons and the execution id, copyable, in the header', async ({
  page,
}) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const drawer = await openDrawer(page, openai.id);
  await expect(drawer).toContainText(openai.id);
  await drawer.getByRole('button', { name: 'Copy execution ID' }).click();
  expect(await clipboard(page)).toBe(openai.id);

  const inputs = drawer.getByRole('region', { name: 'Inputs' });
  await expect(inputs.getByRole('term')).toHaveText(['customer', 'orderId', 'history', 'filters']);
  await inputs.getByRole('button', { name: 'Copy customer' }).click();
  expect(await clipboard(page)).toBe('Ada Lovelace');
  await expect(inputs.getByRole('button', { name: 'Copy orderId' })).toBeVisible();

  const showAll = inputs.getByRole('button', { name: /^Show all/ });
  await expect(showAll).toHaveAttribute('aria-expanded', 'false');
  await expect(inputs).not.toContainText('Earlier message 30.');
  await showAll.click();
  await expect(inputs.getByRole('button', { name: 'Show less' })).toHaveAttribute('aria-expanded', 'true');
  await expect(inputs).toContainText('Earlier message 30.');
  await inputs.getByRole('button', { name: 'Copy history' }).click();
  expect(await clipboard(page)).toBe(history);
  await expect(inputs.getByRole('tree', { name: 'filters' })).toContainText('"tier":"gold"');
  await screenshot(inputs, 'drawer-inputs');
});

test('tells the conversation as a timeline, in order, with the raw sections a tab away', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const drawer = await openDrawer(page, openai.id);
  await expect(drawer.getByRole('tab', { name: 'Timeline' })).toHaveAttribute('aria-selected', 'true');

  const sent = drawer.getByRole('region', { name: 'Sent to the model' });
  const turns = sent.getByRole('listitem');
  await expect(turns).toHaveCount(3);
  await expect(turns.nth(0)).toContainText('System');
  await expect(turns.nth(0)).toContainText('You are a helpful support agent.');
  await expect(turns.nth(1)).toContainText('User');
  await expect(turns.nth(1)).toContainText(`Where is order 1042? ${SCRIPT}`);
  // The tool call of the first round, with its result from the conversation and its latency from the log.
  await expect(turns.nth(2)).toContainText('lookup_order');
  await expect(turns.nth(2)).toContainText('round 1');
  await expect(turns.nth(2)).toContainText('95 ms');
  await expect(turns.nth(2)).toContainText('"carrier":"DHL"');

  const response = drawer.getByRole('region', { name: 'Response' });
  await expect(response.locator(':scope > ol > li')).toHaveCount(3);
  await expect(response.locator(':scope > ol > li').nth(0)).toContainText('Thinking');
  await response.getByText('Thinking').click();
  await expect(response).toContainText('ask the carrier for a date');
  await expect(response.locator(':scope > ol > li').nth(1).getByRole('region', { name: 'Result' })).toBeVisible();
  await expect(response.locator(':scope > ol > li').nth(2)).toContainText('track_parcel');
  await expect(response.locator(':scope > ol > li').nth(2)).toContainText('round 2');
  await expect(response.locator(':scope > ol > li').nth(2)).toContainText('Asked for by the model');
  await screenshot(page, 'drawer-timeline');

  await drawer.getByRole('tab', { name: 'Raw' }).click();
  await expect(drawer.getByRole('region', { name: 'Request' }).getByRole('tree', { name: 'messages' })).toBeVisible();
  const toolCalls = drawer.getByRole('region', { name: 'Tool calls (2)' });
  await expect(toolCalls).toContainText('Round 1');
  await expect(toolCalls).toContainText('Round 2');
  await expect(drawer.getByRole('region', { name: 'Result' })).toBeVisible();
  await expect(page.locator('img')).toHaveCount(0);
  expect(dialogs).toEqual([]);

  await drawer.getByRole('tab', { name: 'Timeline' }).click();
  await page.setViewportSize({ width: 1440, height: 900 });
  await screenshot(page, 'drawer-1440');
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(drawer.getByRole('button', { name: 'Copy execution ID' })).toBeVisible();
  await screenshot(page, 'drawer-390');
});

test('shows a JSON payload as a tree to open by keyboard and to search', async ({ page }) => {
  // The tree is styled by class names alone: the app's CSP (no inline styles) has nothing to refuse.
  await page.addInitScript(() => {
    const violations: string[] = [];
    Object.assign(window, { cspViolations: violations });
    document.addEventListener('securitypolicyviolation', (event) => violations.push(event.violatedDirective));
  });
  const drawer = await openDrawer(page, openai.id);
  const result = drawer.getByRole('region', { name: 'Result' });
  const tree = result.getByRole('tree', { name: 'output' });
  await expect(tree).toContainText('"reply":"Your order ships tomorrow."');
  await expect(tree).toContainText('"confidence":0.92');
  await expect(tree).toContainText('"reason":"none"');

  // The toggles form one tab stop: ↓ and ↑ move between them, ← closes, → opens, and so do Enter and Space.
  await tree.getByRole('button', { name: 'Collapse' }).first().focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowLeft');
  await expect(tree).not.toContainText('"reason":"none"');
  await expect(tree.getByRole('button', { name: 'Expand' })).toHaveCount(1);
  await expect(tree.getByRole('button', { name: 'Expand' })).toBeFocused();
  await expect(tree.getByRole('button', { name: 'Expand' })).toHaveAttribute('aria-expanded', 'false');
  // ↑ and ↓ moved through the tree and did not step to another execution.
  await expect(page).toHaveURL(new RegExp(`execution=${openai.id}`));
  await page.keyboard.press('ArrowRight');
  await expect(tree).toContainText('"reason":"none"');
  await page.keyboard.press('Enter');
  await expect(tree).not.toContainText('"reason":"none"');
  await page.keyboard.press(' ');
  await expect(tree).toContainText('"reason":"none"');
  await expect(tree.getByRole('button', { name: 'Expand' })).toHaveCount(0);

  const search = result.getByRole('searchbox', { name: 'Search in output' });
  await search.fill('refund');
  await expect(result).toContainText('2 matches');
  await expect(tree).toContainText('"type":"refund"');
  await expect(tree).toContainText('"value":"refund-checked"');
  await expect(tree).not.toContainText('shipping');
  await expect(tree).toContainText('without a match');
  await screenshot(result, 'drawer-json-search');
  await search.fill('no such text');
  await expect(result).toContainText('No match');
  await search.fill('');
  await expect(tree).toContainText('shipping');
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
});

test('caps a large payload at whole values and shows all of it on request', async ({ page }) => {
  const drawer = await openDrawer(page, anthropic.id);
  const result = drawer.getByRole('region', { name: 'Result' });
  const tree = result.getByRole('tree', { name: 'output' });
  await expect(tree).toContainText('"title":"Article number 1"');
  await expect(tree).not.toContainText('Article number 800"');
  await expect(tree).toContainText(/… [\d,]+ more items/);
  await expect(result).toContainText(/Showing [\d,]+ of 2,402 values\./);
  const showAll = result.getByRole('button', { name: 'Show all' });
  await expect(showAll).toHaveAttribute('aria-expanded', 'false');
  await showAll.click();
  await expect(tree).toContainText('"title":"Article number 800"');
  await expect(tree).not.toContainText('more items');
  await expect(result.getByRole('button', { name: 'Show less' })).toHaveAttribute('aria-expanded', 'true');
  await expect(result).toContainText('Showing all 2,402 values.');
});

test('copies the request as SDK code in TypeScript and Python, beside cURL', async ({ page }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const drawer = await openDrawer(page, openai.id);
  await expect(drawer.getByRole('button', { name: 'Copy as cURL' })).toBeVisible();
  const toggle = drawer.getByRole('button', { name: 'Copy as code' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const panel = drawer.getByRole('region', { name: 'Request as code' });
  await expect(panel.getByRole('tab', { name: 'TypeScript' })).toHaveAttribute('aria-selected', 'true');
  await panel.getByRole('button', { name: 'Copy TypeScript code' }).click();
  const typescript = await clipboard(page);
  expect(typescript).toContain("import OpenAI from 'openai';");
  expect(typescript).toContain('client.chat.completions.create({');
  expect(typescript).toContain('content: "You are a helpful support agent."');
  expect(typescript).toContain('temperature: 0.2,');

  await panel.getByRole('tab', { name: 'TypeScript' }).press('ArrowRight');
  await expect(panel.getByRole('tab', { name: 'Python' })).toHaveAttribute('aria-selected', 'true');
  await panel.getByRole('button', { name: 'Copy Python code' }).click();
  const python = await clipboard(page);
  expect(python).toContain('from openai import OpenAI');
  expect(python).toContain('completion = client.chat.completions.create(');
  expect(python).toContain('    temperature=0.2,');
  await screenshot(panel, 'drawer-copy-as-code');

  // The panel stays open while stepping to the next execution, and shows its request.
  await page.keyboard.press('j');
  await expect(page).toHaveURL(new RegExp(`execution=${anthropic.id}`));
  await panel.getByRole('button', { name: 'Copy Python code' }).click();
  const claude = await clipboard(page);
  expect(claude).toContain('client = anthropic.Anthropic()');
  expect(claude).toContain('system="Answer from the knowledge base."');
});
