import { expect, type Page, test } from '@playwright/test';
import { createMember } from './fixtures/admin';
import { screenshot } from './fixtures/screenshots';

// Its own member, so changing the password never touches the admin the other specs log in as.
const member = { email: 'account-owner@example.com', password: 'first password 123', role: 'editor' as const };
const newPassword = 'second password 456';

async function logIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

test('a member changes their password, logs in with the new one, then logs out everywhere', async ({
  page,
  request,
  playwright,
  browser,
}) => {
  await createMember(
    request,
    () => playwright.request.newContext({ baseURL: test.info().project.use.baseURL }),
    member,
  );

  await page.goto('/');
  await logIn(page, member.email, member.password);
  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { level: 1, name: member.email })).toBeVisible();
  await expect(page.getByText('Support bot — editor')).toBeVisible();

  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByLabel('Current password')).toBeFocused();
  await expect(page.getByLabel('Current password')).toHaveAccessibleDescription('Enter your current password.');

  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('Confirm new password').fill(`${newPassword}!`);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByLabel('Confirm new password')).toHaveAccessibleDescription(
    'The two new passwords do not match.',
  );
  await page.getByLabel('Confirm new password').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByLabel('Current password')).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'account-password-error', { fullPage: true });

  await page.getByLabel('Current password').fill(member.password);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your password was changed' })).toBeVisible();
  await expect(page.getByLabel('Current password')).toHaveValue('');
  await screenshot(page, 'account-page', { fullPage: true });

  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Log in to Promptlog' })).toBeVisible();
  await logIn(page, member.email, member.password);
  await expect(page.getByRole('alert')).toContainText(/wrong|invalid|incorrect/i);
  await page.getByLabel('Password').fill(newPassword);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('button', { name: 'Log out', exact: true })).toBeVisible();

  // A second device, logged in too, is logged out with this one.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto('/');
  await logIn(otherPage, member.email, newPassword);
  await expect(otherPage.getByRole('button', { name: 'Log out', exact: true })).toBeVisible();

  await page.goto('/account');
  await page.getByRole('button', { name: 'Log out everywhere' }).click();
  const confirm = page.getByRole('dialog', { name: 'Log out everywhere?' });
  await expect(confirm).toBeVisible();
  await screenshot(page, 'account-logout-everywhere');
  await confirm.getByRole('button', { name: 'Log out everywhere' }).click();
  await expect(page.getByRole('heading', { name: 'Log in to Promptlog' })).toBeVisible();
  await expect(page).toHaveURL(/\/$/);

  await otherPage.reload();
  await expect(otherPage.getByRole('heading', { name: 'Log in to Promptlog' })).toBeVisible();
  await other.close();
});
