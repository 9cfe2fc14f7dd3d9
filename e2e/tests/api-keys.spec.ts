import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { ensureAdmin } from './fixtures/admin';
import { screenshot } from './fixtures/screenshots';

const LABEL = 'Ingest-only e2e key';

function execution(note: string) {
  return {
    id: randomUUID(),
    promptId: 'api-key-check',
    status: 'success',
    source: { type: 'api' },
    model: 'gpt-4o-mini',
    inputs: { note },
    output: 'ok',
  };
}

test('an ingest-only key is shown once, can ingest but not read, and stops working once revoked', async ({
  page,
  request,
}) => {
  await ensureAdmin(page.request);
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Support bot');
  await page.getByRole('tab', { name: 'API keys' }).click();
  await expect(page).toHaveURL(/tab=api-keys/);
  const table = page.getByRole('table', { name: 'API keys' });
  // The key made at setup is listed, never its secret.
  await expect(table.getByRole('row')).not.toHaveCount(1);

  const form = page.getByRole('form', { name: 'New API key' });
  await form.getByRole('button', { name: 'Create API key' }).click();
  await expect(form.getByLabel('Label')).toHaveAccessibleDescription('Name the key after where it is used.');
  await form.getByLabel('Label').fill(LABEL);
  await expect(form.getByRole('checkbox', { name: /^Ingest/ })).toBeChecked();
  await expect(form.getByRole('checkbox', { name: /^Read/ })).not.toBeChecked();
  await expect(form).toContainText('log and complete executions');
  await screenshot(page, 'settings-api-keys', { fullPage: true });
  await form.getByRole('button', { name: 'Create API key' }).click();

  await expect(page.getByRole('heading', { name: `Save the key “${LABEL}”` })).toBeFocused();
  await expect(page.getByText('It will not be shown again')).toBeVisible();
  const key = await page.getByLabel('API key', { exact: true }).inputValue();
  expect(key).toMatch(/^\S{16,}$/);
  await expect(page.getByRole('figure', { name: 'curl' })).toContainText(`Bearer ${key}`);
  await screenshot(page, 'settings-api-key-created', { fullPage: true });

  const bearer = { authorization: `Bearer ${key}` };
  const ingested = await request.post('/api/v1/executions', { headers: bearer, data: execution('first') });
  expect(ingested.status(), await ingested.text()).toBe(201);
  const read = await request.get('/api/v1/executions?promptId=api-key-check', { headers: bearer });
  expect(read.status(), await read.text()).toBe(403);

  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByLabel('API key', { exact: true })).toHaveCount(0);
  const row = table.getByRole('row').filter({ hasText: LABEL });
  await expect(row).toContainText('Ingest');
  await expect(row).not.toContainText('Read');
  await expect(row).toContainText('active');
  await expect(row).toContainText(key.slice(0, 6));
  await expect(page.getByText(key)).toHaveCount(0);

  await row.getByRole('button', { name: `Revoke ${LABEL}` }).click();
  const confirm = page.getByRole('dialog', { name: `Revoke “${LABEL}”?` });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await screenshot(page, 'settings-api-key-revoke');
  await confirm.getByRole('button', { name: 'Revoke key' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(row).toContainText('revoked');
  await expect(row.getByRole('button', { name: /Revoke/ })).toHaveCount(0);

  const refused = await request.post('/api/v1/executions', { headers: bearer, data: execution('after revoke') });
  expect(refused.status(), await refused.text()).toBe(401);

  // The audit log says who did it, in words, and filters by action.
  await page.getByRole('tab', { name: 'Audit log' }).click();
  const feed = page.getByRole('list', { name: 'Audit events' });
  await expect(feed.getByRole('listitem').filter({ hasText: 'revoked the API key' }).first()).toContainText(LABEL);
  await page.getByLabel('Action', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'API key revoked' }).check();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/action=api_key\.revoked/);
  await expect(feed.getByRole('listitem')).toHaveCount(1);
  await expect(feed.getByRole('listitem').first()).toContainText(`${'admin@example.com'} revoked the API key ${LABEL}`);
  await screenshot(page, 'settings-audit', { fullPage: true });
});
