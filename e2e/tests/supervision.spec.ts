// Supervision recorded once: the team manager records a session with five
// case discussions in at most 25 page actions, and each action shows in its
// child's chronology; a pod administrator drafts and the manager approves;
// the ASYE worker sees when their next supervision is due.
import { test, expect, checkPage, signIn, signOut, DEMO_PASSWORD } from './support';
import type { Page } from '@playwright/test';

const SW_NAME_ROW = (page: Page) => page.getByRole('table', { name: 'Supervision due' });

test('a team manager records a session with five case discussions in at most 25 page actions', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, 'team_manager');
  let actions = 0;
  const act = async <T>(p: Promise<T>): Promise<T> => {
    actions += 1;
    return p;
  };
  await act(page.goto('/supervision'));
  await checkPage(page);
  // The demo social worker's supervision is overdue.
  const row = SW_NAME_ROW(page).getByRole('row').filter({ hasText: 'Overdue' }).filter({ has: page.getByRole('link', { name: /Record supervision/ }) }).first();
  await act(row.getByRole('link', { name: /Record supervision/ }).click());
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Supervision with');
  await checkPage(page);
  // Every open action from the last session is reviewed.
  const reviews = page.locator('#reviews ~ .harbour-record');
  const n = await reviews.count();
  for (let i = 0; i < n; i++) {
    await act(page.locator(`input[name="r${i}_outcome"][value="${i === 0 ? 'done' : 'carried_forward'}"]`).check());
    await act(page.locator(`textarea[name="r${i}_impact"]`).fill(i === 0 ? 'Interview held; the child named a new place of concern.' : 'Not finished; still needed.'));
  }
  const blocks = page.locator('details.harbour-discussion');
  expect(await blocks.count()).toBeGreaterThanOrEqual(5);
  const children: { name: string; action: string }[] = [];
  for (let i = 0; i < 5; i++) {
    const name = (await blocks.nth(i).locator('.harbour-discussion__name').innerText()).trim();
    const action = `Supervision action ${i + 1}: visit and review the plan`;
    children.push({ name, action });
    await act(page.locator(`textarea[name="d${i}_analysis"]`).fill(`Analysis for ${name}: risks and what is working.`));
    await act(page.locator(`textarea[name="d${i}_decisions"]`).fill('Continue the plan; review at the next supervision.'));
    await act(page.locator(`input[name="d${i}_action"]`).fill(action));
  }
  await act(page.getByRole('button', { name: 'Sign off', exact: true }).click());
  await expect(page.getByText('Supervision record signed off')).toBeVisible();
  await checkPage(page);
  expect(actions, 'page actions to record the session').toBeLessThanOrEqual(25);

  // Recorded once: each child's chronology shows the action. (checkPage
  // follows the skip link, a same-page history entry, so return by URL.)
  const record = page.url().split('#')[0];
  for (const c of children) {
    await page.goto(record);
    await page.getByRole('main').getByRole('link', { name: c.name, exact: true }).first().click();
    await checkPage(page);
    await expect(page.locator('#chronology + table')).toContainText(c.action);
  }
});

test('a pod administrator drafts a record and the manager approves it', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, 'pod_admin');
  await page.goto('/supervision');
  await checkPage(page);
  await SW_NAME_ROW(page).getByRole('link', { name: /Record supervision/ }).last().click();
  await checkPage(page);
  await expect(page.getByRole('button', { name: 'Sign off', exact: true })).toHaveCount(0);
  await page.locator('textarea[name="d0_analysis"]').fill('Drafted by business support from the manager\'s notes.');
  await page.locator('input[name="d0_action"]').fill('Pod draft action: arrange a family meeting');
  await page.getByRole('button', { name: /Save draft/ }).click();
  await expect(page.getByText('Draft saved')).toBeVisible();
  await checkPage(page);
  const url = page.url().split('?')[0];
  await signOut(page);
  await checkPage(page);

  await signIn(page, 'team_manager');
  await page.goto('/supervision');
  await checkPage(page);
  await expect(page.locator('#drafts ~ ul').first()).toContainText('drafted by');
  await page.goto(url);
  await checkPage(page);
  // Every open action must be reviewed before signing off.
  const reviews = await page.locator('#reviews ~ .harbour-record').count();
  for (let i = 0; i < reviews; i++) {
    await page.locator(`input[name="r${i}_outcome"][value="not_done"]`).check();
    await page.locator(`textarea[name="r${i}_impact"]`).fill('Reviewed with the worker.');
  }
  await page.getByRole('button', { name: 'Sign off', exact: true }).click();
  await expect(page.getByText('Supervision record signed off')).toBeVisible();
  await expect(page.getByRole('main')).toContainText(/Drafted by .+; signed off by/);
  await checkPage(page);
});

test('an ASYE worker sees when their next supervision is due', async ({ page }) => {
  await page.goto('/sign-in');
  await checkPage(page);
  await page.getByLabel('Email address', { exact: true }).fill('asye_worker@demo.harbour.test');
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My work');
  await checkPage(page);
  await page.getByRole('link', { name: 'Supervision', exact: true }).click();
  await checkPage(page);
  const mine = page.locator('#my-supervision');
  await expect(mine).toContainText('ASYE supervision');
  await expect(mine).toContainText('Next supervision due');
  await page.getByRole('link', { name: 'My supervision file' }).click();
  await checkPage(page);
  await expect(page.locator('#next-due')).toBeVisible();
});

test('a team manager records a group session with three workers; it is on each file and each child\'s chronology', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, 'team_manager');
  await page.goto('/supervision');
  await checkPage(page);
  await page.getByRole('link', { name: 'Record a group supervision session' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Record a group supervision session');
  await checkPage(page);
  // One worker is not a group.
  const boxes = page.locator('input.govuk-checkboxes__input');
  await boxes.nth(0).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText('Select at least two workers')).toHaveCount(2);
  await checkPage(page);
  const names: string[] = [];
  for (let i = 0; i < 3; i++) {
    await boxes.nth(i).check();
    names.push((await page.locator('label.govuk-checkboxes__label').nth(i).innerText()).trim());
  }
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Group supervision');
  await checkPage(page);
  for (const n of names) await expect(page.locator('#attendees')).toContainText(n);
  // The group's earlier actions (the demo's last group session) are reviewed.
  const reviews = page.locator('#reviews ~ .harbour-record');
  const n = await reviews.count();
  for (let i = 0; i < n; i++) {
    await page.locator(`input[name="r${i}_outcome"][value="done"]`).check();
    await page.locator(`textarea[name="r${i}_impact"]`).fill('Done; the group saw the difference for the child.');
  }
  // One child each of two different attendees.
  const workers = await page.$$eval('input[name$="_worker"]', (els) => els.map((e) => [(e as HTMLInputElement).name, (e as HTMLInputElement).value]));
  expect(workers.length).toBeGreaterThanOrEqual(2);
  const first = workers[0];
  const second = workers.find((w) => w[1] !== first[1]);
  expect(second, 'children of two attendees').toBeTruthy();
  const picked = [first[0].replace('_worker', ''), second![0].replace('_worker', '')];
  const kids: { name: string; action: string }[] = [];
  for (const [j, d] of picked.entries()) {
    const block = page.locator('details.harbour-discussion').filter({ has: page.locator(`input[name="${d}_child"]`) });
    const name = (await block.locator('.harbour-discussion__name').innerText()).trim();
    const action = `Group action ${j + 1}: share what the group saw`;
    kids.push({ name, action });
    await page.locator(`textarea[name="${d}_analysis"]`).fill(`Group analysis for ${name}.`);
    await page.locator(`input[name="${d}_action"]`).fill(action);
  }
  await page.getByRole('button', { name: 'Sign off', exact: true }).click();
  await expect(page.getByText('Supervision record signed off')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Group supervision');
  await checkPage(page);
  const record = page.url().split('?')[0].split('#')[0];
  const sessionPath = new URL(record).pathname;

  // On every attendee's file.
  for (const who of names) {
    await page.goto(record);
    await page.locator('#attendees').getByRole('link', { name: who, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(who);
    await checkPage(page);
    await expect(page.locator(`a[href="${sessionPath}"]`)).toHaveCount(1);
    await expect(page.getByText('Last group session')).toBeVisible();
  }
  // Each child's chronology shows its own discussion's action.
  for (const c of kids) {
    await page.goto(record);
    await page.getByRole('main').getByRole('link', { name: c.name, exact: true }).first().click();
    await checkPage(page);
    await expect(page.locator('#chronology + table')).toContainText(c.action);
  }
});
