// Contextual safeguarding: a social worker links a place to a child, opens
// the network picture (a screenshot of the SVG, and the table of the same
// links), the place's page (children and episodes there) and confirms a
// suggested link; a police partner sees police intelligence, the return
// interview provider does not.
import { test, expect, checkPage, signIn, signOut, childLinks, myChildrenTable } from './support';

test('link a place to a child, see the network and the place, confirm a suggested link', async ({ page }) => {
  await signIn(page, 'social_worker');
  // The third of the worker's children: the first two are used by the
  // missing and Philomena journeys.
  const link = childLinks(myChildrenTable(page)).nth(2);
  await expect(link).toBeVisible();
  const name = (await link.innerText()).trim();
  await link.click();
  await checkPage(page);
  await page.getByRole('link', { name: /^People, places and other children linked to/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Network');
  await checkPage(page);

  // Search for the place and link it.
  await page.getByLabel('Search people, places and other records by name or postcode').fill('Hanley');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await checkPage(page);
  const results = page.locator('form#search-results');
  await results.getByLabel(/^Hanley bus station \(Location/).check();
  await results.getByLabel(/^Part they play for/).selectOption('frequents');
  await results.getByLabel('Where the information came from').selectOption('practitioner');
  await results.getByLabel('How sure').selectOption('likely');
  await results.getByRole('button', { name: /^Link to / }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Link saved' })).toBeVisible();
  await checkPage(page);

  // The picture: drawn, described, and the table lists the same links.
  const svg = page.locator('svg#network-picture');
  await expect(svg).toBeVisible();
  const shot = await svg.screenshot();
  expect(shot.length, 'the network picture is not empty').toBeGreaterThan(2000);
  expect(await svg.locator('circle').count(), 'the child, the place and other children').toBeGreaterThan(2);
  const desc = (await svg.locator('desc').textContent()) ?? '';
  const table = page.locator('#links-table');
  const rows = table.locator('tbody tr');
  const linked: string[] = [];
  for (const row of await rows.all()) linked.push((await row.locator('td').first().innerText()).trim());
  expect(linked).toContain('Hanley bus station');
  for (const l of linked) expect(desc).toContain(l);
  expect(desc).toContain(name);

  // The place's page: children linked and episodes that ended there.
  await table.getByRole('link', { name: 'Hanley bus station', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hanley bus station');
  await checkPage(page);
  await expect(page.locator('#children-table')).toContainText(name);
  expect(await page.locator('#episodes-table tbody tr').count()).toBeGreaterThan(0);

  // Suggested links: confirm the first.
  await page.getByRole('link', { name: 'Contexts', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Contexts');
  await checkPage(page);
  await page.getByRole('link', { name: /^Suggested links/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Suggested links');
  await checkPage(page);
  // The first the worker may decide on (both children are theirs to add to).
  const first = page
    .locator('.harbour-record')
    .filter({ has: page.getByRole('button', { name: /^Save decision/ }) })
    .first();
  const pair = (await first.getByRole('heading', { level: 2 }).innerText()).trim();
  await first.getByLabel('Link both to the place').check();
  await first.getByRole('button', { name: /^Save decision/ }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Decision saved' })).toBeVisible();
  await checkPage(page);
  await expect(page.getByRole('heading', { level: 2, name: pair, exact: true })).toHaveCount(0);
  await signOut(page);
});

test('a police partner sees police intelligence; the return interview provider does not', async ({ page }) => {
  // Find the suspected exploiter's record as the panel coordinator.
  await signIn(page, 'panel_coordinator');
  await page.goto('/contexts');
  await checkPage(page);
  await page.getByRole('link', { name: '"Deano"' }).first().click();
  await checkPage(page);
  const deano = page.url();
  await signOut(page);

  await signIn(page, 'partner_practitioner');
  await page.goto(deano);
  await checkPage(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('"Deano"');
  const children = page.locator('#children-table');
  await expect(children.getByText('Police intelligence').first()).toBeVisible();
  // A child shared with the police: their network shows the police link.
  const policeRow = children.getByRole('row').filter({ hasText: 'Police intelligence' }).first();
  const child = (await policeRow.getByRole('link').first().getAttribute('href'))!;
  expect(child).toMatch(/^\/children\/[0-9a-f-]{36}$/);
  await page.goto(`${child}/network`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Network');
  await checkPage(page);
  await expect(page.locator('#links-table')).toContainText('"Deano"');
  await expect(page.locator('#links-table').getByText('Police intelligence').first()).toBeVisible();
  await signOut(page);

  await signIn(page, 'rhi_provider');
  for (const url of [deano, `${child}/network`]) {
    const res = await page.goto(url);
    expect(res?.status()).toBe(403);
    await checkPage(page);
    await expect(page.getByRole('main')).not.toContainText('Deano');
  }
  await signOut(page);
});
