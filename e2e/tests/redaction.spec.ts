import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { adminSession, csrf, ensureAdmin } from './fixtures/admin';
import { screenshot } from './fixtures/screenshots';

const PROMPT = 'redaction-demo';
const SECRET = `sk-ant-api03-${'Q7vX2mPz9L'.repeat(4)}`;

test('a secret in an input is redacted at ingestion and marked in the drawer and the export', async ({
  page,
  request,
}) => {
  const apiKey = await ensureAdmin(page.request);

  // The built-in detector is on, and its effect can be tried before anything is logged.
  await page.goto('/settings?tab=data');
  const redaction = page.getByRole('form', { name: 'Redaction' });
  const apiKeys = redaction.getByRole('checkbox', { name: /^API keys/ });
  if (!(await apiKeys.isChecked())) {
    await apiKeys.check();
    await redaction.getByRole('button', { name: 'Save redaction' }).click();
    await expect(redaction.getByRole('status')).toHaveText('Saved.');
  }
  await page.getByLabel('Sample text').fill(`Use ${SECRET} to call Claude.`);
  await page.getByRole('button', { name: 'Preview redaction' }).click();
  const preview = page.getByRole('region', { name: 'Try the rules' });
  await expect(preview.locator('pre')).toHaveText('Use [REDACTED:api_key] to call Claude.');
  await expect(preview).toContainText('1 value would be redacted: api_key ×1');

  // A pattern RE2 refuses is reported beside the rule, not saved.
  await redaction.getByRole('button', { name: 'Add a rule' }).click();
  await redaction.getByLabel('Name of custom rule 1').fill('order_id');
  await redaction.getByLabel('Pattern of custom rule 1').fill('(?<=order )\\d+');
  await redaction.getByRole('button', { name: 'Save redaction' }).click();
  await expect(redaction.getByLabel('Pattern of custom rule 1')).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'settings-data-privacy', { fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'settings-data-privacy-narrow', { fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
  await redaction.getByRole('button', { name: 'Remove custom rule 1' }).click();

  const id = randomUUID();
  const response = await request.post('/api/v1/executions', {
    headers: { authorization: `Bearer ${apiKey}` },
    data: {
      id,
      promptId: PROMPT,
      status: 'success',
      source: { type: 'api' },
      model: 'claude-sonnet-4-5',
      provider: 'anthropic',
      inputs: { instructions: `Call the API with ${SECRET} please`, user: 'ada' },
      output: 'Done.',
    },
  });
  expect(response.status(), await response.text()).toBe(201);

  await page.goto(`/prompts/${PROMPT}?execution=${id}`);
  const drawer = page.getByRole('dialog', { name: 'Execution details' });
  const inputs = drawer.getByRole('region', { name: 'Inputs' });
  await expect(inputs).toContainText('Call the API with [REDACTED:api_key] please');
  const marker = inputs.locator('.redaction');
  await expect(marker).toHaveText('[REDACTED:api_key]');
  await expect(marker).toHaveAttribute('title', 'redacted by rule api_key');
  await expect(drawer.getByRole('note')).toContainText('1 value was redacted at ingestion: api_key ×1');
  await expect(page.getByText(SECRET)).toHaveCount(0);
  expect(await page.content()).not.toContain(SECRET);
  await screenshot(page, 'logs-drawer-redacted');

  await page.keyboard.press('Escape');
  await expect(page.getByText(/Executions are kept (for \d+ days|until deleted)/)).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export' }).click(),
  ]);
  const path = await download.path();
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(1);
  const record = JSON.parse(lines[0] ?? '{}');
  expect(record.id).toBe(id);
  expect(record.inputs.instructions).toBe('Call the API with [REDACTED:api_key] please');
  expect(lines[0]).not.toContain(SECRET);
});

test('a metadata-only policy stores no payload, the drawer says so, and the Logs tab shows the retention', async ({
  page,
  request,
}) => {
  const { apiKey } = await adminSession(page.request);
  try {
    await page.goto('/settings?tab=data');
    const retention = page.getByRole('form', { name: 'Retention' });
    await retention.getByRole('radio', { name: 'Delete after a number of days' }).first().check();
    await retention.getByLabel('Days to keep executions').fill('0');
    await retention.getByRole('button', { name: 'Save retention' }).click();
    await expect(retention.getByLabel('Days to keep executions')).toHaveAccessibleDescription(
      'Enter a whole number of days from 1 to 36,500.',
    );
    await retention.getByLabel('Days to keep executions').fill('45');
    await retention.getByRole('button', { name: 'Save retention' }).click();
    await expect(retention.getByRole('status')).toHaveText('Saved.');

    const payloads = page.getByRole('form', { name: 'Payloads' });
    await payloads.getByRole('radio', { name: /^Errors and a sample/ }).check();
    await expect(payloads.getByLabel('Sample rate (%)')).toBeVisible();
    await payloads.getByRole('radio', { name: /^Metadata only/ }).check();
    await expect(payloads.getByLabel('Sample rate (%)')).toHaveCount(0);
    await payloads.getByRole('button', { name: 'Save payload policy' }).click();
    await expect(payloads.getByRole('status')).toHaveText('Saved.');

    const id = randomUUID();
    const response = await request.post('/api/v1/executions', {
      headers: { authorization: `Bearer ${apiKey}` },
      data: {
        id,
        promptId: 'metadata-only-demo',
        status: 'success',
        source: { type: 'api' },
        model: 'gpt-4o-mini',
        inputs: { question: 'A question nobody should read later' },
        output: 'An answer nobody should read later',
      },
    });
    expect(response.status(), await response.text()).toBe(201);

    await page.goto(`/prompts/metadata-only-demo?execution=${id}`);
    await expect(page.getByText('Executions are kept for 45 days')).toBeVisible();
    const drawer = page.getByRole('dialog', { name: 'Execution details' });
    const notStored = "Not stored: this project's payload policy keeps only metadata for this execution.";
    await expect(drawer.getByRole('region', { name: 'Inputs' })).toContainText(notStored);
    await expect(drawer.getByRole('region', { name: 'Result' })).toContainText(notStored);
    await expect(page.getByText('nobody should read later')).toHaveCount(0);
    await screenshot(page, 'logs-drawer-metadata-only');

    // The audit log records both changes with before and after.
    await page.goto('/settings?tab=audit&action=settings.payload_policy_changed');
    const event = page.getByRole('list', { name: 'Audit events' }).getByRole('listitem').first();
    await expect(event).toContainText('changed the payload policy');
    await expect(event).toContainText('all → metadata_only');
  } finally {
    const { csrfToken } = await adminSession(request);
    const restored = await request.patch('/api/v1/settings', {
      headers: csrf(csrfToken),
      data: { retentionDays: null, payloadPolicy: 'all' },
    });
    expect(restored.ok(), await restored.text()).toBe(true);
  }
});
