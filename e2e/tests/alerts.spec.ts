import { expect, test } from '@playwright/test';
import { ensureAdmin } from './fixtures/admin';
import { screenshot } from './fixtures/screenshots';

const PROMPT = `alerts-demo-${Date.now()}`;

test('an admin creates a rule; logged errors fire it, the bell shows it and it links to the Logs tab', async ({
  page,
}) => {
  const apiKey = await ensureAdmin(page.request);
  await page.goto('/alerts');
  await expect(page.getByRole('heading', { level: 1, name: 'Alerts' })).toBeVisible();
  const rules = page.getByRole('list', { name: 'Rules' });
  await expect(rules.getByRole('heading', { name: 'New prompt version has a higher error rate' })).toBeVisible();

  // The form says what is missing beside each field.
  const form = page.getByRole('form', { name: 'New rule' });
  await form.getByRole('button', { name: 'Create rule' }).click();
  await expect(form.getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription(/Name the rule/);
  await expect(form.getByRole('textbox', { name: 'Threshold (%)' })).toHaveAccessibleDescription(/Enter a number/);

  await form.getByRole('textbox', { name: 'Name' }).fill('Demo errors');
  await form.getByLabel('Measure').selectOption('error_rate');
  await form.getByRole('textbox', { name: 'Threshold (%)' }).fill('25');
  await form.getByRole('textbox', { name: 'Minimum calls' }).fill('5');
  await form.getByRole('textbox', { name: 'Prompt' }).fill(PROMPT);
  await form.getByRole('button', { name: 'Create rule' }).click();
  const rule = rules.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Demo errors' }) });
  await expect(rule).toContainText('Error rate above 25%');
  await expect(rule).toContainText(`prompt ${PROMPT}`);

  // Six of ten calls fail: 60% against the threshold of 25%.
  const response = await page.request.post('/api/v1/executions/batch', {
    headers: { authorization: `Bearer ${apiKey}` },
    data: {
      executions: Array.from({ length: 10 }, (_, i) => ({
        promptId: PROMPT,
        status: i < 6 ? 'error' : 'success',
        source: { type: 'api' },
        model: 'gpt-4o-mini',
        ...(i < 6 ? { error: { type: 'provider', message: 'Upstream error' } } : { output: 'Fine.' }),
      })),
    },
  });
  expect(response.ok(), await response.text()).toBe(true);

  // The evaluator runs every second here; the bell polls every 15 s.
  const bell = page.getByRole('link', { name: /^Alerts, \d+ unread$/ });
  await expect(bell).toBeVisible({ timeout: 60_000 });
  await bell.click();
  const alerts = page.getByRole('list', { name: 'Alerts' });
  const alert = alerts.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Demo errors' }) });
  await expect(alert).toContainText('Firing');
  await expect(alert).toContainText('Error rate 60% over 10 calls');
  await expect(alert).toContainText('above the threshold of 25%');
  await screenshot(page, 'alerts-page');

  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await expect(page.getByRole('link', { name: 'Alerts', exact: true })).toBeVisible();

  await alert.getByRole('link', { name: 'Show in Logs' }).click();
  await expect(page).toHaveURL(new RegExp(`/prompts/${PROMPT}\\?.*status=error`));
  await expect(page.getByRole('heading', { level: 1, name: PROMPT })).toBeVisible();
});
