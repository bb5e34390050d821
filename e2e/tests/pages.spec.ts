// Every remaining page, in the role that uses it, checked with axe and the
// keyboard: decisions (recorded by a manager and by business support on a
// manager's behalf), allocation, sharing, access logs, activity history,
// adding a child, adding a person, privacy oversight and statistics.
import { test, expect, checkPage, signIn, londonToday, escapeRegExp } from './support';
import type { Page } from '@playwright/test';

/** Open the first child listed in any table on My work (managers and pods see their team's). */
async function openFirstChild(page: Page): Promise<string> {
  const link = page.getByRole('main').locator('table a[href^="/children/"]').first();
  const href = (await link.getAttribute('href'))!;
  await link.click();
  await expect(page).toHaveURL(new RegExp(`${escapeRegExp(href)}$`));
  await checkPage(page);
  return href;
}

test('a team manager records a decision, and sees allocation, sharing and the access log', async ({ page }) => {
  await signIn(page, 'team_manager');
  const href = await openFirstChild(page);

  await page.getByRole('button', { name: 'Record a decision' }).click();
  await checkPage(page);
  await page.getByRole('button', { name: 'Save decision', exact: true }).click();
  await page.waitForLoadState('load');
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
  await checkPage(page);
  const [day, month, year] = londonToday(-1);
  const when = page.getByRole('group', { name: 'When was it decided?' });
  await when.getByLabel('Day').fill(day);
  await when.getByLabel('Month').fill(month);
  await when.getByLabel('Year').fill(year);
  await page.getByLabel('Time', { exact: true }).fill('11:15');
  const decision = `Refer to the exploitation panel ${Date.now()}`;
  await page.getByLabel('Decision', { exact: true }).fill(decision);
  await page.getByLabel('Reasons for the decision').fill('Three missing episodes this month and new older associates.');
  await page.getByRole('button', { name: 'Save decision', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${escapeRegExp(href)}\\?saved=decision$`));
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Decision saved');
  await expect(page.getByRole('heading', { level: 3, name: decision })).toBeVisible();
  await checkPage(page);

  await page.getByRole('link', { name: 'Allocate a worker' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Allocate a worker');
  await checkPage(page);
  await page.goto(href);
  await checkPage(page);
  await page.getByRole('link', { name: 'Share with a partner' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Share with a partner');
  await checkPage(page);
  await page.goto(href);
  await checkPage(page);
  await page.getByRole('link', { name: 'Who has viewed or changed this record' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Who has viewed or changed this record');
  await expect(page.getByRole('table')).toContainText('Recorded a decision');
  await checkPage(page);

  await page.getByRole('link', { name: 'My activity' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Access history');
  await checkPage(page);
  await page.getByRole('link', { name: 'Statistics' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Service statistics');
  await checkPage(page);
  await page.getByRole('link', { name: 'Staff' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Staff');
  await checkPage(page);
});

test('business support records a decision on a manager\'s behalf', async ({ page }) => {
  await signIn(page, 'pod_admin');
  await openFirstChild(page);
  await page.getByRole('button', { name: 'Record a decision' }).click();
  await checkPage(page);
  const [day, month, year] = londonToday(-1);
  const when = page.getByRole('group', { name: 'When was it decided?' });
  await when.getByLabel('Day').fill(day);
  await when.getByLabel('Month').fill(month);
  await when.getByLabel('Year').fill(year);
  await page.getByLabel('Time', { exact: true }).fill('9:30am');
  await page.getByLabel('Decision', { exact: true }).fill('Case to remain open; review in four weeks');
  await page.getByLabel('Reasons for the decision').fill('Discussed in supervision.');
  // Without naming the manager it is refused.
  await page.getByRole('button', { name: 'Save decision', exact: true }).click();
  await page.waitForLoadState('load');
  await expect(page.getByRole('alert')).toContainText('Select the manager who made the decision');
  await checkPage(page);
  await page.getByLabel('Who made the decision?').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Save decision', exact: true }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Decision saved');
  await checkPage(page);
});

test('a social worker adds a child', async ({ page }) => {
  await signIn(page, 'social_worker');
  await page.getByRole('link', { name: 'Add a child' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Add a child');
  await checkPage(page);
  await page.getByRole('button', { name: 'Add child', exact: true }).click();
  await page.waitForLoadState('load');
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
  await checkPage(page);
  await page.getByLabel('First name').fill('Robin');
  await page.getByLabel('Last name').fill(`Testperson${Date.now() % 100000}`);
  const dob = page.getByRole('group', { name: 'Date of birth' });
  await dob.getByLabel('Day').fill('4');
  await dob.getByLabel('Month').fill('5');
  await dob.getByLabel('Year').fill('2012');
  await page.getByLabel('Female').check();
  await page.getByLabel('Ethnicity').selectOption('NOBT');
  await page.getByLabel('Child in need').check();
  await page.getByRole('button', { name: 'Add child', exact: true }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText("Child's record created");
  await checkPage(page);
});

test('a system administrator adds a person and sees the password once', async ({ page }) => {
  await signIn(page, 'sysadmin');
  await page.getByRole('button', { name: 'Add a person' }).click();
  await checkPage(page);
  await page.getByRole('button', { name: 'Add person', exact: true }).click();
  await page.waitForLoadState('load');
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
  await checkPage(page);
  await page.getByLabel('Full name').fill('Alex Newstarter');
  await page.getByLabel('Email address').fill(`alex.${Date.now()}@stoke-demo.harbour.test`);
  await page.getByLabel('Role').selectOption('social_worker');
  await page.getByRole('button', { name: 'Add person', exact: true }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('it will not be shown again');
  await checkPage(page);

  // Record workforce details: FTE, registration and the ASYE start date.
  await page.getByRole('link', { name: "Change Alex Newstarter's details" }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Change Alex Newstarter's details");
  await checkPage(page);
  await page.getByLabel('Full-time equivalent (%)').fill('80');
  await page.getByLabel('Social Work England registration number').fill('SW000123');
  const asye = page.getByRole('group', { name: 'ASYE start date' });
  await asye.getByLabel('Day').fill('1');
  await asye.getByLabel('Month').fill('9');
  await asye.getByLabel('Year').fill('2026');
  await page.getByRole('button', { name: 'Save changes', exact: true }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Details saved');
  await checkPage(page);
});

test('the privacy officer checks the audit trail', async ({ page }) => {
  await signIn(page, 'privacy_officer');
  await page.getByRole('button', { name: 'Check the audit trail has not been altered' }).click();
  await expect(page.locator('.govuk-inset-text')).toContainText('The audit trail is intact');
  await checkPage(page);
});
