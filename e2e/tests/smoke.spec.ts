import { expect, type Page, test } from '@playwright/test';
import { admin, saveApiKey } from './fixtures/admin';
import { screenshot } from './fixtures/screenshots';

async function logIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

// The server starts empty once per run and setup can happen only once, so these run in order.
test.describe('first run', () => {
  test.describe.configure({ mode: 'serial' });

  test('creates the admin, shows the API key once, and logs out and back in', async ({ page, request }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Create the admin account' })).toBeVisible();
    await screenshot(page, 'setup-page', { fullPage: true });

    await page.getByRole('button', { name: 'Create admin account' }).click();
    await expect(page.getByLabel('Email')).toBeFocused();
    await expect(page.getByLabel('Email')).toHaveAccessibleDescription('Enter your email address.');
    await expect(page.getByLabel('Password')).toHaveAccessibleDescription('Use at least 10 characters.');
    await expect(page.getByLabel('Project name')).toHaveAccessibleDescription('Give your first project a name.');
    await screenshot(page, 'setup-page-errors', { fullPage: true });

    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByLabel('Project name').fill(admin.projectName);
    await page.getByRole('button', { name: 'Create admin account' }).click();

    await expect(page.getByRole('heading', { name: 'Save your API key' })).toBeVisible();
    const apiKey = await page.getByLabel('API key', { exact: true }).inputValue();
    expect(apiKey).toMatch(/^\S{16,}$/);
    saveApiKey(apiKey);
    const curl = page.getByRole('figure', { name: 'curl' });
    await expect(curl).toContainText(`Bearer ${apiKey}`);
    await expect(curl).toContainText(`${new URL(page.url()).origin}/api/v1/executions`);
    await screenshot(page, 'api-key', { fullPage: true });

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy API key' }).click();
    await expect(page.getByText('Copied', { exact: true })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(apiKey);

    const body = /-d '(.+)'/s.exec((await curl.locator('pre').textContent()) ?? '')?.[1];
    expect(body).toBeDefined();

    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('heading', { level: 1, name: admin.projectName })).toBeVisible();
    await expect(page.getByRole('banner')).toContainText(admin.projectName);
    await expect(page.getByRole('banner')).toContainText(admin.email);
    await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
    // With no prompts yet, the Prompts page explains how to log the first execution.
    await expect(page.getByRole('heading', { name: 'Send your first execution' })).toBeVisible();
    await expect(page.getByRole('figure', { name: 'curl' })).toContainText('Bearer $PROMPTLOG_API_KEY');
    await expect(page.getByRole('link', { name: 'API docs' })).toHaveAttribute('href', '/api/docs');
    await screenshot(page, 'prompts-empty', { fullPage: true });

    // The example on screen must be one the server accepts; its prompt then appears in the list.
    const logged = await request.post('/api/v1/executions', {
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      data: body,
    });
    expect(logged.status(), await logged.text()).toBeLessThan(300);
    await page.reload();
    await expect(
      page.getByRole('table', { name: 'Prompts' }).getByRole('link', { name: 'support-reply' }),
    ).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: admin.projectName })).toBeVisible();
    await expect(page.getByLabel('API key', { exact: true })).toHaveCount(0);
    await expect(page.getByText(apiKey)).toHaveCount(0);
    await screenshot(page, 'home-page', { fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    // On a phone every main link stays in view, and the page does not scroll sideways.
    for (const link of ['Prompts', 'Conversations', 'Review', 'Dashboard', 'Settings']) {
      await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link })).toBeInViewport();
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'home-page-narrow', { fullPage: true });
    await page.setViewportSize({ width: 1280, height: 720 });

    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page.getByRole('heading', { name: 'Log in to Promptlog' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Log in to Promptlog' })).toBeVisible();

    await logIn(page, admin.email, admin.password);
    await expect(page.getByRole('heading', { level: 1, name: admin.projectName })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  });

  test('a wrong password shows an error and keeps the user on the login page', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Log in to Promptlog' })).toBeVisible();

    await logIn(page, admin.email, 'not the right password');
    await expect(page.getByRole('alert')).toContainText(/wrong|invalid|incorrect/i);
    await expect(page.getByRole('button', { name: 'Log out' })).toHaveCount(0);
    await screenshot(page, 'login-error', { fullPage: true });

    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
  });

  test('the app survives a reload on an unknown path', async ({ page }) => {
    await page.goto('/');
    await logIn(page, admin.email, admin.password);
    await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
    await page.goto('/no/such/page?x=1');
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await page.getByRole('link', { name: 'Go to the project home' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { level: 1, name: admin.projectName })).toBeVisible();
  });
});

// Setup happens once per server, so this test answers the auth API itself to type its own first run.
test('markup typed as the project name is shown as text, never run', async ({ page }) => {
  const payload = '<img src=x onerror=alert(1)>';
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await page.route('**/api/auth/status', (route) => route.fulfill({ json: { needsSetup: true } }));
  await page.route('**/api/auth/me', (route) =>
    route.fulfill({ status: 401, json: { error: { code: 'unauthorized', message: 'Log in first' } } }),
  );
  // The stubbed session is unknown to the server, so the data behind the home page is stubbed too.
  await page.route(
    (url) => url.pathname === '/api/v1/prompts',
    (route) => route.fulfill({ json: { items: [] } }),
  );
  // And the header's alerts bell.
  await page.route(
    (url) => url.pathname === '/api/v1/alerts/events',
    (route) => route.fulfill({ json: { items: [], nextCursor: null, unreadCount: 0 } }),
  );
  await page.route('**/api/auth/setup', async (route) => {
    const sent = route.request().postDataJSON();
    await route.fulfill({
      status: 201,
      json: {
        user: { id: '0192f0c4-7d3a-7000-8000-000000000001', email: sent.email },
        projects: [{ id: '0192f0c4-7d3a-7000-8000-000000000002', name: sent.projectName, role: 'admin' }],
        apiKey: 'pl_test_0123456789abcdef0123',
      },
    });
  });

  await page.goto('/');
  await page.getByLabel('Email').fill('xss@example.com');
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByLabel('Project name').fill(payload);
  await page.getByRole('button', { name: 'Create admin account' }).click();

  await expect(page.getByRole('heading', { name: 'Save your API key' })).toBeVisible();
  await expect(page.getByText(payload)).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page.getByRole('heading', { level: 1, name: payload })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText(payload);
  await expect(page.locator('img')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

test('submit waits for the server, whose validation messages appear beside their fields', async ({ page }) => {
  await page.route('**/api/auth/status', (route) => route.fulfill({ json: { needsSetup: true } }));
  await page.route('**/api/auth/me', (route) =>
    route.fulfill({ status: 401, json: { error: { code: 'unauthorized', message: 'Log in first' } } }),
  );
  let answer = () => {};
  const answered = new Promise<void>((resolve) => {
    answer = resolve;
  });
  await page.route('**/api/auth/setup', async (route) => {
    await answered;
    await route.fulfill({
      status: 400,
      json: {
        error: {
          code: 'validation_failed',
          message: 'Invalid request body: email: invalid email address',
          issues: [{ path: 'email', message: 'invalid email address' }],
        },
      },
    });
  });

  await page.goto('/');
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByLabel('Project name').fill('Support bot');
  await page.getByRole('button', { name: 'Create admin account' }).click();
  await expect(page.getByRole('button', { name: 'Create admin account' })).toBeDisabled();
  answer();

  await expect(page.getByRole('alert')).toContainText('Invalid request body');
  await expect(page.getByLabel('Email')).toHaveAccessibleDescription('Invalid email address');
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: 'Create admin account' })).toBeEnabled();
});
