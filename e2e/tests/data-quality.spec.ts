// The looked after children return all year round: a team manager sees the
// DfE rules' findings on current data (counts per team, problems per child
// with a link to the page that fixes them), follows the link, fixes the
// record, and the problem is gone; the care page's forms show their errors
// and work without JavaScript; an analyst sees counts only.
import { test, expect, checkPage, signIn } from './support';
import type { Page } from '@playwright/test';

/** A child looked after now on the signed-in user's work list: their care page. */
async function carePageOfAChild(page: Page): Promise<string> {
  await page.goto('/my-work');
  await checkPage(page);
  const hrefs = await page
    .locator('main a[href^="/children/"]')
    .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''));
  const ids = [...new Set(hrefs.map((h) => h.match(/^\/children\/([0-9a-f-]{36})/)?.[1]).filter(Boolean))];
  for (const id of ids) {
    const r = await page.request.get(`/children/${id}/care`);
    if (!r.ok()) continue;
    const html = await r.text();
    // A period of care that is still open (its episode row ends
    // "Continuing" with no reason), so the child is in this year's return.
    const open = html.includes('Continuing</td><td class="govuk-table__cell"></td></tr>');
    if (html.includes('Correct this period') && open) return `/children/${id}/care`;
  }
  throw new Error('no looked-after child on the work list');
}

test('a team manager finds a gap on the data-quality page and fixes it from the link', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, 'team_manager');
  const care = await carePageOfAChild(page);
  await page.goto(care);
  await checkPage(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Periods of care');
  const name = (await page.locator('.govuk-caption-l a').innerText()).trim();

  // Record her details with "mother" not known yet: saved, and chased.
  await page.locator('summary', { hasText: "Correct the child's details" }).click();
  await page.locator('#sex-details').selectOption('F');
  await page.getByLabel('Not known yet').check();
  await page.getByRole('button', { name: "Save the child's details" }).click();
  await expect(page.getByText('Saved. The checks below have been run again.')).toBeVisible();
  await checkPage(page);
  await expect(page.locator('#problems + ul')).toContainText('Record whether she is a mother');

  // The data-quality page: counts per team, and the child with a link.
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Data quality' }).click();
  await checkPage(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Data quality');
  await expect(page.getByRole('table', { name: 'Problems by team' })).toBeVisible();
  const card = page.locator('.govuk-summary-card').filter({ hasText: name });
  await expect(card).toContainText('Record whether she is a mother');
  await expect(card).toContainText('DfE rule 393');
  await card.getByRole('link', { name: /Correct the child's details/ }).click();
  await expect(page).toHaveURL(/\/care#details$/);
  await checkPage(page);

  // Fix it: the problem is gone from the page and from the list.
  await page.locator('summary', { hasText: "Correct the child's details" }).click();
  await page.getByLabel('No', { exact: true }).check();
  await page.getByRole('button', { name: "Save the child's details" }).click();
  await expect(page.getByText('Saved. The checks below have been run again.')).toBeVisible();
  await checkPage(page);
  await expect(page.locator('#problems + p')).toContainText('No problems found');
  await page.goto('/data-quality');
  await checkPage(page);
  await expect(page.locator('.govuk-summary-card').filter({ hasText: name })).toHaveCount(0);
});

test('the care forms show their problems with an error summary', async ({ page }) => {
  await signIn(page, 'team_manager');
  const care = await carePageOfAChild(page);
  await page.goto(care);
  await checkPage(page);
  const period = page.locator('[id^="status-"]').first();
  await period.getByText('Correct this period').click();
  await period.getByLabel('Legal status').selectOption('');
  await period.getByLabel('Home postcode when care began').fill('not a postcode');
  await period.getByRole('button', { name: 'Save this period' }).click();
  await checkPage(page);
  const summary = page.locator('.govuk-error-summary');
  await expect(summary).toContainText('Select the legal status');
  await expect(summary).toContainText('Enter a full UK postcode, like ST4 1AA');
  await summary.getByRole('link', { name: 'Select the legal status' }).click();
  await expect(page.locator('select[name="ls"]:focus')).toHaveCount(1);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('a placement is corrected', async ({ page }) => {
    await signIn(page, 'social_worker');
    const care = await carePageOfAChild(page);
    await page.goto(care);
    await checkPage(page);
    const pl = page.locator('[id^="placement-"]').first();
    await pl.getByText('Correct this placement').click();
    await pl.getByRole('button', { name: 'Save this placement' }).click();
    await expect(page.getByText('Saved. The checks below have been run again.')).toBeVisible();
    await checkPage(page);
  });
});

test('an analyst sees the counts per team and no names', async ({ page }) => {
  await signIn(page, 'analyst');
  await page.goto('/data-quality');
  await checkPage(page);
  await expect(page.getByRole('table', { name: 'Problems by team' })).toBeVisible();
  await expect(page.getByText('Counts only: the named lists are for each child')).toBeVisible();
  await expect(page.locator('.govuk-summary-card')).toHaveCount(0);
});
