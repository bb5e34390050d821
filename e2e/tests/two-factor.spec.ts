// Setting up an authenticator app from the account page. The demo database
// is shared by every spec, so this journey stops short of confirming: a
// pending secret changes nothing about signing in.
import { test, expect, checkPage, signIn } from './support';

test.describe('two-factor set-up', () => {
  test('an analyst starts setting up an app, sees the key as text, and a wrong code is refused', async ({ page }) => {
    await signIn(page, 'analyst');
    await page.getByRole('banner').getByRole('link', { name: 'Two-factor authentication', exact: true }).click();
    await page.waitForLoadState('load');
    await checkPage(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Two-factor authentication');
    await page.getByRole('button', { name: 'Set up an authenticator app', exact: true }).click();
    await page.waitForLoadState('load');
    await checkPage(page);
    await expect(page.locator('#totp-secret')).toHaveText(/^[A-Z2-7]{32}$/);
    await expect(page.locator('#totp-uri')).toContainText('otpauth://totp/Harbour:');

    await page.getByLabel('Code from your authenticator app', { exact: true }).fill('12345');
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.waitForLoadState('load');
    await checkPage(page);
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await expect(summary).toContainText('Enter the 6-digit code your authenticator app shows now');
    // Still pending: the key is shown again for another try.
    await expect(page.locator('#totp-secret')).toBeVisible();
  });
});
