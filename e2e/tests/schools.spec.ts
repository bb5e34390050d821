// The schools partnership and children missing education on the demo
// authority: a team manager reads a partnership school's report (chart,
// table, CSV); the analyst sees the figures but not the school's page; a
// designated teacher sees only their own school and their supervision file;
// a social worker records an enquiry on a CME case.
import { test, expect, checkPage, signIn, signOut, londonToday, DEMO_PASSWORD, homeOf } from './support';

test.describe('schools partnership', () => {
  test('a team manager reads a school report before and after joining, with its chart, table and CSV', async ({ page }) => {
    test.setTimeout(180_000);
    await signIn(page, 'team_manager');
    await page.getByRole('link', { name: 'Schools', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Schools');
    const schools = page.getByRole('table', { name: 'Schools' });
    await expect(schools).toContainText('145201');
    await expect(schools.getByRole('row', { name: /Kilnside Academy/ })).toContainText('Member');
    await checkPage(page);
    await schools.getByRole('link', { name: /^Referrals by term\s*: Kilnside Academy$/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'Referrals by term, before and after joining the partnership',
    );
    // The chart has a text alternative; the same figures are in the tables.
    const chart = page.getByRole('img', { name: 'Referrals and referrals that became cases, by term' });
    await expect(chart).toBeVisible();
    const split = page.getByRole('table', { name: 'Before and after joining' });
    await expect(split.getByRole('row', { name: /^Complete terms/ })).toContainText('6');
    await expect(page.getByRole('table', { name: 'Contacts and referrals by term' })).toContainText(
      'In the partnership',
    );
    await checkPage(page);
    const csv = await page.request.get(
      (await page.getByRole('link', { name: 'Download these figures (CSV)' }).getAttribute('href'))!,
    );
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toMatch(/^urn,school,term,/);
    // The school's own page: staff, membership and contacts.
    await page.getByRole('link', { name: 'Back to schools' }).click();
    await page.getByRole('link', { name: 'Kilnside Academy', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kilnside Academy');
    await expect(page.getByRole('table', { name: 'Designated staff' })).toContainText('Supervised by');
    await checkPage(page);
    await signOut(page);
  });

  test('the analyst sees the report figures only', async ({ page }) => {
    await signIn(page, 'analyst');
    await page.getByRole('link', { name: 'Schools', exact: true }).click();
    const schools = page.getByRole('table', { name: 'Schools' });
    await expect(schools.getByRole('link', { name: 'Kilnside Academy', exact: true })).toHaveCount(0);
    await checkPage(page);
    await schools.getByRole('link', { name: /^Referrals by term\s*: Claybank High School$/ }).click();
    await expect(page.getByRole('table', { name: 'Before and after joining' })).toBeVisible();
    await checkPage(page);
    await signOut(page);
  });

  test('a designated teacher sees their own school and their supervision file', async ({ page }) => {
    await page.goto('/sign-in');
    await page.getByLabel('Email address', { exact: true }).fill('dt.kilnside@demo.harbour.test');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(homeOf('partner_practitioner').heading);
    await checkPage(page);
    await page.getByRole('link', { name: 'Schools', exact: true }).click();
    const schools = page.getByRole('table', { name: 'Schools' });
    await expect(schools.getByRole('row')).toHaveCount(2);
    await checkPage(page);
    await schools.getByRole('link', { name: 'Kilnside Academy', exact: true }).click();
    await checkPage(page);
    await page.getByRole('link', { name: 'Supervision file of Priya Mistry' }).click();
    await expect(page.getByRole('main')).toContainText('Designated teacher supervision');
    await checkPage(page);
    await signOut(page);
  });
});

test.describe('children missing education', () => {
  test('a social worker records an enquiry on an open case', async ({ page }) => {
    test.setTimeout(180_000);
    await signIn(page, 'social_worker');
    await page.getByRole('link', { name: 'Missing education', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Children missing education');
    await expect(page.getByRole('main')).toContainText('Late');
    await checkPage(page);
    await page.getByRole('table', { name: 'Open cases, oldest first' }).getByRole('link').first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Children missing education case');
    await checkPage(page);
    // Without a date: an error summary.
    await page.getByLabel('Enquiry', { exact: true }).selectOption('police');
    await page.getByLabel('By whom').fill('PC 4411, Staffordshire Police');
    await page.getByRole('textbox', { name: 'What was found', exact: true }).fill('No record of the family leaving the country; checked the PNC.');
    await page.getByRole('button', { name: 'Save enquiry' }).click();
    await expect(page.locator('.govuk-error-summary')).toContainText('Enter the date of the enquiry');
    await checkPage(page);
    const [d, m, y] = londonToday();
    await page.getByLabel('Date', { exact: true }).first().fill(`${d}/${m}/${y}`);
    await page.getByRole('button', { name: 'Save enquiry' }).click();
    await expect(page.locator('.govuk-notification-banner')).toContainText('Enquiry recorded');
    await expect(page.getByRole('table', { name: 'Enquiries, oldest first' })).toContainText('checked the PNC');
    await checkPage(page);
    await signOut(page);
  });
});
