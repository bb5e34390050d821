// Out of hours: the emergency duty team finds a child and reaches the
// one-page crisis summary in two page actions, records a contact that
// becomes a missing episode without retyping, and the day team
// acknowledges the handover (an unacknowledged one escalates to the
// manager).
import { test, expect, checkPage, signIn, signOut, londonToday, londonAt, fillDate, escapeRegExp } from './support';
import type { Page } from '@playwright/test';

/** Children with an active day-team alert, from the EDT worker's My work. */
async function alertChildren(page: Page): Promise<string[]> {
  const list = page.getByRole('heading', { name: 'Alerts from the day teams' }).locator('xpath=following-sibling::ul[1]');
  const names: string[] = [];
  for (const link of await list.getByRole('link').all()) names.push((await link.innerText()).trim());
  return names;
}

test('EDT: from search to the crisis summary in two page actions, and it prints', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, 'edt_worker');
  await expect(page.getByRole('main')).toContainText(/Out of hours: you are the emergency duty team|Office hours: the day teams are on duty/);
  const names = await alertChildren(page);
  expect(names.length, 'the demo has active alerts for EDT').toBeGreaterThanOrEqual(3);
  const name = names[0];

  // Page actions: clicks that load a page or submit a form (typing is not counted).
  let actions = 0;
  const act = async (click: Promise<void>) => {
    actions += 1;
    await click;
  };
  await page.getByLabel('Find a child', { exact: true }).fill(name);
  await act(page.getByRole('button', { name: 'Search', exact: true }).click());
  await expect(page.getByRole('main')).toContainText(/found/);
  await checkPage(page);
  await act(page.getByRole('link', { name: new RegExp(`^${escapeRegExp(name)}\\s*: crisis summary$`) }).first().click());
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  expect(actions, 'search → crisis summary').toBeLessThanOrEqual(2);
  await checkPage(page);

  const main = page.getByRole('main');
  await expect(page.getByRole('heading', { name: 'Alerts from the day team' })).toBeVisible();
  await expect(main.locator('.harbour-edt-alert').first()).toContainText('Then');
  for (const h of ['Current risk and alerts', 'Safety plan', 'Who to call', 'Recent out-of-hours contacts']) {
    await expect(page.getByRole('heading', { name: h, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('heading', { name: /Chronology: the last \d+ weeks/ })).toBeVisible();
  await expect(main).toContainText('Version 1, by');
  await expect(main).toContainText('this check is recorded');

  // Printed: no navigation, header or buttons; the summary itself stays.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.govuk-service-navigation')).toBeHidden();
  await expect(page.getByRole('link', { name: 'Record an out-of-hours contact' })).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Safety plan', exact: true })).toBeVisible();
  await page.emulateMedia({ media: 'screen' });

  // The desk lists the same alert.
  await page.getByRole('link', { name: 'Out of hours', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Out of hours');
  await expect(page.getByRole('main')).toContainText(name);
  await checkPage(page);
  await signOut(page);
});

test('EDT: an out-of-hours contact becomes a missing episode without retyping', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, 'edt_worker');
  const names = await alertChildren(page);
  const name = names[names.length - 1];
  await page.getByRole('link', { name, exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await checkPage(page);

  await page.getByRole('link', { name: 'Record an out-of-hours contact' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Record an out-of-hours contact');
  await checkPage(page);
  await page.getByRole('button', { name: 'Record the contact' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
  await checkPage(page);

  // A few minutes ago: an open episode from then cannot overlap the demo's
  // episodes, which follow the clock (one from 00:01 overlapped a return
  // the demo places in the small hours).
  const [day, month, year, time] = londonAt(-4);
  await fillDate(page.getByRole('group', { name: 'When was the contact received?' }), [day, month, year]);
  await page.getByLabel('Time', { exact: true }).fill(time);
  await page.getByLabel('Who called?').fill('Jan Carter');
  await page.getByLabel('Their agency or relationship to the child').fill('Foster carer');
  await page.getByLabel('Child missing', { exact: true }).check();
  await page.getByLabel('What was reported').fill('Not back by curfew; phone switched off; last seen near the bus station.');
  await page.getByLabel('Other agencies involved (optional)').fill('Police');
  await page.getByLabel('Actions taken').fill('Checked the safety plan and the alert; rang the police.');
  await page.getByLabel('Outcome').fill('Reported missing to the police; carers waiting up.');
  await page.getByLabel('The placement support team was involved').check();
  await page.getByRole('button', { name: 'Record the contact' }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('handed over to the day team');
  await expect(page.getByRole('main')).toContainText('Waiting');
  const contactUrl = page.url();
  await checkPage(page);

  // The missing report, filled in from the contact.
  await page.getByRole('link', { name: 'Start a missing episode from this contact' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('missing');
  await checkPage(page);
  await expect(page.getByLabel('What happened')).toHaveValue(/Reported out of hours by Jan Carter \(Foster carer\)/);
  await expect(page.getByLabel('Missing (whereabouts unknown)')).toBeChecked();
  await expect(page.getByLabel('Time last seen')).toHaveValue(time);
  const place = page.getByLabel('Where were they last seen?');
  if (!(await place.inputValue())) await place.fill('Home');
  await page.getByRole('button', { name: 'Report missing', exact: true }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Missing episode recorded');
  await checkPage(page);

  // The contact now names its episode and cannot start another.
  await page.goto(contactUrl.split('?')[0]);
  await checkPage(page);
  await expect(page.getByRole('link', { name: 'Start a missing episode from this contact' })).toHaveCount(0);
  await expect(page.getByRole('main')).toContainText(/from .*, last seen/);
  await expect(page.getByRole('main').locator('.govuk-tag--red', { hasText: 'Open' })).toBeVisible();

  // Back from the record: the child returned, so later journeys find them at home.
  await page.getByRole('link', { name: 'Back to the crisis summary' }).click();
  await checkPage(page);
  await page.getByRole('link', { name: 'Full record' }).click();
  await checkPage(page);
  await page.getByRole('link', { name: 'Record that the child has returned or been found' }).click();
  await checkPage(page);
  const [bDay, bMonth, bYear, bTime] = londonAt(-1);
  await fillDate(page.getByRole('group', { name: 'When did the child return or when were they found?' }), [bDay, bMonth, bYear]);
  await page.getByLabel('Time', { exact: true }).fill(bTime);
  await page.getByLabel('Where were they found or where did they return to?').fill('Home');
  await page.getByLabel('Found by').fill('Carer');
  await page.getByRole('button', { name: 'Record return', exact: true }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Return recorded');
  await checkPage(page);
  await signOut(page);
});

test('the day team acknowledges a handover; an unacknowledged one escalates to the manager', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, 'team_manager');
  await expect(page.getByRole('heading', { name: 'Escalated: out-of-hours handovers not acknowledged in time' })).toBeVisible();
  await signOut(page);

  await signIn(page, 'social_worker');
  await expect(page.getByRole('heading', { name: 'Handovers from the out-of-hours team' })).toBeVisible();
  await page.getByRole('link', { name: 'Handovers', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Handovers from the out-of-hours team');
  await checkPage(page);
  const card = page.locator('.govuk-summary-card').filter({ has: page.getByRole('button', { name: /^Acknowledge/ }) }).first();
  const title = (await card.locator('.govuk-summary-card__title a').innerText()).trim();
  await card.getByLabel('What will the team do? (optional)').fill('Visit today and review the safety plan');
  await card.getByRole('button', { name: /^Acknowledge/ }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Handover acknowledged');
  const done = page.getByRole('table');
  await expect(done).toContainText(title);
  await expect(done).toContainText('Visit today and review the safety plan');
  await checkPage(page);
  await signOut(page);
});

test('the day team keeps the safety plan, leaves an alert for EDT and records placement support', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, 'social_worker');
  const links = page.getByRole('table', { name: 'My children' }).getByRole('row').locator('td:first-child').getByRole('link');
  const href = (await links.last().getAttribute('href'))!;
  await page.goto(`${href}/crisis`);
  await checkPage(page);

  await page.getByRole('link', { name: 'Update the safety plan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Safety plan');
  await checkPage(page);
  await page.getByLabel('The plan').fill('If he is not home by 21:00 the carers ring him, then the police. He trusts his uncle.');
  await page.getByLabel('Who was it agreed with? (optional)').fill('Him and his carers');
  await page.getByRole('button', { name: 'Save the safety plan' }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Safety plan saved');
  await expect(page.getByRole('main')).toContainText('He trusts his uncle.');
  await checkPage(page);

  await page.getByRole('link', { name: 'Leave an alert for EDT' }).click();
  await checkPage(page);
  await page.getByRole('button', { name: 'Leave the alert' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
  await checkPage(page);
  const [day, month, year] = londonToday(2);
  await page.getByLabel('If this happens').fill('he rings asking to be collected from town');
  await page.getByLabel('The out-of-hours team should').fill('send a taxi to the bus station; the carers will meet it');
  const ends = page.getByRole('group', { name: 'When should the alert end?' });
  await ends.getByLabel('Day').fill(day);
  await ends.getByLabel('Month').fill(month);
  await ends.getByLabel('Year').fill(year);
  await page.getByRole('button', { name: 'Leave the alert' }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Alert to the out-of-hours team saved');
  await expect(page.locator('.harbour-edt-alert').filter({ hasText: 'he rings asking to be collected from town' })).toBeVisible();
  await checkPage(page);

  await page.getByRole('link', { name: 'Record placement support' }).click();
  await checkPage(page);
  await page.getByLabel('Placement stability concern').check();
  const [tday, tmonth, tyear] = londonToday(0);
  const when = page.getByRole('group', { name: 'When did it happen?' });
  await when.getByLabel('Day').fill(tday);
  await when.getByLabel('Month').fill(tmonth);
  await when.getByLabel('Year').fill(tyear);
  await page.getByLabel('Time', { exact: true }).fill('00:02');
  await page.getByLabel('What happened and what support was given').fill('Carers worried they cannot keep him safe at night.');
  await page.getByRole('button', { name: 'Record placement support' }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Placement support recorded');
  await expect(page.getByRole('main')).toContainText('Placement stability concern: Carers worried they cannot keep him safe at night.');
  await checkPage(page);

  // The alert can be withdrawn; it then no longer shows.
  await page.getByRole('button', { name: /^Withdraw the alert "he rings asking/ }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Alert withdrawn');
  await expect(page.locator('.harbour-edt-alert').filter({ hasText: 'he rings asking to be collected from town' })).toHaveCount(0);
  await checkPage(page);
  await signOut(page);
});
