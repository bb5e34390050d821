// Reporting a child missing and recording the return, from the child's page.
import { test, expect, checkPage, signIn, signOut, firstOwnChild, londonToday, fillMissingReport } from './support';

test('report a child missing, then record that they returned', async ({ page }) => {
  await signIn(page, 'social_worker');
  const child = await firstOwnChild(page);
  await page.goto(child.href);
  await checkPage(page);

  // A report with nothing filled in is refused in plain words.
  await page.getByRole('button', { name: 'Report missing' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('missing');
  await checkPage(page);
  await page.getByRole('button', { name: 'Report missing', exact: true }).click();
  await page.waitForLoadState('load');
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
  await checkPage(page);

  // The journey itself, from the child's page, counting page actions (clicks
  // that load a page or submit a form; typing is not counted).
  await page.goto(child.href);
  let actions = 0;
  const act = async (click: Promise<void>) => {
    actions += 1;
    await click;
  };
  await act(page.getByRole('button', { name: 'Report missing' }).click());

  // The episode began two days ago and ended yesterday, so every time typed
  // below is in the past whenever the test runs (just after midnight, 00:45
  // today would still be to come).
  const [day, month, year] = londonToday(-2);
  await fillMissingReport(page, {
    date: [day, month, year],
    time: '9:30pm',
    where: 'Hanley bus station',
    what: 'Did not return after school; phone switched off.',
  });
  await page.getByLabel('Time reported to police (if reported)').fill('22:15');
  await page.getByLabel('High', { exact: true }).check();
  await act(page.getByRole('button', { name: 'Report missing', exact: true }).click());
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Missing episode recorded');
  await expect(page.getByRole('region', { name: 'Missing now' })).toContainText('Hanley bus station');
  await checkPage(page);

  await act(page.getByRole('link', { name: 'Record that the child has returned or been found' }).click());
  await checkPage(page);
  const [tday, tmonth, tyear] = londonToday(-1);
  const back = page.getByRole('group', { name: 'When did the child return or when were they found?' });
  await back.getByLabel('Day').fill(tday);
  await back.getByLabel('Month').fill(tmonth);
  await back.getByLabel('Year').fill(tyear);
  await page.getByLabel('Time', { exact: true }).fill('00:05');
  await page.getByLabel('Where were they found or where did they return to?').fill("A friend's flat");
  await page.getByLabel('Found by').fill('Police');
  await act(page.getByRole('button', { name: 'Record return', exact: true }).click());
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Return recorded');
  // The interview is already assigned to the commissioned provider, due 72 hours after the return.
  await expect(page.getByRole('main')).toContainText('Awaiting interview');
  expect(actions, 'report → found → interview assigned').toBeLessThanOrEqual(6);

  // Correct the episode and re-grade it; the grade history stays on the record.
  const episodes = page.getByRole('table', { name: /Missing and away episodes/ });
  await episodes.getByRole('link', { name: /^Correct/ }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Correct this missing episode');
  await checkPage(page);
  await page.getByLabel('Police reference (if known)').fill('SP-26-000123');
  await page.getByRole('button', { name: 'Save corrections', exact: true }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Corrections saved');
  await checkPage(page);
  await episodes.getByRole('link', { name: /^Change grade/ }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Change the police risk grade');
  await checkPage(page);
  await page.getByLabel('Medium', { exact: true }).check();
  await page.getByRole('button', { name: 'Save grade', exact: true }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Police risk grade saved');
  await expect(episodes.first()).toContainText('Earlier: High');
  await checkPage(page);
  await expect(page.getByRole('region', { name: 'Missing now' })).toHaveCount(0);
  await expect(page.getByRole('table', { name: /Missing and away episodes/ })).toContainText('Hanley bus station');
  await checkPage(page);

  // The report gave the allocated worker a task, due as a plain date and time.
  await page.getByRole('link', { name: 'My work' }).click();
  const tasks = page.getByRole('table', { name: 'My tasks' });
  await expect(tasks).toContainText('Respond to a missing report');
  await checkPage(page);
  await tasks.getByRole('button', { name: /Done\s*: Respond to a missing report/ }).first().click();
  await page.waitForLoadState('load');
  await checkPage(page);

  // The commissioned provider's queue: the interview is due 72 hours after the return.
  await signOut(page);
  await signIn(page, 'rhi_provider');
  await page.getByRole('link', { name: 'Return interviews' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Return home interviews');
  await checkPage(page);
  await page.getByRole('table').getByRole('link', { name: child.name }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(child.name);
  await expect(page.getByRole('main')).not.toContainText('Case notes');
  await checkPage(page);
  await page.getByLabel('Interview held').check();
  const offered = page.getByRole('group', { name: 'When was the interview offered?' });
  await offered.getByLabel('Day').fill(tday);
  await offered.getByLabel('Month').fill(tmonth);
  await offered.getByLabel('Year').fill(tyear);
  await page.getByLabel('Time offered').fill('00:30');
  await page.getByLabel('Who offered it').fill('Jo Reid, return interview worker');
  const held = page.getByRole('group', { name: 'When was it held?' });
  await held.getByLabel('Day').fill(tday);
  await held.getByLabel('Month').fill(tmonth);
  await held.getByLabel('Year').fill(tyear);
  await page.getByLabel('Time held').fill('00:45');
  await page.getByLabel('What pushed or pulled the child away').fill('Older friends with a car; trouble at school.');
  await page.getByLabel('People the child named').fill('A man called Dee');
  await page.getByLabel('Places the child named').fill('The takeaway on Hope Street');
  // Every recipient starts as "share, public task": the decision is still the provider's.
  await expect(page.getByRole('group', { name: /Share the findings with the police/ }).getByLabel('Yes, share')).toBeChecked();
  await page.getByRole('button', { name: 'Save interview', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Return home interviews');
  await checkPage(page);

  // The social worker sees the findings on the record.
  await signOut(page);
  await signIn(page, 'social_worker');
  await page.goto(child.href);
  await expect(page.getByRole('main')).toContainText('Older friends with a car');
  await expect(page.getByRole('main')).toContainText('Who the findings went to');
  await expect(page.getByRole('heading', { name: 'People and places the child has named' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('A man called Dee');
  await checkPage(page);
});
