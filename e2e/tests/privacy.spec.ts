// The privacy officer's retention review and subject access pages, on the
// demo authority (which holds records due for review and one open request):
// each page renders and passes the accessibility checks. Deciding, redacting
// and exporting are covered by the router tests (crates/web/tests/it/privacy.rs).
import { test, expect, checkPage, signIn } from './support';

test('the privacy officer opens the retention review and a subject access request', async ({ page }) => {
  await signIn(page, 'privacy_officer');

  await page.goto('/privacy/retention');
  await checkPage(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Retention review');
  const decision = page.locator('main a[href*="/privacy/retention/"][href$="/decision"]').first();
  await expect(decision, 'the demo has records due for review').toBeVisible();
  await decision.click();
  await page.waitForLoadState('load');
  await checkPage(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Retention decision');

  await page.goto('/privacy/subject-access');
  await checkPage(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Subject access requests');
  const request = page.locator('main a[href^="/privacy/subject-access/"]:not([href$="/new"])').first();
  await expect(request, 'the demo has an open request').toBeVisible();
  await request.click();
  await page.waitForLoadState('load');
  await checkPage(page);

  await page.goto('/privacy/subject-access/new');
  await checkPage(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Log a subject access request');
});
