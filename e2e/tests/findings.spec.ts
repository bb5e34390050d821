// The whole missing journey for a child another authority placed here, as the
// inspection described it: the out-of-hours worker reports the child missing
// and records the return, the commissioned provider holds the interview and
// decides who hears what, the placing authority reads the findings (its
// opening is the receipt) and the host authority sees that it did.
import { test, expect, checkPage, signIn, signOut, londonToday, fillMissingReport, DEMO_PASSWORD } from './support';
import type { Page } from '@playwright/test';

const PLACING = 'placing-authority@demo.harbour.test';

async function signInPlacingAuthority(page: Page): Promise<void> {
  await page.goto('/sign-in');
  await checkPage(page);
  await page.getByLabel('Email address', { exact: true }).fill(PLACING);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My work');
  await checkPage(page);
}

test('a child placed here goes missing; the placing authority gets the interview findings', async ({ page }) => {
  await signIn(page, 'edt_worker');
  await page.getByRole('link', { name: 'Placed here' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Children placed here by other authorities');
  await checkPage(page);
  // A Staffordshire child who is not missing and has no interview waiting.
  const row = page
    .getByRole('row')
    .filter({ hasText: 'Staffordshire' })
    .filter({ hasNotText: 'Missing now' })
    .filter({ has: page.getByRole('cell', { name: 'None', exact: true }) })
    .first();
  const link = row.getByRole('link');
  const name = (await link.textContent())!.trim();
  const href = (await link.getAttribute('href'))!;
  await link.click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
  await checkPage(page);

  // Report → found → interview assigned, counting page actions.
  let actions = 0;
  const act = async (click: Promise<void>) => {
    actions += 1;
    await click;
  };
  // The episode began two days ago and ended yesterday, so every time typed
  // below is in the past whenever the test runs (just after midnight, 00:45
  // today would still be to come).
  const [yday, ymonth, yyear] = londonToday(-2);
  const [day, month, year] = londonToday(-1);
  await act(page.getByRole('button', { name: 'Report missing' }).click());
  await checkPage(page);
  await fillMissingReport(page, {
    date: [yday, ymonth, yyear],
    time: '22:40',
    where: 'The children’s home front door',
    what: 'Left after a phone call; got into a grey car.',
  });
  await page.getByLabel('Medium', { exact: true }).check();
  await act(page.getByRole('button', { name: 'Report missing', exact: true }).click());
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Missing episode recorded');
  await checkPage(page);
  await act(page.getByRole('link', { name: 'Record that the child has returned or been found' }).click());
  await checkPage(page);
  const back = page.getByRole('group', { name: 'When did the child return or when were they found?' });
  await back.getByLabel('Day').fill(day);
  await back.getByLabel('Month').fill(month);
  await back.getByLabel('Year').fill(year);
  await page.getByLabel('Time', { exact: true }).fill('00:20');
  await page.getByLabel('Where were they found or where did they return to?').fill('Longton, by the station');
  await page.getByLabel('Found by').fill('Police');
  await act(page.getByRole('button', { name: 'Record return', exact: true }).click());
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Return recorded');
  await expect(page.getByRole('main')).toContainText('Awaiting interview');
  expect(actions, 'report → found → interview assigned').toBeLessThanOrEqual(6);
  await checkPage(page);

  // The provider records the interview and the sharing decisions.
  await signOut(page);
  await signIn(page, 'rhi_provider');
  await page.getByRole('link', { name: 'Return interviews' }).click();
  await checkPage(page);
  await page.getByRole('table').getByRole('link', { name: name }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
  await checkPage(page);
  await page.getByLabel('Interview held').check();
  const offered = page.getByRole('group', { name: 'When was the interview offered?' });
  await offered.getByLabel('Day').fill(day);
  await offered.getByLabel('Month').fill(month);
  await offered.getByLabel('Year').fill(year);
  await page.getByLabel('Time offered').fill('00:40');
  await page.getByLabel('Who offered it').fill('Jo Reid, return interview worker');
  const held = page.getByRole('group', { name: 'When was it held?' });
  await held.getByLabel('Day').fill(day);
  await held.getByLabel('Month').fill(month);
  await held.getByLabel('Year').fill(year);
  await page.getByLabel('Time held').fill('00:55');
  await page.getByLabel('What pushed or pulled the child away').fill('Says an older lad pays for food and lifts.');
  await page.getByLabel('Signs of exploitation').fill('Given a second phone; vague about where they went.');
  await page.getByLabel('People the child named').fill('An older lad called Rico');
  const placing = page.getByRole('group', { name: /Share the findings with the placing authority, Staffordshire/ });
  await expect(placing.getByLabel('Yes, share')).toBeChecked();
  // Withholding from the panel needs a reason; the first save shows why.
  await page.getByRole('group', { name: /Share the findings with the exploitation and missing panel/ }).getByLabel('No, do not share').check();
  await page.getByRole('button', { name: 'Save interview', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText(
    'Enter why the findings are not shared with the exploitation and missing panel',
  );
  await checkPage(page);
  await page.getByLabel(/If not sharing with the exploitation and missing panel/).fill('Already referred to the panel this week');
  await page.getByRole('button', { name: 'Save interview', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Return home interviews');
  await checkPage(page);

  // The placing authority reads the findings; opening them is the receipt.
  await signOut(page);
  await signInPlacingAuthority(page);
  await page.getByRole('link', { name: 'Findings shared with you' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Findings shared with you');
  await checkPage(page);
  await page.getByRole('table').getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Return home interview findings');
  await expect(page.getByRole('main')).toContainText(name);
  await expect(page.getByRole('main')).toContainText('older lad pays for food');
  await checkPage(page);
  // Their account does not open the child's record.
  const res = await page.goto(href);
  expect(res!.status()).toBe(403);
  await checkPage(page);
  await page.goto('/my-work');
  await checkPage(page);

  // The host authority sees who was told and that the placing authority has opened it.
  await signOut(page);
  await signIn(page, 'edt_worker');
  await page.getByRole('link', { name: 'Placed here' }).click();
  await checkPage(page);
  await page.getByRole('link', { name: name }).first().click();
  const main = page.getByRole('main');
  await expect(main).toContainText('Who the findings went to');
  await expect(main).toContainText('not shared');
  await expect(main).toContainText('Already referred to the panel this week');
  await expect(main).toContainText('Staffordshire');
  await expect(main.getByRole('table', { name: 'Notifications to other organisations' }).first()).toContainText('by ');
  await expect(page.getByRole('heading', { name: 'People and places the child has named' })).toBeVisible();
  await checkPage(page);
});
