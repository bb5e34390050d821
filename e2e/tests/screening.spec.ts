// Exploitation screening and escalation: a social worker screens a
// 12-year-old with one high-risk indicator, sees the under-13 flag and a
// proposed panel referral; the team manager accepts it with a reason from
// the queue; the child's chronology shows the decision.
import { test, expect, checkPage, signIn, signOut } from './support';

test('screen a 12-year-old, then the manager accepts the proposed panel referral', async ({ page }) => {
  // Two sign-ins and nine checked pages: more than the default minute on a busy machine.
  test.setTimeout(240_000);
  await signIn(page, 'social_worker');
  // A new child, aged 12, allocated to the worker who adds them.
  await page.getByRole('link', { name: 'Add a child' }).click();
  await checkPage(page);
  const last = `Screentest${Date.now() % 100000}`;
  await page.getByLabel('First name').fill('Ruby');
  await page.getByLabel('Last name').fill(last);
  const dob = page.getByRole('group', { name: 'Date of birth' });
  const born = new Date();
  await dob.getByLabel('Day').fill('1');
  await dob.getByLabel('Month').fill('1');
  await dob.getByLabel('Year').fill(String(born.getFullYear() - 12));
  await page.getByLabel('Female').check();
  await page.getByLabel('Ethnicity').selectOption('NOBT');
  await page.getByLabel('Child in need').check();
  await page.getByRole('button', { name: 'Add child', exact: true }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText("Child's record created");
  await checkPage(page);
  const childUrl = page.url().replace(/\?.*$/, '');

  // Screen: one high-risk indicator with its evidence.
  await page.getByRole('link', { name: 'Screen for exploitation' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Exploitation screening');
  await checkPage(page);
  await page.getByRole('button', { name: 'Save the screening' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText('Choose the risk level');
  await checkPage(page);
  await page.getByRole('group', { name: 'Sexual exploitation' }).getByRole('checkbox', { name: /Older "boyfriend"/ }).check();
  await page.getByLabel('Evidence for “Older "boyfriend" or girlfriend” (if ticked)').fill('Seen being collected from school by a man in his twenties.');
  await page.getByLabel('Medium', { exact: true }).check();
  await page.getByLabel('Why this level').fill('One indicator, but she is 12.');
  await page.getByRole('button', { name: 'Save the screening' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Exploitation screening');
  await expect(page.locator('#under-13')).toContainText('Under-13 rule: potential exploitation');
  const proposals = page.getByRole('table', { name: /Proposed referrals/ });
  await expect(proposals).toContainText('under-13 rule');
  await expect(proposals).toContainText('Waiting for a decision');
  await checkPage(page);
  await signOut(page);

  // The team manager accepts it from the queue, with a reason.
  await signIn(page, 'team_manager');
  await page.getByRole('link', { name: 'Proposed referrals' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Proposed panel referrals');
  await checkPage(page);
  await page.getByRole('link', { name: `Ruby ${last}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Proposed panel referral');
  await checkPage(page);
  await page.getByLabel('Accept: refer to the panel').check();
  await page.getByLabel('Reason').fill('Under-13 rule met; panel to coordinate with police.');
  await page.getByRole('button', { name: 'Save the decision' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Exploitation screening');
  await expect(page.getByRole('table', { name: /Proposed referrals/ })).toContainText('Accepted: Under-13 rule met');
  await checkPage(page);

  // The chronology shows the decision.
  await page.goto(childUrl);
  await checkPage(page);
  await expect(page.getByRole('main')).toContainText('Panel referral accepted: Under-13 rule met; panel to coordinate with police.');
});
