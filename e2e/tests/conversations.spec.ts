import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { ensureAdmin } from './fixtures/admin';
import { idSequence } from './fixtures/executions';

// Ids follow declaration order, so a second run of this setup stores nothing twice.
const nextId = idSequence('conversations.spec');

const CONVERSATION = `chat-${createHash('sha256').update('conversations.spec').digest('hex').slice(0, 10)}`;
const PROMPT = 'concierge-chat';
const MINUTE = 60_000;
// A whole hour in the past, so a re-run within the hour sends the same executions.
const start = Math.floor(Date.now() / (60 * MINUTE)) * 60 * MINUTE - 30 * MINUTE;

const turns = [
  { question: 'Do you have rooms on Friday?', answer: 'Yes, two doubles are free.', status: 'success' },
  { question: 'How much is a double?', answer: 'It is 140 euros a night.', status: 'success' },
  { question: 'Book one for me', answer: undefined, status: 'error' },
].map(({ question, answer, status }, index) => ({
  id: nextId(),
  promptId: PROMPT,
  promptVersion: 2,
  status,
  source: { type: 'chat' },
  model: 'gpt-4o-mini',
  provider: 'openai',
  startedAt: new Date(start + index * MINUTE).toISOString(),
  latencyMs: 800 + index * 100,
  conversationId: CONVERSATION,
  user: { id: 'guest-17' },
  inputs: { question },
  ...(answer ? { output: answer } : { error: { type: 'timeout', message: 'No answer within 30 s' } }),
  usage: { inputTokens: 100, outputTokens: 20 },
  costUsd: '0.0001',
}));

test.beforeAll(async ({ request }) => {
  const apiKey = await ensureAdmin(request);
  const response = await request.post('/api/v1/executions/batch', {
    headers: { authorization: `Bearer ${apiKey}` },
    data: { executions: turns },
  });
  expect(response.status(), await response.text()).toBe(200);
});

test('a conversation is listed with its totals, reads as one thread and opens in the Logs tab', async ({ page }) => {
  await ensureAdmin(page.request);
  await page.goto('/');
  await page.getByRole('navigation').getByRole('link', { name: 'Conversations' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Conversations' })).toBeVisible();

  await page.getByLabel('Search by conversation id').fill(CONVERSATION);
  const table = page.getByRole('table', { name: 'Conversations' });
  // The rollup follows ingestion within seconds.
  await expect(async () => {
    await page.reload();
    await expect(table.getByRole('row').filter({ hasText: CONVERSATION })).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  const row = table.getByRole('row').filter({ hasText: CONVERSATION });
  const cells = row.getByRole('cell');
  await expect(cells.nth(2)).toHaveText('3');
  await expect(cells.nth(3)).toHaveText('1');
  await expect(cells.nth(4)).toHaveText('$0.0003');
  await expect(cells.nth(7)).toHaveText('guest-17');

  await row.getByRole('link', { name: CONVERSATION }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Conversation ${CONVERSATION}`);
  const totals = page.getByRole('region', { name: 'Conversation totals' });
  await expect(totals).toContainText('Calls3');
  await expect(totals).toContainText('Errors1');
  const thread = page.getByRole('list', { name: 'Thread' });
  const calls = thread.getByRole('article');
  await expect(calls).toHaveCount(3);
  await expect(calls.nth(0)).toContainText('#1');
  await expect(calls.nth(2)).toContainText('error');

  await thread.getByRole('button', { name: 'Open call 2: inputs and output' }).click();
  const drawer = page.getByRole('dialog', { name: 'Execution details' });
  await expect(drawer.getByRole('region', { name: 'Inputs' })).toContainText('How much is a double?');
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
  await expect(thread.getByRole('button', { name: 'Open call 2: inputs and output' })).toBeFocused();

  await page.getByRole('link', { name: 'Show in Logs' }).click();
  await expect(page).toHaveURL(new RegExp(`/prompts/${PROMPT}\\?.*conversation=${CONVERSATION}`));
  await expect(page.getByRole('button', { name: `Remove filter conversation: ${CONVERSATION}` })).toBeVisible();
  const executions = page.getByRole('table', { name: `Executions of ${PROMPT}` });
  await expect(executions.getByRole('row').filter({ hasText: 'gpt-4o-mini' })).toHaveCount(3);
});
