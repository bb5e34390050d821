// Every demo role signs in and lands on its own home page without errors;
// a partner practitioner cannot find children not shared with them.
import {
  test,
  expect,
  ROLES,
  TOTP_ROLES,
  homeOf,
  checkPage,
  signIn,
  signOut,
  firstOwnChild,
  search,
  resultRows,
} from './support';

test.describe('demo roles', () => {
  for (const role of ROLES) {
    const home = homeOf(role);
    test(`${role} lands on ${home.path}${TOTP_ROLES.has(role) ? ' (with a TOTP code)' : ''}`, async ({ page }) => {
      await signIn(page, role);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(home.heading);
      await signOut(page);
    });
  }

  test('a partner practitioner cannot find a child that is not shared with them', async ({ page }) => {
    await signIn(page, 'social_worker');
    const child = await firstOwnChild(page);
    await signOut(page);

    await signIn(page, 'partner_practitioner');
    // What the partner's organisation has been given, if anything.
    const shared = new Set<string>();
    const sharedTable = page.getByRole('table', { name: 'Children shared with my organisation' });
    if (await sharedTable.count()) {
      for (const link of await sharedTable.getByRole('link').all()) {
        const href = await link.getAttribute('href');
        if (href) shared.add(href);
      }
    }

    await page.goto('/children');
    await checkPage(page);
    await search(page, child.name);
    const hrefs: string[] = [];
    for (const link of await resultRows(page).getByRole('link').all()) {
      const href = await link.getAttribute('href');
      if (href) hrefs.push(href);
    }
    const unshared = hrefs.filter((h) => !shared.has(h));
    expect(unshared, `the partner's search for "${child.name}" shows only shared children`).toEqual([]);
    expect(hrefs.includes(child.href) && !shared.has(child.href)).toBe(false);
    await signOut(page);
  });
});
