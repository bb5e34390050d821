// Finding a child, including with a misspelt name.
import {
  test,
  expect,
  checkPage,
  signIn,
  firstOwnChild,
  search,
  resultRows,
  misspell,
  myChildrenTable,
  childLinks,
} from './support';

test.describe('search', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, 'social_worker');
  });

  test('My work lists my children with links to their records', async ({ page }) => {
    const table = myChildrenTable(page);
    await expect(table).toBeVisible();
    const links = childLinks(table);
    expect(await links.count()).toBeGreaterThan(0);
    for (const link of await links.all()) {
      await expect(link).toHaveAttribute('href', /^\/children\/[0-9a-f-]{36}$/);
      await expect(link).not.toHaveText('');
    }
  });

  test('the search page has its form', async ({ page }) => {
    await page.goto('/children');
    await checkPage(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Find a child');
    await expect(page.getByLabel('Name, date of birth or identifier', { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Search', exact: true })).toBeVisible();
  });

  test('finds my child by name, and marks whom I may open', async ({ page }) => {
    const child = await firstOwnChild(page);
    await page.goto('/children');
    await checkPage(page);
    await search(page, child.name);
    const row = resultRows(page).filter({ has: page.locator(`a[href="${child.href}"]`) });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('link')).toHaveText(child.name);
    // My own child is not marked as out of reach.
    await expect(row).not.toContainText('Not in your caseload');
  });

  test('finds my child despite a misspelt surname', async ({ page }) => {
    const child = await firstOwnChild(page);
    const typo = misspell(child.name);
    expect(typo).not.toEqual(child.name);
    await page.goto('/children');
    await checkPage(page);
    await search(page, typo);
    await expect(
      resultRows(page).filter({ has: page.locator(`a[href="${child.href}"]`) }),
      `searching "${typo}" finds ${child.name}`,
    ).toHaveCount(1);
  });
});
