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
  test.setTimeout(240_000);
  // Surnames of children other staff work with. Searching a surname finds
  // children across teams; the social worker searches until a result comes
  // back tagged "Not in your caseload". Roles are taken in turn so that the
  // first searches already span several teams.
  const perRole: string[][] = [];
  for (const role of ['edt_worker', 'panel_coordinator', 'team_manager', 'pod_admin'] as const) {
    perRole.push([...(await childrenOnMyWork(page, role)).values()]);
  }
  const surnames: string[] = [];
  for (let i = 0; perRole.some((names) => i < names.length); i++) {
    for (const names of perRole) {
      const surname = names[i]?.split(/\s+/).pop();
      if (surname && !surnames.includes(surname)) surnames.push(surname);
    }
  }
  expect(surnames.length, 'other roles list some children on My work').toBeGreaterThan(0);

  await signIn(page, 'social_worker');
  const mine = new Set<string>();
  for (const link of await childLinks(myChildrenTable(page)).all()) {
    const href = await link.getAttribute('href');
    if (href) mine.add(href);
  }

  await page.goto('/children');
  await checkPage(page);
  let target: string | undefined;
  const tried: string[] = [];
  for (const surname of surnames.slice(0, 25)) {
    tried.push(surname);
    await search(page, surname);
    const row = resultRows(page).filter({ hasText: 'Not in your caseload' }).first();
    if (await row.count()) {
      target = (await row.getByRole('link').first().getAttribute('href')) ?? undefined;
      break;
    }
  }
  expect(target, `a search result tagged "Not in your caseload" (searched: ${tried.join(', ')})`).toBeTruthy();

  // Every result row says whether this user may open it; my own children
  // are never marked out of reach.
  for (const r of await resultRows(page).all()) {
    await expect(r).toContainText(/Open|Restricted|Not in your caseload/);
    const href = await r.getByRole('link').first().getAttribute('href');
    if (href && mine.has(href)) await expect(r).not.toContainText('Not in your caseload');
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

  // Emergency access: a reason and a time limit, then the record opens with a warning.
  await breakGlass.first().click();
  await expect(page).toHaveURL(new RegExp(`${target}/break-glass$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Request emergency access');
  await checkPage(page);
  await page.getByRole('button', { name: 'Open the record with emergency access' }).click();
  await page.waitForLoadState('load');
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
  await checkPage(page);
  await page.getByLabel('Why do you need to open this record now?').fill('Police report the child missing tonight; allocated worker off duty.');
  await page.getByLabel('For how long?').selectOption('60');
  await page.getByRole('button', { name: 'Open the record with emergency access' }).click();
  await expect(page).toHaveURL(new RegExp(`${target}$`));
  await expect(page.getByRole('main')).toContainText('You opened this record with emergency access');
  await checkPage(page);
});
