import { randomUUID } from 'node:crypto';
import { expect, type Page, type Route, test } from '@playwright/test';
import { admin, adminSession, csrf, ensureAdmin } from './fixtures/admin';
import { screenshot } from './fixtures/screenshots';

const PROMPT = 'project-switch-faq';
// The session is told of a second project the admin is not really in (as one they were removed from since). The
// server answers for it as for any project outside the caller's reach: 404.
const OTHER = { id: randomUUID(), name: 'Billing assistant', role: 'viewer', retentionDays: null };

test.beforeAll(async ({ request }) => {
  const apiKey = await ensureAdmin(request);
  const response = await request.post('/api/v1/executions', {
    headers: { authorization: `Bearer ${apiKey}` },
    data: {
      id: randomUUID(),
      promptId: PROMPT,
      status: 'success',
      source: { type: 'api' },
      model: 'gpt-4o-mini',
      inputs: { question: 'Where is my invoice?' },
      output: 'Under Billing → Invoices.',
      usage: { inputTokens: 12, outputTokens: 6 },
    },
  });
  expect(response.status(), await response.text()).toBe(201);
});

type Sent = { url: URL; showing: string };

/** Records every /api/v1 request with the project the test expects the app to be showing when it is sent. */
function recordRequests(page: Page, showing: () => string): Sent[] {
  const sent: Sent[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/v1/')) sent.push({ url, showing: showing() });
  });
  return sent;
}

test('a user in two projects switches between them, and every request names the project on screen', async ({
  page,
}) => {
  await ensureAdmin(page.request);
  const me = await (await page.request.get('/api/auth/me')).json();
  const support: string = me.projects[0].id;
  await page.route(
    (url) => url.pathname === '/api/auth/me',
    async (route) => {
      const response = await route.fetch();
      const real = await response.json();
      await route.fulfill({ response, json: { ...real, projects: [...real.projects, OTHER] } });
    },
  );
  // The other project's prompt list waits until the test has looked at the screen in between.
  let releaseOther: () => void = () => {};
  const otherHeld = new Promise<void>((resolve) => {
    releaseOther = resolve;
  });
  await page.route(
    (url) => url.pathname === '/api/v1/prompts' && url.searchParams.get('projectId') === OTHER.id,
    async (route: Route) => {
      await otherHeld;
      await route.fallback();
    },
  );
  let showing = support;
  const sent = recordRequests(page, () => showing);

  await page.goto('/');
  const banner = page.getByRole('banner');
  const nav = page.getByRole('navigation', { name: 'Main' });
  const switcher = banner.getByRole('combobox', { name: 'Project', exact: true });
  await expect(switcher).toContainText(admin.projectName);
  await expect(switcher).toContainText('admin');
  await expect(switcher).toHaveAttribute('aria-expanded', 'false');
  const prompts = page.getByRole('table', { name: 'Prompts' });
  await expect(prompts.getByRole('link', { name: PROMPT })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Settings' })).toBeVisible();
  await screenshot(banner, 'project-switcher');

  await switcher.click();
  const listbox = page.getByRole('listbox', { name: 'Project' });
  await expect(listbox.getByRole('option')).toHaveCount(2);
  await expect(listbox.getByRole('option', { name: `${admin.projectName}, admin` })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  const otherOption = listbox.getByRole('option', { name: `${OTHER.name}, viewer` });
  await expect(otherOption).toHaveAttribute('aria-selected', 'false');
  await screenshot(page, 'project-switcher-open', { clip: { x: 0, y: 0, width: 1280, height: 200 } });

  showing = OTHER.id;
  await otherOption.click();
  await expect(page).toHaveURL(`/?project=${OTHER.id}`);
  await expect(listbox).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: OTHER.name })).toBeVisible();
  // Nothing of the project before stays on screen while the next one loads.
  await expect(page.getByText('Loading prompts…')).toBeVisible();
  await expect(prompts).toHaveCount(0);
  releaseOther();
  const error = page.getByRole('alert');
  await expect(error).toContainText('Could not load the prompts');
  await expect(error).toContainText(`No project ${OTHER.id}`);
  await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
  await expect(page.getByText(PROMPT)).toHaveCount(0);
  await expect(switcher).toContainText(OTHER.name);
  // The role shown and the links offered follow the project on screen: a viewer there has no Settings.
  await expect(nav.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  await screenshot(page, 'project-switcher-no-access', { fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(switcher).toBeInViewport();
  await screenshot(page, 'project-switcher-narrow');
  await page.setViewportSize({ width: 1280, height: 720 });

  // The choice survives a reload and follows the links.
  await page.reload();
  await expect(switcher).toContainText(OTHER.name);
  await expect(page.getByRole('alert')).toContainText(`No project ${OTHER.id}`);
  await nav.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page).toHaveURL(`/dashboard?project=${OTHER.id}`);
  await expect(page.getByRole('alert').filter({ hasText: 'Could not load the totals' })).toContainText(
    `No project ${OTHER.id}`,
  );

  // Back by keyboard: arrows only look through the options; Enter chooses.
  await switcher.focus();
  await page.keyboard.press('ArrowDown');
  await expect(switcher).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowUp');
  await expect(switcher).toHaveAttribute(
    'aria-activedescendant',
    (await listbox.getByRole('option', { name: `${admin.projectName}, admin` }).getAttribute('id')) ?? '',
  );
  await page.keyboard.press('Escape');
  await expect(switcher).toHaveAttribute('aria-expanded', 'false');
  await expect(page).toHaveURL(`/dashboard?project=${OTHER.id}`);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Home');
  showing = support;
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(`/?project=${support}`);
  await expect(switcher).toBeFocused();
  await expect(switcher).toContainText(admin.projectName);
  await expect(prompts.getByRole('link', { name: PROMPT })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Settings' })).toBeVisible();

  // The first project's dashboard, logs, live updates and analytics ask for that project too.
  await nav.getByRole('link', { name: 'Dashboard' }).click();
  const totals = page.getByRole('region', { name: 'Organisation totals' });
  await expect(totals).toBeVisible();
  await expect(totals).not.toHaveAttribute('aria-busy', 'true');
  await nav.getByRole('link', { name: 'Prompts' }).click();
  await prompts.getByRole('link', { name: PROMPT }).click();
  await expect(page).toHaveURL(new RegExp(`/prompts/${PROMPT}\\?project=${support}$`));
  await expect(page.getByRole('table', { name: `Executions of ${PROMPT}` }).getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toHaveText('Live');
  await page.getByRole('tab', { name: 'Analytics' }).click();
  await expect(page.getByRole('region', { name: `Totals for ${PROMPT}` })).toBeVisible();

  const paths = new Set(sent.map(({ url }) => url.pathname));
  for (const path of [
    '/api/v1/prompts',
    '/api/v1/executions',
    '/api/v1/executions/events',
    '/api/v1/analytics/summary',
    '/api/v1/analytics/timeseries',
    '/api/v1/analytics/breakdown',
  ]) {
    expect(paths, `no request to ${path} was seen`).toContain(path);
  }
  const wrong = sent
    .filter(({ url, showing }) => url.searchParams.get('projectId') !== showing)
    .map(({ url, showing }) => `${url.pathname}${url.search} (showing ${showing})`);
  expect(wrong).toEqual([]);
  expect(sent.filter(({ showing }) => showing === OTHER.id).map(({ url }) => url.pathname)).toEqual(
    expect.arrayContaining(['/api/v1/prompts', '/api/v1/analytics/summary']),
  );
});

test('a user in one project sees its name, not a switcher, and links carry no project', async ({ page }) => {
  await ensureAdmin(page.request);
  await page.goto('/');
  const banner = page.getByRole('banner');
  await expect(banner).toContainText(admin.projectName);
  await expect(banner.getByRole('combobox')).toHaveCount(0);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});

test('a project the user is no longer in falls back to the first, and the URL forgets it', async ({ page }) => {
  await ensureAdmin(page.request);
  const gone = randomUUID();
  await page.goto(`/?project=${gone}`);
  await expect(page.getByRole('heading', { level: 1, name: admin.projectName })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Prompts' }).getByRole('link', { name: PROMPT })).toBeVisible();
  await expect(page).toHaveURL(/\/$/);
});

test('an admin creates a project, sees its key once, switches to it, renames it and deletes it', async ({ page }) => {
  const { csrfToken } = await adminSession(page.request);
  let createdId: string | null = null;
  try {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/');
    const banner = page.getByRole('banner');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(banner.getByRole('combobox')).toHaveCount(0);

    // Create: a name first, then the key, shown once.
    await banner.getByRole('link', { name: 'New project' }).click();
    await expect(page).toHaveURL(/\/projects\/new/);
    await expect(page.getByRole('heading', { level: 1, name: 'New project' })).toBeVisible();
    const form = page.getByRole('form', { name: 'New project' });
    await form.getByRole('button', { name: 'Create project' }).click();
    await expect(form.getByLabel('Project name')).toHaveAccessibleDescription('Enter a name for the project.');
    await form.getByLabel('Project name').fill('Refunds desk');
    await screenshot(page, 'project-new', { fullPage: true });
    await form.getByRole('button', { name: 'Create project' }).click();

    await expect(page.getByRole('heading', { name: 'Save the API key of “Refunds desk”' })).toBeFocused();
    const key = await page.getByRole('textbox', { name: 'API key' }).inputValue();
    expect(key).toMatch(/^pl_/);
    await expect(page.getByText('It is shown only once')).toBeVisible();
    await screenshot(page, 'project-created-key', { fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(banner.getByRole('link', { name: 'New project' })).toBeInViewport();
    await screenshot(page, 'project-created-key-narrow', { fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });

    // The switcher lists the new project at once.
    const switcher = banner.getByRole('combobox', { name: 'Project', exact: true });
    await expect(switcher).toContainText(admin.projectName);
    const me = await (await page.request.get('/api/auth/me')).json();
    const created = me.projects.find((project: { name: string }) => project.name === 'Refunds desk');
    expect(created).toMatchObject({ role: 'admin' });
    createdId = created.id;

    // The key logs to the new project.
    const logged = await page.request.post('/api/v1/executions', {
      headers: { authorization: `Bearer ${key}` },
      data: { promptId: 'refund-reply', status: 'success', source: { type: 'api' }, model: 'gpt-4o-mini' },
    });
    expect(logged.status(), await logged.text()).toBe(201);

    // Switch to it.
    await page.getByRole('button', { name: 'Open Refunds desk' }).click();
    await expect(page).toHaveURL(`/?project=${createdId}`);
    await expect(switcher).toContainText('Refunds desk');
    await expect(switcher).toContainText('admin');
    await expect(page.getByRole('heading', { level: 1, name: 'Refunds desk' })).toBeVisible();
    await expect(
      page.getByRole('table', { name: 'Prompts' }).getByRole('link', { name: 'refund-reply' }),
    ).toBeVisible();
    await expect(page.getByRole('table', { name: 'Prompts' }).getByRole('link', { name: PROMPT })).toHaveCount(0);

    // The dashboard can total both projects.
    await nav.getByRole('link', { name: 'Dashboard' }).click();
    await expect(page.getByLabel('Projects', { exact: true })).toContainText('All my projects (2)');

    // The key is not shown again: the API keys tab knows its prefix only.
    await nav.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'API keys' }).click();
    await expect(page.getByRole('table', { name: 'API keys' })).toContainText('Default key');
    await expect(page.getByText(key)).toHaveCount(0);

    // Leaving speaks to the person leaving.
    await page.getByRole('tab', { name: 'Members' }).click();
    await page.getByRole('button', { name: `Leave ${admin.email}` }).click();
    const leave = page.getByRole('dialog', { name: 'Leave Refunds desk?' });
    await expect(leave).toContainText('You will lose access to Refunds desk at once');
    await expect(leave).not.toContainText('Their account');
    await leave.getByRole('button', { name: 'Cancel' }).click();
    await expect(leave).toHaveCount(0);

    // Rename.
    await page.getByRole('tab', { name: 'Project', exact: true }).click();
    const nameForm = page.getByRole('form', { name: 'Project name' });
    await nameForm.getByLabel('Project name').fill('Refunds & returns');
    await nameForm.getByRole('button', { name: 'Save name' }).click();
    await expect(nameForm.getByRole('status')).toHaveText('Saved.');
    await expect(switcher).toContainText('Refunds & returns');
    await expect(page.getByRole('heading', { level: 1, name: 'Refunds & returns' })).toBeVisible();
    await screenshot(page, 'settings-project', { fullPage: true });

    // Delete, once the name is typed.
    await page.getByRole('button', { name: 'Delete project…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Refunds & returns?' });
    const confirmName = dialog.getByLabel('Type Refunds & returns to confirm');
    await expect(confirmName).toBeFocused();
    await confirmName.fill('Refunds');
    await dialog.getByRole('button', { name: 'Delete project' }).click();
    await expect(confirmName).toHaveAccessibleDescription("That is not the project's name; type it exactly as shown.");
    await expect(dialog).toBeVisible();
    await confirmName.fill('Refunds & returns');
    await screenshot(page, 'project-delete-dialog');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'project-delete-dialog-narrow');
    await page.setViewportSize({ width: 1440, height: 900 });
    await dialog.getByRole('button', { name: 'Delete project' }).click();

    await expect(page).toHaveURL(/\/$/);
    await expect(banner.getByRole('combobox')).toHaveCount(0);
    await expect(banner).toContainText(admin.projectName);
    await expect(page.getByRole('table', { name: 'Prompts' }).getByRole('link', { name: PROMPT })).toBeVisible();
    createdId = null;
    const refused = await page.request.post('/api/v1/executions', {
      headers: { authorization: `Bearer ${key}` },
      data: { promptId: 'refund-reply', status: 'success', source: { type: 'api' }, model: 'gpt-4o-mini' },
    });
    expect(refused.status()).toBe(401);
  } finally {
    // Later specs expect the admin in one project.
    if (createdId) await page.request.delete(`/api/v1/projects/${createdId}`, { headers: csrf(csrfToken) });
  }
});

test("the audit log shows the first start and an export's filters in words", async ({ page }) => {
  await ensureAdmin(page.request);
  const exported = await page.request.get('/api/v1/executions/export?status=error&source=workflow');
  expect(exported.status(), await exported.text()).toBe(200);

  await page.goto('/settings?tab=audit&action=export.made');
  const latest = page.getByRole('list', { name: 'Audit events' }).getByRole('listitem').first();
  await expect(latest).toContainText('exported the executions of all prompts');
  await expect(latest).toContainText('status: error, source: workflow');
  await expect(latest).not.toContainText('{');

  await page.goto('/settings?tab=audit&action=setup.admin_created&action=project.created');
  const feed = page.getByRole('list', { name: 'Audit events' });
  await expect(feed.getByRole('listitem').filter({ hasText: 'created the first admin account' })).toContainText(
    admin.email,
  );
  await expect(feed.getByRole('listitem').filter({ hasText: 'created the project' }).last()).toContainText(
    admin.projectName,
  );
});
