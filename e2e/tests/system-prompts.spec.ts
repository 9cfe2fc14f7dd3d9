import { expect, test } from '@playwright/test';
import { ensureAdmin } from './fixtures/admin';
import { idSequence, ingestForAnalytics } from './fixtures/executions';
import { screenshot } from './fixtures/screenshots';

const PROMPT = 'support-reply-drift';
const HOUR = 3_600_000;
const anchor = Math.floor(Date.now() / HOUR) * HOUR;
const nextId = idSequence('system-prompts.spec');

const V1 = 'You are a support assistant. Answer politely.';
const V2 = 'You are a support assistant. Answer briefly and politely.';
// Logged later under the same label v2: the drift the notice is about.
const V2_EDITED = 'You are a support assistant. Answer briefly and politely, in French.';

function calls(version: number, systemPrompt: string, hoursAgo: number[]) {
  return hoursAgo.map((hours) => ({
    id: nextId(),
    promptId: PROMPT,
    promptVersion: version,
    status: 'success',
    source: { type: 'api' },
    model: 'gpt-4o-mini',
    startedAt: new Date(anchor - hours * HOUR).toISOString(),
    request: { systemPrompt, messages: [{ role: 'user', content: 'Where is my order?' }] },
    output: 'It ships on Monday.',
  }));
}

test.beforeAll(async ({ request }) => {
  const apiKey = await ensureAdmin(request);
  const executions = [...calls(1, V1, [30, 29]), ...calls(2, V2, [20, 19, 18]), ...calls(2, V2_EDITED, [5])];
  const from = new Date(anchor - 3 * 24 * HOUR).toISOString();
  await ingestForAnalytics(request, apiKey, { executions, promptId: PROMPT, from, calls: executions.length });
});

test('the prompt page says a version drifted, and the comparison diffs its system prompts word by word', async ({
  page,
}) => {
  await ensureAdmin(page.request);
  await page.setViewportSize({ width: 1360, height: 900 });
  await page.goto(`/prompts/${PROMPT}`);

  const notice = page.getByRole('region', { name: 'System prompt drift' });
  await expect(notice).toContainText('v2 was logged with 2 different system prompts: first seen');
  await expect(notice.getByRole('listitem')).toHaveCount(2);
  await expect(notice.getByRole('listitem').first()).toContainText('3 calls');
  await screenshot(notice, 'system-prompt-drift-notice');
  await notice.getByRole('link', { name: "Compare v2's system prompts" }).click();

  await expect(page.getByRole('tab', { name: 'Analytics' })).toHaveAttribute('aria-selected', 'true');
  const compare = page.getByRole('region', { name: 'Compare versions' });
  const section = compare.getByRole('region', { name: 'System prompt', exact: true });

  // v2's most used text against v1's: two words added, none removed.
  const versions = section.getByRole('figure', { name: 'System prompt of v2 against v1' });
  await expect(versions.getByRole('insertion')).toHaveCount(1);
  await expect(versions.getByRole('insertion')).toContainText('added: briefly and');
  await expect(versions.getByRole('deletion')).toHaveCount(0);
  await expect(section).toContainText('0 words removed, 2 added.');

  // Within v2: the text used first against the one used last.
  const drift = section.getByRole('region', { name: 'v2 was logged with 2 different system prompts' });
  await expect(drift.getByLabel('Text A', { exact: true })).toContainText('3 calls');
  const within = drift.getByRole('figure', { name: 'Text B against text A of v2' });
  await expect(within.getByRole('insertion')).toContainText('in French');
  await expect(within.getByRole('deletion')).toHaveCount(0);
  await section.scrollIntoViewIfNeeded();
  await screenshot(section, 'system-prompt-diff');

  // The other way round, the same words are removed rather than added.
  await drift.getByLabel('Text A', { exact: true }).selectOption({ index: 1 });
  await drift.getByLabel('Text B', { exact: true }).selectOption({ index: 0 });
  await expect(within.getByRole('deletion')).toContainText('in French');
  await expect(within.getByRole('insertion')).toHaveCount(0);
});

test('the system prompt part says when it failed and loads again on retry', async ({ page }) => {
  let fail = true;
  await page.route('**/api/v1/prompts/*/system-prompts?*', async (route) => {
    if (!fail) return route.fallback();
    await route.fulfill({
      status: 500,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'internal', message: 'The database is unavailable' } }),
    });
  });
  await ensureAdmin(page.request);
  await page.goto(`/prompts/${PROMPT}?tab=analytics`);
  const section = page
    .getByRole('region', { name: 'Compare versions' })
    .getByRole('region', { name: 'System prompt', exact: true });
  // The app retries a 5xx twice (after 1 s, then 2 s) before it says so: more than the default 5 s on a busy machine.
  await expect(section.getByRole('alert')).toContainText('Could not load the system prompts', { timeout: 15_000 });
  fail = false;
  await section.getByRole('button', { name: 'Try again' }).click();
  await expect(section.getByRole('figure', { name: 'System prompt of v2 against v1' })).toBeVisible();
});
