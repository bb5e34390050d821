// The Philomena profile and the police handover pack: a worker reports a
// child missing, brings the profile up to date with a photo, and hands the
// police the pack from the "Missing now" banner.
import { test, expect, checkPage, signIn, childLinks, myChildrenTable, londonToday, fillDate, fillMissingReport } from './support';

// A 1×1 PNG, drawn for the test (no real face anywhere in the demo).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

test('update the Philomena profile of a missing child and open the police pack', async ({ page }) => {
  await signIn(page, 'social_worker');
  // One of the worker's children other than the first (the missing journey
  // uses the first, and an open episode here must not overlap one of its
  // episodes) who is not missing already: the demo data follows the date,
  // so on some days a child of theirs is missing now.
  const links = childLinks(myChildrenTable(page));
  await expect(links.nth(1)).toBeVisible();
  const candidates: { name: string; href: string }[] = [];
  for (let i = 1; i < (await links.count()); i++) {
    const l = links.nth(i);
    candidates.push({ name: (await l.innerText()).trim(), href: (await l.getAttribute('href'))! });
  }
  // Report the child missing on a recent day at 10:00 (found at 18:00 below).
  // The demo data follows the date, so a candidate may already be missing,
  // or have an episode that day; such a report is refused as overlapping,
  // and the next day or child is tried.
  let child: { name: string; href: string } | undefined;
  let day = '', month = '', year = '';
  outer: for (const c of candidates) {
    await page.goto(c.href);
    await checkPage(page);
    if ((await page.getByRole('button', { name: 'Report missing', exact: true }).count()) === 0) continue;
    for (const offset of [-3, -2, -1]) {
      [day, month, year] = londonToday(offset);
      await page.goto(c.href);
      await page.getByRole('button', { name: 'Report missing' }).click();
      await checkPage(page);
      await fillMissingReport(page, {
        date: [day, month, year],
        time: '10:00',
        where: 'Longton bus station',
        what: 'Left with an older friend; phone off.',
      });
      await page.getByRole('button', { name: 'Report missing', exact: true }).click();
      const outcome = page
        .getByRole('region', { name: 'Missing now' })
        .or(page.getByRole('alert').filter({ hasText: 'There is a problem' }));
      await expect(outcome.first()).toBeVisible();
      const refused = page.getByRole('alert').filter({ hasText: 'There is a problem' });
      if ((await refused.count()) === 0) {
        child = c;
        break outer;
      }
      await expect(refused).toContainText('overlaps another missing episode');
      await checkPage(page);
    }
  }
  if (!child) throw new Error('none of the worker\'s children can be reported missing');
  const banner = page.getByRole('region', { name: 'Missing now' });
  await expect(banner).toContainText('Longton bus station');
  await checkPage(page);

  // The profile, then the form for a new version.
  await page.getByRole('main').getByRole('link', { name: /Philomena profile$/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Philomena profile');
  await checkPage(page);
  await page.getByRole('button', { name: /(Create|Update) the profile/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Philomena profile');
  await checkPage(page);

  // Bad input first: the error summary, nothing saved.
  await page.getByLabel('Height', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Save a new version' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText("Enter the child's height");
  await checkPage(page);

  await page.getByLabel('Height', { exact: true }).fill('5 ft 3 in (160 cm)');
  await page.getByLabel('Build', { exact: true }).fill('Slim');
  await page.getByLabel('Hair', { exact: true }).fill('Dyed purple, short');
  await page.getByLabel('Eyes', { exact: true }).fill('Brown');
  await page.getByLabel('Vulnerabilities', { exact: true }).fill('Older associates with cars; at risk of exploitation.');
  await page.getByLabel('Associates', { exact: true }).fill('Tee, older male, silver hatchback\nJade, friend from school');
  await page.getByLabel('Photo', { exact: true }).setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
  await page.getByRole('button', { name: 'Save a new version' }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Philomena profile saved as version');
  await expect(page.getByRole('main')).toContainText('Dyed purple, short');
  await expect(page.getByRole('img', { name: /^Photo of / })).toBeVisible();
  await expect(page.getByRole('table', { name: /Versions of the profile/ })).toBeVisible();
  await checkPage(page);

  // One action from the child's page: the police handover pack.
  await page.goto(child.href);
  await checkPage(page);
  await banner.getByRole('link', { name: 'Police handover pack' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(child.name);
  await expect(page.getByRole('button', { name: 'Print this pack' })).toBeVisible();
  const main = page.getByRole('main');
  await expect(main).toContainText('Longton bus station');
  await expect(main).toContainText('Dyed purple, short');
  await expect(main).toContainText('Tee, older male, silver hatchback');
  await expect(page.getByRole('img', { name: `Photo of ${child.name}` })).toBeVisible();
  await checkPage(page);

  // Leave the child found, as other journeys expect.
  await page.goto(child.href);
  await checkPage(page);
  await page.getByRole('link', { name: 'Record that the child has returned or been found' }).click();
  await checkPage(page);
  await fillDate(page.getByRole('group', { name: 'When did the child return or when were they found?' }), [day, month, year]);
  await page.getByLabel('Time', { exact: true }).fill('18:00');
  await page.getByLabel('Where were they found or where did they return to?').fill('Home');
  await page.getByLabel('Found by').fill('Carer');
  await page.getByRole('button', { name: 'Record return', exact: true }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Return recorded');
  await checkPage(page);
});
