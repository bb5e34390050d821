// The exploitation and missing panel: the coordinator builds the agenda,
// holds the meeting (attendance, discussion, decision, an action for the
// police), opens the printable minutes; then the police partner
// practitioner signs in and updates their action.
import { test, expect, checkPage, signIn, signOut, londonToday } from './support';

test('a panel meeting from agenda to minutes, and the police update their action', async ({ page }) => {
  const stamp = Date.now().toString(36);
  await signIn(page, 'panel_coordinator');
  await page.getByRole('navigation').getByRole('link', { name: 'Panel meetings', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Exploitation and missing panel');
  await checkPage(page);

  // Set up today's meeting: the agenda is built from new referrals and reviews due.
  const [day, month, year] = londonToday();
  await page.getByLabel('Panel', { exact: true }).selectOption({ label: 'Exploitation and missing panel (MACE)' });
  const when = page.getByRole('group', { name: 'Date of the meeting' });
  await when.getByLabel('Day').fill(day);
  await when.getByLabel('Month').fill(month);
  await when.getByLabel('Year').fill(year);
  await page.getByLabel('Chair', { exact: true }).fill(`DI Rowe (police) ${stamp}`);
  await page.getByRole('button', { name: 'Set up meeting' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Meeting on');
  await checkPage(page);
  const agenda = page.locator('.govuk-summary-card');
  await expect(agenda.first()).toBeVisible();
  await expect(page.getByText('New referral').first()).toBeVisible();
  const title = (await agenda.first().locator('h3').innerText()).trim();
  const child = title.split(':')[0].trim();

  // The printable agenda.
  await page.getByRole('link', { name: 'Printable agenda' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Agenda');
  await expect(page.locator('main')).toContainText(child);
  await checkPage(page);
  await page.getByRole('link', { name: 'Back to the meeting' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Meeting on');
  await checkPage(page);

  // Attendance by agency.
  await page.getByLabel('Name', { exact: true }).fill(`DC Khan ${stamp}`);
  await page.getByLabel('Partner organisation').selectOption({ label: 'Staffordshire Police' });
  await page.getByRole('button', { name: 'Add attendee' }).click();
  await expect(page.locator('#attendance ~ ul').first()).toContainText(`DC Khan ${stamp}, Staffordshire Police`);
  await checkPage(page);

  // The child's discussion, risk and decisions.
  await page.getByLabel(`Discussion of ${child}`).fill(`Police shared intelligence about a flat ${stamp}.`);
  await page.getByRole('group', { name: `Risk level for ${child}` }).getByLabel('High').check();
  await page.getByLabel(`Decisions for ${child}`).fill(`Disruption visit and a warning notice ${stamp}.`);
  await page.getByRole('button', { name: `Record discussion of ${child}` }).click();
  await expect(page.locator('#minutes ~ h3').first()).toBeVisible();
  await checkPage(page);

  // An action for the police.
  await page.getByLabel('Child', { exact: true }).selectOption({ label: child });
  await page.getByLabel('Kind of action').selectOption({ label: 'Police operation' });
  await page.getByLabel('What is to be done').fill(`Disruption visit ${stamp}`);
  await page.getByLabel('Agency that owns it').selectOption({ label: 'Staffordshire Police' });
  const [dd, dm, dy] = londonToday(7);
  const due = page.getByRole('group', { name: 'Due date' });
  await due.getByLabel('Day').fill(dd);
  await due.getByLabel('Month').fill(dm);
  await due.getByLabel('Year').fill(dy);
  await page.getByRole('button', { name: 'Add action' }).click();
  await expect(page.getByRole('table').filter({ hasText: `Disruption visit ${stamp}` })).toBeVisible();
  await checkPage(page);

  // The minutes, ready to print.
  await page.getByRole('link', { name: 'Printable minutes' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Minutes');
  const main = page.locator('main');
  await expect(main).toContainText(`Police shared intelligence about a flat ${stamp}.`);
  await expect(main).toContainText(`Disruption visit and a warning notice ${stamp}.`);
  await expect(main).toContainText(`DC Khan ${stamp}, Staffordshire Police`);
  await expect(main).toContainText(`Disruption visit ${stamp}`);
  await checkPage(page);
  await signOut(page);

  // The police partner practitioner updates their action.
  await signIn(page, 'partner_practitioner');
  await page.getByRole('navigation').getByRole('link', { name: 'Panel actions' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Panel actions');
  await checkPage(page);
  const row = page.getByRole('row').filter({ hasText: `Disruption visit ${stamp}` });
  await row.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Update action: Police operation');
  await checkPage(page);
  await page.getByLabel('Done').check();
  await page.getByLabel('Update', { exact: true }).fill(`Visit made ${stamp}; nobody at the address.`);
  await page.getByRole('button', { name: 'Save update' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Panel actions');
  const updated = page.getByRole('row').filter({ hasText: `Disruption visit ${stamp}` });
  await expect(updated).toContainText(`Visit made ${stamp}; nobody at the address.`);
  await expect(updated).toContainText('Done');
  await checkPage(page);
});
