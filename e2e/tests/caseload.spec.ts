// Weighted caseloads on the demo authority: a team manager allocates a child
// to a newly qualified worker already over their protected cap, overrides
// with a reason and finds it in the team's report; the ASYE worker sees their
// protected caseload; the pod administrator sees the pod's dashboard.
import { test, expect, checkPage, signIn, signOut, londonToday, DEMO_PASSWORD, homeOf } from './support';

test.describe('caseloads', () => {
  test('a team manager overrides the ASYE cap with a reason and sees it in the report', async ({ page }) => {
    await signIn(page, 'team_manager');
    const team = page.getByRole('table', { name: 'Children in my team' });
    await team.getByRole('link').first().click();
    await checkPage(page);
    await page.getByRole('link', { name: 'Allocate a worker' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Allocate a worker');
    await checkPage(page);
    // The manager's own team is listed first; its ASYE worker is over the cap.
    const over = page.locator('.govuk-radios__item', { hasText: 'Over the protected ASYE cap' }).first();
    await over.locator('input').check();
    await page.getByLabel('Reason for the change of worker').selectOption('MANAGE');
    const [d, m, y] = londonToday();
    await page.getByLabel('Day').fill(d);
    await page.getByLabel('Month').fill(m);
    await page.getByLabel('Year').fill(y);
    await page.getByRole('button', { name: 'Allocate' }).click();
    await expect(page.locator('.govuk-error-summary')).toContainText('would go over their protected ASYE cap');
    await checkPage(page);
    const reason = 'Only worker who knows the family; review in two weeks';
    await page.getByLabel('Reason for overriding capacity (only if needed)').fill(reason);
    await page.getByRole('button', { name: 'Allocate' }).click();
    await expect(page.locator('.govuk-notification-banner')).toContainText('Allocation saved');
    // The override is in the child's audit trail, with what it breached.
    await page.getByRole('link', { name: 'Who has viewed or changed this record' }).click();
    await expect(page.getByRole('main')).toContainText("Allocated past the caseload cap (manager's override)");
    await expect(page.getByRole('main')).toContainText('asye_cap');
    await checkPage(page);
    await page.getByRole('link', { name: 'Caseloads', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Caseload overrides' })).toBeVisible();
    await expect(page.getByRole('table', { name: /overrides/ })).toContainText(reason);
    await checkPage(page);
    await signOut(page);
  });

  test('a team manager moves a leaver\'s children to other workers in one go', async ({ page }) => {
    await signIn(page, 'team_manager');
    await page.getByRole('link', { name: 'Caseloads', exact: true }).click();
    // The least loaded worker who still holds children, not the ASYE worker.
    const rows = page.getByRole('table', { name: 'Workers, most loaded first' }).locator('tbody tr');
    const n = await rows.count();
    let leaver = '';
    for (let i = n - 1; i >= 0 && !leaver; i--) {
      const cells = await rows.nth(i).locator('td').allInnerTexts();
      const name = (await rows.nth(i).locator('th').innerText()).trim();
      if (!name.includes('ASYE') && Number(cells[1]) > 0) leaver = name.split('\n')[0].replace(/ Agency$/, '').trim();
    }
    expect(leaver).not.toBe('');
    await page.getByRole('link', { name: leaver, exact: true }).click();
    await checkPage(page);
    await page.getByRole('link', { name: `Move ${leaver}'s children to other workers` }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Move ${leaver}'s children to other workers`);
    await checkPage(page);
    const children = await page.locator('select[name^="worker-"]').count();
    expect(children).toBeGreaterThan(0);
    // One worker for all: the first whose load stays within capacity.
    const options = page.locator('#all option');
    let pick = '';
    for (let i = 1; i < (await options.count()) && !pick; i++) {
      const t = await options.nth(i).innerText();
      if (!t.includes('needs your override') && !t.includes('Red')) pick = (await options.nth(i).getAttribute('value')) ?? '';
    }
    expect(pick).not.toBe('');
    await page.locator('#all').selectOption(pick);
    await page.getByLabel('Reason for the change of worker').selectOption('MANAGE');
    const [d, m, y] = londonToday();
    await page.getByLabel('Day').fill(d);
    await page.getByLabel('Month').fill(m);
    await page.getByLabel('Year').fill(y);
    await page.getByRole('button', { name: 'Move the children' }).click();
    await expect(page.locator('.govuk-notification-banner')).toContainText(`${children} ${children === 1 ? 'child' : 'children'} moved`);
    await expect(page.getByRole('main')).toContainText('No children allocated.');
    await checkPage(page);
    await signOut(page);
  });

  test('an ASYE worker sees their protected caseload', async ({ page }) => {
    await page.goto('/sign-in');
    await page.getByLabel('Email address', { exact: true }).fill('asye_worker@demo.harbour.test');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(homeOf('social_worker').heading);
    await page.getByRole('link', { name: 'Caseloads', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('My caseload');
    await expect(page.locator('.govuk-inset-text')).toContainText('Protected caseload');
    await expect(page.getByRole('table', { name: "Each child's weight and why" })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Weekly snapshots' })).toBeVisible();
    await checkPage(page);
    await signOut(page);
  });

  test('a pod administrator sees the pod dashboard', async ({ page }) => {
    await signIn(page, 'pod_admin');
    await page.getByRole('link', { name: 'Caseloads', exact: true }).click();
    await expect(page.getByRole('table', { name: 'By team' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Workers, most loaded first' })).toContainText('Red');
    await checkPage(page);
    await signOut(page);
  });
});
