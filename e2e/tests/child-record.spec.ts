// The child record page and recording a case note, with and without JavaScript.
import {
  test,
  expect,
  checkPage,
  signIn,
  firstOwnChild,
  sectionText,
  RECORD_SECTIONS,
  recordNoteControl,
  fillVisitWhen,
  londonToday,
  escapeRegExp,
} from './support';
import type { Page } from '@playwright/test';

async function openOwnChild(page: Page): Promise<{ name: string; href: string }> {
  await signIn(page, 'social_worker');
  const child = await firstOwnChild(page);
  await page.getByRole('table', { name: 'My children' }).locator(`a[href="${child.href}"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`${escapeRegExp(child.href)}([?#].*)?$`));
  await checkPage(page);
  return child;
}

test('a child record shows its sections', async ({ page }) => {
  const child = await openOwnChild(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(child.name);
  const h2s = (await page.getByRole('main').getByRole('heading', { level: 2 }).allInnerTexts()).map((t) => t.trim());
  const positions = RECORD_SECTIONS.map((s) => h2s.indexOf(s));
  for (const [i, s] of RECORD_SECTIONS.entries()) {
    expect(positions[i], `h2 "${s}" on the record (found: ${h2s.join(', ')})`).toBeGreaterThanOrEqual(0);
  }
  await expect(recordNoteControl(page)).toBeVisible();
});

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('record a case note', async ({ page }) => {
      const child = await openOwnChild(page);
      await recordNoteControl(page).click();
      await expect(page).toHaveURL(new RegExp(`${escapeRegExp(child.href)}/notes/new([?#].*)?$`));
      await checkPage(page);

      // Nothing filled in: the error summary and messages by the fields.
      await page.getByRole('button', { name: 'Save note', exact: true }).click();
      await page.waitForLoadState('load');
      const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
      await expect(summary).toBeVisible();
      expect(await summary.getByRole('link').count(), 'the summary links to the fields').toBeGreaterThan(0);
      expect(await page.locator('.govuk-error-message').count(), 'errors by the fields').toBeGreaterThan(0);
      await expect(page.getByRole('heading', { level: 1 })).not.toHaveText(child.name);
      await checkPage(page);

      // A valid note.
      const subject = `E2E ${javaScriptEnabled ? 'js' : 'no-js'} visit ${Date.now()}`;
      await fillVisitWhen(page, londonToday(-1), '10:30');
      await page.getByLabel('Subject', { exact: true }).fill(subject);
      await page
        .getByLabel('Note', { exact: true })
        .fill('Saw the child at home with their carer. Talked about school; they were cheerful.');
      await page.getByLabel('Significant event (show in the chronology summary)', { exact: true }).check();
      await page.getByRole('button', { name: 'Save note', exact: true }).click();

      await expect(page).toHaveURL(new RegExp(`${escapeRegExp(child.href)}([?#].*)?$`));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(child.name);
      await expect(page.locator('.govuk-notification-banner--success')).toBeVisible();
      expect(await sectionText(page, 'Case notes')).toContain(subject);
      await checkPage(page);
    });
  });
}
