// Signing in and out, and the sign-in page itself.
import { test, expect, checkPage, signIn, signOut, emailOf } from './support';

test.describe('sign in', () => {
  test('the sign-in page has the expected fields', async ({ page }) => {
    await page.goto('/sign-in');
    await checkPage(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to Harbour');
    await expect(page.getByLabel('Email address', { exact: true })).toBeVisible();
    await expect(page.getByLabel('Password', { exact: true })).toBeVisible();
    const code = page.getByLabel('Authentication code', { exact: true });
    await expect(code).toBeVisible();
    // The code is optional and explained by hint text.
    await expect(code).toHaveAccessibleDescription(/\S/);
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  });

  test('a wrong password shows the error summary', async ({ page }) => {
    await page.goto('/sign-in');
    await checkPage(page);
    await page.getByLabel('Email address', { exact: true }).fill(emailOf('team_manager'));
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForLoadState('load');

    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await expect(summary).toBeVisible();
    await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
    await expect(summary).toContainText('Enter a correct email address and password');
    await expect(page).not.toHaveURL(/\/my-work/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to Harbour');
    // The password is never echoed back.
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
    await checkPage(page);
  });

  test('a social worker signs in, sees My work and signs out', async ({ page }) => {
    await signIn(page, 'social_worker');
    await expect(page.getByRole('banner').getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
    await signOut(page);
  });

  test('signed-out visitors are sent to sign in', async ({ page }) => {
    await page.goto('/my-work');
    await expect(page).toHaveURL(/\/sign-in(\?.*)?$/);
    await checkPage(page);
  });
});
