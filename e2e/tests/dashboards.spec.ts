// Dashboards and statutory lists on the demo authority: the analyst reads
// the service's charts, filters them by team and period and downloads a
// chart's figures; a team manager sees their own team by default and
// downloads the Ofsted Annex A workbook and a list as CSV. Every page is
// checked with axe.
import fs from 'node:fs';
import { test, expect, checkPage, signIn, signOut } from './support';
import type { Download, Page } from '@playwright/test';

async function read(d: Download): Promise<Buffer> {
  const p = await d.path();
  return fs.readFileSync(p!);
}

async function charts(page: Page) {
  for (const title of [
    'Missing and away episodes per month',
    'Return home interviews',
    'Children missing repeatedly',
    'Exploitation risk by level',
    'Exploitation risk by category and level',
    'Exploitation and missing panel',
    'Caseload distribution',
    'Supervision written up on time',
  ]) {
    await expect(page.getByRole('heading', { level: 2, name: title, exact: true })).toBeVisible();
  }
  // Each chart is an image named by its title, with its figures as a table.
  await expect(page.getByRole('img', { name: 'Missing and away episodes per month' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Missing and away episodes per month: the figures' })).toBeVisible();
}

test.describe('dashboards', () => {
  test('the analyst filters the charts and downloads a chart as CSV', async ({ page }) => {
    await signIn(page, 'analyst');
    await page.getByRole('link', { name: 'Dashboards', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboards');
    await expect(page.locator('#scope')).toHaveText('All teams');
    await charts(page);
    await checkPage(page);
    const rows = page.getByRole('table', { name: 'Missing and away episodes per month: the figures' }).locator('tbody tr');
    await expect(rows).toHaveCount(12);

    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Exploitation and Missing Team' });
    await page.getByLabel('Last 6 months').check();
    await page.getByRole('button', { name: 'Show figures' }).click();
    await expect(page.locator('#scope')).toHaveText('Exploitation and Missing Team');
    await expect(rows).toHaveCount(6);
    await checkPage(page);

    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download these figures as CSV (Return home interviews)' }).click(),
    ]);
    expect(dl.suggestedFilename()).toMatch(/^interviews-exploitation-and-missing-team-6-months-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = (await read(dl)).toString('utf8').split('\r\n');
    expect(csv[0]).toBe('Month,Due,Offered within 72 hours,Accepted');
    expect(csv.filter((l) => l !== '')).toHaveLength(7);
    // The CSV holds the numbers the table shows.
    const table = page.getByRole('table', { name: 'Return home interviews: the figures' });
    const last = table.locator('tbody tr').last();
    const cells = await last.locator('th, td').allInnerTexts();
    expect(csv[6]).toBe(cells.join(','));
    await checkPage(page);
    // The analyst is not offered anything child-level beyond the lists.
    await expect(page.getByRole('link', { name: 'Find a child' })).toHaveCount(0);
    await signOut(page);
  });

  test('a team manager sees their team and downloads the Annex A lists', async ({ page }) => {
    await signIn(page, 'team_manager');
    await page.getByRole('link', { name: 'Dashboards', exact: true }).click();
    await expect(page.locator('#scope')).not.toHaveText('All teams');
    await charts(page);
    await checkPage(page);

    await page.getByRole('link', { name: 'Statutory lists', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Statutory lists');
    await checkPage(page);
    await page.getByLabel('12 months').check();
    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the workbook (XLSX)' }).click(),
    ]);
    expect(xlsx.suggestedFilename()).toMatch(/^annex-a-12-months-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const bytes = await read(xlsx);
    expect(bytes.subarray(0, 4).toString('binary')).toBe('PK\x03\x04');
    const text = bytes.toString('latin1');
    expect(text).toContain('<sheet name="List 8"');
    expect(text).toContain('<sheet name="List 1"');
    expect(text).toContain('<sheet name="List 3"');
    expect(text).toContain("Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months");
    await checkPage(page);

    const [list8] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSV for List 8, 6 months' }).click(),
    ]);
    const lines = (await read(list8)).toString('utf8').split('\r\n').filter((l) => l !== '');
    expect(lines[0]).toMatch(/^Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child \(Years\),/);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[1]).toMatch(/^DEMO\d+,[abc]\) /);
    await checkPage(page);

    const [list1] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSV for List 1, 12 months' }).click(),
    ]);
    expect(list1.suggestedFilename()).toMatch(/^annex-a-list-1-12-months-\d{4}-\d{2}-\d{2}\.csv$/);
    const contacts = (await read(list1)).toString('utf8').split('\r\n').filter((l) => l !== '');
    expect(contacts[0]).toBe('Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Date of Contact,Contact Source');
    expect(contacts.length).toBeGreaterThan(1);
    // Contacts from schools and from the out-of-hours service's callers.
    expect(contacts.slice(1).every((l) => /^DEMO\d+,[abc]\) .*,\d{2}\/\d{2}\/\d{4},\d+[A-F]?\) /.test(l))).toBe(true);
    expect(contacts.some((l) => l.endsWith(',2A) Schools'))).toBe(true);
    expect(contacts.some((l) => l.endsWith(',6) Police'))).toBe(true);
    await checkPage(page);

    const [factors] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the assessment factors (CSV)' }).click(),
    ]);
    const f = (await read(factors)).toString('utf8');
    expect(f.startsWith('LAchildID,AssessmentFactors,Meanings,Derived from\r\n')).toBe(true);
    expect(f).toMatch(/10A/);
    await checkPage(page);
    await signOut(page);
  });

  test('a social worker has neither', async ({ page }) => {
    await signIn(page, 'social_worker');
    await expect(page.getByRole('link', { name: 'Dashboards', exact: true })).toHaveCount(0);
    await page.goto('/dashboards');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('You do not have access to this page');
    await checkPage(page);
    await signOut(page);
  });
});
