// A social worker who opens a child outside their caseload is refused (403)
// and offered break-glass (emergency) access.
import {
  test,
  expect,
  checkPage,
  signIn,
  signOut,
  myChildrenTable,
  childLinks,
  search,
  resultRows,
  type Role,
} from './support';
import type { Page } from '@playwright/test';

/** Child names (with hrefs) listed on a role's My work page, all tables. */
async function childrenOnMyWork(page: Page, role: Role): Promise<Map<string, string>> {
  await signIn(page, role);
  const found = new Map<string, string>();
  for (const table of await page.getByRole('main').getByRole('table').all()) {
    for (const link of await childLinks(table).all()) {
      const href = await link.getAttribute('href');
      const name = (await link.innerText()).trim();
      if (href && name) found.set(href, name);
    }
  }
  await signOut(page);
  return found;
}

test('a child outside my caseload is refused with a break-glass option', async ({ page }) => {
  test.setTimeout(180_000);
  // Names of children other staff work with; the social worker searches for
  // them until one comes back tagged "Not in your caseload".
  const candidates = new Map<string, string>();
  for (const role of ['team_manager', 'edt_worker', 'panel_coordinator'] as const) {
    for (const [href, name] of await childrenOnMyWork(page, role)) candidates.set(href, name);
  }

  await signIn(page, 'social_worker');
  const mine = new Set<string>();
  for (const link of await childLinks(myChildrenTable(page)).all()) {
    const href = await link.getAttribute('href');
    if (href) mine.add(href);
  }
  const others = [...candidates].filter(([href]) => !mine.has(href));
  expect(others.length, 'other roles list children not allocated to the social worker').toBeGreaterThan(0);

  await page.goto('/children');
  await checkPage(page);
  let target: string | undefined;
  const seenTags = new Set<string>();
  for (const [, name] of others.slice(0, 12)) {
    await search(page, name);
    const row = resultRows(page).filter({ hasText: 'Not in your caseload' }).first();
    if (await row.count()) {
      target = (await row.getByRole('link').first().getAttribute('href')) ?? undefined;
      break;
    }
    for (const r of await resultRows(page).all()) seenTags.add((await r.innerText()).replace(/\s+/g, ' '));
  }
  expect(target, `a search result tagged "Not in your caseload"; rows seen:\n${[...seenTags].join('\n')}`).toBeTruthy();

  // Every result this user cannot open is tagged.
  for (const r of await resultRows(page).all()) {
    const href = await r.getByRole('link').first().getAttribute('href');
    if (href && !mine.has(href)) {
      await expect(r).toContainText(/Restricted|Not in your caseload|Open/);
    }
  }

  const link = page.locator(`main a[href="${target}"]`).first();
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && new URL(r.url()).pathname === target),
    link.click(),
  ]);
  expect(response.status()).toBe(403);
  await page.waitForLoadState('load');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You do not have access to this record');
  const breakGlass = page
    .getByRole('main')
    .getByRole('link', { name: /Request emergency access/ })
    .or(page.getByRole('main').getByRole('button', { name: /Request emergency access/ }));
  await expect(breakGlass.first()).toBeVisible();
  await checkPage(page);
});
