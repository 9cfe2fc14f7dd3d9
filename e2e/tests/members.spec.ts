import { randomUUID } from 'node:crypto';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { admin, ensureAdmin } from './fixtures/admin';
import { screenshot } from './fixtures/screenshots';

const PROMPT = 'team-handbook';
const SECRET_INPUT = 'What is the parental leave policy for the Lisbon office?';
const editor = { email: 'editor@example.com', password: 'editor password 123' };
const viewer = { email: 'viewer@example.com', password: 'viewer password 123' };

test.beforeAll(async ({ request }) => {
  const apiKey = await ensureAdmin(request);
  const response = await request.post('/api/v1/executions', {
    headers: { authorization: `Bearer ${apiKey}` },
    data: {
      id: randomUUID(),
      promptId: PROMPT,
      status: 'success',
      source: { type: 'chat' },
      model: 'gpt-4o-mini',
      inputs: { question: SECRET_INPUT },
      output: 'Sixteen weeks.',
      usage: { inputTokens: 30, outputTokens: 4 },
    },
  });
  expect(response.status(), await response.text()).toBe(201);
});

async function invite(page: Page, role: 'editor' | 'viewer', email: string): Promise<string> {
  const form = page.getByRole('form', { name: 'New invite' });
  await form.getByRole('radio', { name: new RegExp(`^${role}`) }).check();
  await form.getByLabel('Email (optional)').fill(email);
  await form.getByLabel('Link expires after').selectOption({ label: '7 days' });
  await form.getByRole('button', { name: 'Create invite link' }).click();
  await expect(page.getByRole('heading', { name: `Invite link for a new ${role} (${email})` })).toBeFocused();
  await expect(page.getByText('It will not be shown again')).toBeVisible();
  const link = await page.getByLabel('Invite link', { exact: true }).inputValue();
  expect(link).toMatch(new RegExp(`^${new URL(page.url()).origin}/invite/\\S+$`));
  return link;
}

async function accept(browser: Browser, link: string, account: { email: string; password: string }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await expect(page.getByRole('heading', { name: `Join ${admin.projectName}` })).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue(account.email);
  await page.getByRole('button', { name: 'Create account and join' }).click();
  await expect(page.getByLabel('Password')).toHaveAccessibleDescription('Use at least 10 characters.');
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Create account and join' }).click();
  await expect(page.getByRole('heading', { level: 1, name: admin.projectName })).toBeVisible();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('banner')).toContainText(account.email);
  return { context, page };
}

test('an admin invites an editor and a viewer; the editor reads the logs, the viewer only the analytics', async ({
  page,
  browser,
}) => {
  // Three people, three browser contexts and several logins (scrypt): longer than one page's journey.
  test.setTimeout(60_000);
  await ensureAdmin(page.request);
  await page.goto('/settings');
  await expect(page.getByRole('tab', { name: 'Members' })).toHaveAttribute('aria-selected', 'true');
  const members = page.getByRole('table', { name: 'Members' });
  await expect(members.getByRole('row').filter({ hasText: admin.email })).toContainText('(you)');
  await expect(members.getByLabel(`Role of ${admin.email}`)).toHaveValue('admin');
  await expect(page.getByText('No invite is waiting to be used.')).toBeVisible();

  const editorLink = await invite(page, 'editor', editor.email);
  await screenshot(page, 'settings-invite-created', { fullPage: true });
  await page.getByRole('button', { name: 'Done' }).click();
  const viewerLink = await invite(page, 'viewer', viewer.email);
  await page.getByRole('button', { name: 'Done' }).click();
  const pending = page.getByRole('list', { name: 'Pending invites' });
  await expect(pending.getByRole('listitem')).toHaveCount(2);
  await expect(pending).toContainText(viewer.email);

  // The invite page, before anyone logs in.
  const preview = await browser.newContext();
  const previewPage = await preview.newPage();
  await previewPage.goto(viewerLink);
  await expect(previewPage.getByRole('heading', { name: `Join ${admin.projectName}` })).toBeVisible();
  await expect(previewPage.getByText(/invited to Support bot as viewer/)).toBeVisible();
  await screenshot(previewPage, 'invite-page', { fullPage: true });
  await previewPage.getByRole('button', { name: 'Log in first' }).click();
  await expect(previewPage.getByRole('button', { name: 'Log in' })).toBeVisible();
  await screenshot(previewPage, 'invite-page-login', { fullPage: true });
  await preview.close();

  const asEditor = await accept(browser, editorLink, editor);
  await asEditor.page.getByRole('table', { name: 'Prompts' }).getByRole('link', { name: PROMPT }).click();
  await expect(asEditor.page.getByRole('tab', { name: 'Logs' })).toHaveAttribute('aria-selected', 'true');
  const rows = asEditor.page.getByRole('table', { name: `Executions of ${PROMPT}` }).getByRole('row');
  await expect(rows).toHaveCount(2);
  await rows.nth(1).getByRole('cell').first().click();
  await expect(asEditor.page.getByRole('dialog', { name: 'Execution details' })).toContainText(SECRET_INPUT);
  await expect(
    asEditor.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }),
  ).toHaveCount(0);
  await asEditor.context.close();

  const asViewer = await accept(browser, viewerLink, viewer);
  const viewerPage = asViewer.page;
  const logRequests: string[] = [];
  viewerPage.on('request', (req) => {
    if (new URL(req.url()).pathname.startsWith('/api/v1/executions')) logRequests.push(req.url());
  });
  await viewerPage.getByRole('table', { name: 'Prompts' }).getByRole('link', { name: PROMPT }).click();
  await expect(viewerPage.getByRole('tab', { name: 'Analytics' })).toHaveAttribute('aria-selected', 'true');
  await expect(viewerPage.getByRole('region', { name: `Totals for ${PROMPT}` })).toBeVisible();
  await viewerPage.getByRole('tab', { name: 'Logs' }).click();
  await expect(viewerPage.getByRole('heading', { name: 'You cannot see this prompt’s logs' })).toBeVisible();
  await expect(viewerPage.getByText('ask an admin for edit access to this prompt')).toBeVisible();
  await expect(viewerPage.getByRole('table', { name: `Executions of ${PROMPT}` })).toHaveCount(0);
  await expect(viewerPage.getByText(SECRET_INPUT)).toHaveCount(0);
  await screenshot(viewerPage, 'logs-viewer-no-access', { fullPage: true });
  expect(logRequests).toEqual([]);
  // The API agrees with the page.
  const forbidden = await viewerPage.request.get(`/api/v1/executions?promptId=${PROMPT}`);
  expect(forbidden.status()).toBe(403);

  await viewerPage.goto('/settings');
  await expect(viewerPage.getByRole('heading', { name: 'You need the admin role' })).toBeVisible();
  await screenshot(viewerPage, 'settings-not-admin', { fullPage: true });
  // A used link says so.
  await viewerPage.goto(viewerLink);
  await expect(viewerPage.getByRole('heading', { name: 'This invite link no longer works' })).toBeVisible();
  await asViewer.context.close();

  await page.reload();
  await expect(members.getByLabel(`Role of ${editor.email}`)).toHaveValue('editor');
  await expect(members.getByLabel(`Role of ${viewer.email}`)).toHaveValue('viewer');
  await expect(members.getByRole('row').filter({ hasText: viewer.email })).toContainText('Analytics only');
  await expect(page.getByText('No invite is waiting to be used.')).toBeVisible();
  await screenshot(page, 'settings-members', { fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'settings-members-narrow', { fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });

  // Granting the viewer this prompt opens its logs to them.
  await members.getByRole('button', { name: `Manage prompt access of ${viewer.email}` }).click();
  const drawer = page.getByRole('dialog', { name: `Prompt access of ${viewer.email}` });
  await drawer.getByRole('checkbox', { name: PROMPT }).check();
  await expect(drawer.getByRole('checkbox', { name: PROMPT })).toBeChecked();
  await expect(members.getByRole('row').filter({ hasText: viewer.email })).toContainText('Logs of 1 prompt');
  await screenshot(page, 'settings-prompt-access');
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);

  // The last admin cannot be demoted.
  await members.getByLabel(`Role of ${admin.email}`).selectOption('viewer');
  await expect(page.getByRole('alert')).toContainText(`Could not change the role of ${admin.email}`);
  await expect(members.getByLabel(`Role of ${admin.email}`)).toHaveValue('admin');

  // Removed, then invited back: an existing account logs in first and joins with one click.
  await members.getByRole('button', { name: `Remove ${editor.email}` }).click();
  const removal = page.getByRole('dialog', { name: `Remove ${editor.email}?` });
  await expect(removal.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await removal.getByRole('button', { name: 'Remove member' }).click();
  await expect(removal).toHaveCount(0);
  await expect(members.getByRole('row').filter({ hasText: editor.email })).toHaveCount(0);
  const again = await invite(page, 'editor', editor.email);
  const returning = await browser.newContext();
  const returningPage = await returning.newPage();
  await returningPage.goto(again);
  await returningPage.getByRole('button', { name: 'Log in first' }).click();
  await expect(returningPage.getByLabel('Email')).toHaveValue(editor.email);
  await returningPage.getByLabel('Password').fill(editor.password);
  await returningPage.getByRole('button', { name: 'Log in' }).click();
  await expect(returningPage.getByText(`You are logged in as ${editor.email}.`)).toBeVisible();
  await expect(returningPage).toHaveURL(again);
  await screenshot(returningPage, 'invite-page-join', { fullPage: true });
  await returningPage.getByRole('button', { name: `Join ${admin.projectName}` }).click();
  await expect(returningPage.getByRole('heading', { level: 1, name: admin.projectName })).toBeVisible();
  await returning.close();
  await page.reload();
  await expect(members.getByLabel(`Role of ${editor.email}`)).toHaveValue('editor');
});
