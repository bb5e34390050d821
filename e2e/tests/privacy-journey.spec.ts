// The privacy officer's subject access and retention journeys, end to end in
// the browser (issue 9 section 5; docs/SECURITY.md "Subject access" and
// "Retention"). privacy.spec.ts only renders these pages; here the officer
// logs a request, assembles the record, decides every item naming other
// people (releasing, redacting and withholding), sees the response refused
// until the last decision, downloads the JSON and opens the printable
// document (redactions applied, withheld text absent), and then records a
// retention decision and finds it on the report.
//
// The journey changes the record (a request exported, a retention decision),
// so this spec runs its own `harbour serve --demo` on a fresh SQLite database
// (as drafts.spec.ts does) and leaves the shared demo server untouched.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Page } from '@playwright/test';
import { test, expect, checkPage, signIn, londonToday, escapeRegExp } from './support';

const port = Number(process.env.E2E_PORT ?? 8787) + 70;
const origin = `http://127.0.0.1:${port}`;
const target = process.env.CARGO_TARGET_DIR
  ? path.resolve(process.cwd(), '..', process.env.CARGO_TARGET_DIR)
  : path.resolve(process.cwd(), '..', 'target');
const bin = process.env.E2E_HARBOUR_BIN ?? path.join(target, 'debug', 'harbour');

let dir = '';
let server: ChildProcess | null = null;

async function startServer(dbPath: string): Promise<void> {
  // harbour refuses HARBOUR_* variables it does not know (the test runner's own).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HARBOUR_')));
  server = spawn(bin, ['--database-url', `sqlite://${dbPath}`, 'serve', '--demo', '--listen', `127.0.0.1:${port}`], {
    env: { ...env, HARBOUR_LOG: 'warn' },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`harbour serve exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${origin}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('harbour serve was not ready within 60 s');
}

async function stopServer(): Promise<void> {
  const s = server;
  server = null;
  if (!s || s.exitCode !== null) return;
  const exited = new Promise((r) => s.once('exit', r));
  s.kill('SIGTERM');
  await exited;
}

test.use({ baseURL: origin });
test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'harbour-privacy-'));
  await startServer(path.join(dir, 'privacy.db'));
});

test.afterAll(async () => {
  await stopServer();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const exportLink = (page: Page) => page.getByRole('link', { name: 'Download the response as JSON', exact: true });
const printable = (page: Page) => page.getByRole('button', { name: 'Produce the printable response', exact: true });
const reviewLinks = (page: Page) => page.getByRole('main').getByRole('link', { name: /^Review item \d+, / });

const THIRD_PARTY = 'Third-party information (DPA 2018 Sch 2 Part 3 para 16)';
const SERIOUS_HARM = 'Serious harm (DPA 2018 Sch 3 Part 3, social work data)';
const MARK = '[a family member]';
/** Text as a browser submits it from a textarea (CRLF) and Harbour stores it (trimmed), compared loosely. */
const norm = (s: string | null | undefined) => (s ?? '').replace(/\r\n/g, '\n').trim();

type Decision = 'release' | 'redact' | 'withhold';
interface Decided {
  position: number;
  heading: string;
  decision: Decision;
  original: string;
  redacted?: string;
}

/** `text` with each of `names` (whole words, any case) replaced by the mark. */
function redact(text: string, names: string[]): string {
  let out = text;
  for (const n of names) {
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}'])${escapeRegExp(n)}(?![\\p{L}\\p{N}'])`, 'giu'), MARK);
  }
  return out;
}

test('the privacy officer answers a subject access request, redacting and withholding third-party information', async ({
  page,
}) => {
  // Every item naming others is decided through its page, each page checked
  // with axe: the demo child has 87 items, 42 of them naming others, so some
  // 130 pages and about four minutes on a busy two-core machine.
  test.setTimeout(600_000);
  await signIn(page, 'privacy_officer');

  // Which child: the one in the demo's open request (a child of the demo team
  // with a mother on the record, so some items name other people).
  await page.getByRole('link', { name: 'Subject access requests', exact: true }).click();
  await expect(page).toHaveURL(/\/privacy\/subject-access$/);
  await checkPage(page);
  await expect(h1(page)).toHaveText('Subject access requests');
  const demoRow = page.getByRole('main').getByRole('table').getByRole('row').nth(1);
  const childName = (await demoRow.getByRole('link').innerText()).trim();
  const laChildId = (await demoRow.locator('td').first().locator('.govuk-body-s').innerText()).trim();
  expect(laChildId, 'the demo request shows the LA child ID').toMatch(/^\S+$/);
  const requestsBefore = await page.getByRole('main').getByRole('table').getByRole('row').count();

  // Log a new request for that child.
  await page.getByRole('button', { name: 'Log a request', exact: true }).click();
  await expect(page).toHaveURL(/\/privacy\/subject-access\/new$/);
  await checkPage(page);
  await expect(h1(page)).toHaveText('Log a subject access request');

  // Without the identity check the request is not logged.
  const requester = `Sam Requester ${Date.now() % 100000}`;
  const [day, month, year] = londonToday(-2);
  await page.getByLabel("Child's ID", { exact: true }).fill(laChildId);
  await page.getByLabel('Who made the request', { exact: true }).fill(requester);
  await page.getByLabel('Their relationship to the child', { exact: true }).fill('The child, now an adult');
  const received = page.getByRole('group', { name: 'When was it received?' });
  await received.getByLabel('Day', { exact: true }).fill(day);
  await received.getByLabel('Month', { exact: true }).fill(month);
  await received.getByLabel('Year', { exact: true }).fill(year);
  await page.getByRole('button', { name: 'Log the request', exact: true }).click();
  await expect(page).toHaveURL(/\/privacy\/subject-access\/new$/);
  await checkPage(page);
  await expect(page.locator('.govuk-error-summary')).toBeVisible();
  await expect(page.locator('#identity_checked-error')).toBeVisible();
  // What was typed is kept.
  await expect(page.getByLabel('Who made the request', { exact: true })).toHaveValue(requester);

  await page
    .getByLabel("I have checked the requester's identity and their right to act for the child", { exact: true })
    .check();
  await page.getByRole('button', { name: 'Log the request', exact: true }).click();
  await expect(page).toHaveURL(/\/privacy\/subject-access\/[0-9a-f-]{36}$/);
  const requestPath = new URL(page.url()).pathname;
  const requestUrl = `${origin}${requestPath}`;
  // The skip link check leaves #main-content on the URL.
  const atRequest = new RegExp(`^${escapeRegExp(requestUrl)}(#main-content)?$`);
  await checkPage(page);
  await expect(h1(page)).toHaveText(`${childName}, ${laChildId}`);
  await expect(page.getByRole('main')).toContainText(`${requester} (The child, now an adult)`);
  // Not assembled yet: no review and no response.
  await expect(exportLink(page)).toHaveCount(0);
  await expect(printable(page)).toHaveCount(0);

  // It is on the list, open.
  await page.getByRole('link', { name: 'Back to subject access requests', exact: true }).click();
  await checkPage(page);
  await expect(page.getByRole('main').getByRole('table').getByRole('row')).toHaveCount(requestsBefore + 1);
  const ourRow = page.getByRole('row').filter({ hasText: requester });
  await expect(ourRow).toContainText('Logged');
  await ourRow.getByRole('link', { name: childName, exact: true }).click();
  await expect(page).toHaveURL(atRequest);
  await checkPage(page);

  // Assemble the record into items.
  await page.getByRole('button', { name: 'Assemble the record', exact: true }).click();
  await expect(page).toHaveURL(atRequest);
  await checkPage(page);
  await expect(page.getByRole('heading', { level: 2, name: 'Review', exact: true })).toBeVisible();
  const summary = page.getByRole('main').locator('p', { hasText: /items; \d+ name other people/ });
  const [, total, flagged] = (await summary.innerText()).match(/(\d+) items; (\d+) name other people/)!.map(Number);
  expect(total, 'the record has items').toBeGreaterThan(0);
  expect(flagged, 'release, redact and withhold each need an item naming others').toBeGreaterThanOrEqual(3);
  await expect(summary).toContainText(`${flagged} still undecided`);
  await expect(page.getByRole('main').locator('.govuk-tag', { hasText: 'To decide' })).toHaveCount(flagged);
  await expect(reviewLinks(page)).toHaveCount(flagged);

  // Decide each flagged item from its review page.
  const decided: Decided[] = [];
  const used = new Set<Decision>();
  let triedInvalid = false;
  for (let n = 0; n < flagged; n++) {
    // Not offered, and refused if asked for directly, while any item is undecided.
    await expect(exportLink(page)).toHaveCount(0);
    await expect(printable(page)).toHaveCount(0);
    await expect(page.getByRole('main')).toContainText(
      'The response can be produced once every item naming other people has a decision.',
    );
    const early = await page.request.get(`${requestPath}/response.json`, { maxRedirects: 0 });
    expect(early.status(), 'the JSON response is refused while items are undecided').toBe(409);

    const link = page
      .getByRole('main')
      .getByRole('row')
      .filter({ has: page.locator('.govuk-tag', { hasText: 'To decide' }) })
      .first()
      .getByRole('link', { name: /^Review item / });
    const href = (await link.getAttribute('href'))!;
    const position = Number(new URL(href, origin).searchParams.get('item'));
    await link.click();
    await expect(page).toHaveURL(new RegExp(`${escapeRegExp(requestPath)}/review\\?item=${position}$`));
    await checkPage(page);
    const heading = (await h1(page).innerText()).trim();
    const names = (await page.getByRole('main').locator('p', { hasText: 'Names others:' }).locator('strong').innerText())
      .split(';')
      .map((s) => s.trim())
      .filter((s) => s.length >= 3);
    const original = (await page.locator('#original').textContent()) ?? '';
    expect(original.trim(), 'the item shows the text as held').not.toBe('');
    // The redacted copy starts as the text as held.
    await expect(page.getByLabel('Redacted copy (to release with redactions)', { exact: true })).toHaveValue(original);

    const candidate = redact(original, names);
    let decision: Decision;
    if (!used.has('redact') && candidate !== original) decision = 'redact';
    else if (!used.has('withhold')) decision = 'withhold';
    else decision = 'release';
    // Some item's text must name a third party by name, to redact it.
    if (n === flagged - 1) expect(used.has('redact') || decision === 'redact', 'an item to redact').toBe(true);

    const form = page.getByRole('main');
    if (decision === 'redact') {
      if (!triedInvalid) {
        // A redaction needs the exemption relied on, and a copy that was
        // edited: the copy is left as held (the browser sends its lines with
        // CRLF, which must not count as an edit).
        triedInvalid = true;
        await form.getByLabel('Release with redactions', { exact: true }).check();
        await page.getByRole('button', { name: 'Save the decision', exact: true }).click();
        await expect(page).toHaveURL(new RegExp(`${escapeRegExp(requestPath)}/review$`));
        await checkPage(page);
        await expect(page.locator('#exemption-error')).toContainText('Choose the exemption relied on');
        await expect(page.locator('#redacted-error')).toContainText('The redacted copy is the same as the original');
        await expect(h1(page)).toHaveText(heading);
      }
      await form.getByLabel('Release with redactions', { exact: true }).check();
      await form.getByLabel('Exemption relied on (to redact or withhold)', { exact: true }).selectOption({ label: THIRD_PARTY });
      await form.getByLabel('Redacted copy (to release with redactions)', { exact: true }).fill(candidate);
    } else if (decision === 'withhold') {
      await form.getByLabel('Withhold', { exact: true }).check();
      await form.getByLabel('Exemption relied on (to redact or withhold)', { exact: true }).selectOption({ label: SERIOUS_HARM });
    } else {
      await form.getByLabel('Release in full', { exact: true }).check();
    }
    await page.getByRole('button', { name: 'Save the decision', exact: true }).click();
    await expect(page).toHaveURL(`${requestUrl}#item-${position}`);
    await checkPage(page);
    used.add(decision);
    decided.push({ position, heading, decision, original, redacted: decision === 'redact' ? candidate : undefined });

    // The decision shows on the item's row.
    const row = page.locator(`#item-${position}`);
    const label = { release: 'Release in full', redact: 'Release with redactions', withhold: 'Withhold' }[decision];
    await expect(row.locator('td').nth(2)).toContainText(label);
    if (decision === 'redact') await expect(row).toContainText(THIRD_PARTY);
    if (decision === 'withhold') await expect(row).toContainText(SERIOUS_HARM);
    await expect(summary).toContainText(`${flagged - n - 1} still undecided`);
  }
  expect([...used].sort(), 'every kind of decision was made').toEqual(['redact', 'release', 'withhold']);
  test.info().annotations.push({ type: 'items', description: `${total} items, ${flagged} naming others` });

  // Every item decided: the response is offered.
  await expect(page.getByRole('main').locator('.govuk-tag', { hasText: 'To decide' })).toHaveCount(0);
  await expect(exportLink(page)).toBeVisible();
  await expect(printable(page)).toBeVisible();
  await expect(page.getByRole('main')).not.toContainText('The response can be produced once');

  // Download the JSON.
  const [download] = await Promise.all([page.waitForEvent('download'), exportLink(page).click()]);
  expect(download.suggestedFilename()).toMatch(/^subject-access-[0-9a-f-]{36}\.json$/);
  const raw = readFileSync((await download.path())!, 'utf8');
  await checkPage(page); // still the request page (the download is not a page)
  const bundle = JSON.parse(raw);
  expect(bundle.child_name).toBe(childName);
  expect(bundle.la_child_id).toBe(laChildId);
  expect(bundle.requester).toBe(requester);
  expect(bundle.items).toHaveLength(total);
  const redacted = decided.filter((d) => d.decision === 'redact');
  const withheld = decided.filter((d) => d.decision === 'withhold');
  expect(bundle.redacted).toBe(redacted.length);
  expect(bundle.withheld).toBe(withheld.length);
  const itemOf = (d: Decided) => {
    const i = bundle.items[d.position - 1];
    expect(`${i.section}: ${i.title}`, `item ${d.position} in the JSON`).toBe(d.heading);
    return i;
  };
  for (const d of decided) {
    const i = itemOf(d);
    expect(i.decision).toBe(d.decision);
    if (d.decision === 'release') {
      expect(norm(i.text)).toBe(norm(d.original));
      expect(i.exemption).toBeNull();
    } else if (d.decision === 'redact') {
      expect(norm(i.text)).toBe(norm(d.redacted));
      expect(i.text).toContain(MARK);
      expect(i.exemption).toBe(THIRD_PARTY);
    } else {
      expect(i.text).toBeNull();
      expect(i.exemption).toBe(SERIOUS_HARM);
    }
  }
  // The text as held of a redacted or withheld item is nowhere in the response.
  for (const d of [...redacted, ...withheld]) {
    expect(raw.includes(JSON.stringify(d.original).slice(1, -1)), `original of item ${d.position} released`).toBe(false);
  }

  // The printable document: the cover lists what was held back and why, the
  // redacted copy is shown, the originals are not.
  await printable(page).click();
  await expect(page).toHaveURL(`${requestUrl}/response`);
  await checkPage(page);
  await expect(h1(page)).toHaveText(childName);
  const doc = page.getByRole('main');
  await expect(doc).toContainText(
    `${total} items: ${redacted.length} released with redactions, ${withheld.length} withheld`,
  );
  for (const d of redacted) {
    await expect(doc).toContainText(`${d.heading}: redacted (${THIRD_PARTY})`);
    await expect(doc.locator('p.harbour-prewrap', { hasText: MARK }).first()).toBeVisible();
  }
  for (const d of withheld) {
    await expect(doc).toContainText(`${d.heading}: withheld (${SERIOUS_HARM})`);
    const section = doc.getByRole('heading', { level: 2, name: d.heading, exact: true });
    await expect(section.locator('xpath=following-sibling::p[1]')).toHaveText(`Withheld: ${SERIOUS_HARM}`);
  }
  const docText = await doc.textContent();
  for (const d of redacted) {
    const section = doc.getByRole('heading', { level: 2, name: d.heading, exact: true });
    expect(norm(await section.locator('xpath=following-sibling::p[1]').textContent())).toBe(norm(d.redacted));
  }
  for (const d of [...redacted, ...withheld]) {
    expect(docText!.includes(d.original.trim()), `original of item ${d.position} on the printable page`).toBe(false);
  }

  // Once produced, the decisions are fixed: no more review links, and the list says so.
  await page.getByRole('link', { name: 'Back to the request', exact: true }).click();
  await expect(page).toHaveURL(atRequest);
  await checkPage(page);
  await expect(reviewLinks(page)).toHaveCount(0);
  await page.getByRole('link', { name: 'Back to subject access requests', exact: true }).click();
  await checkPage(page);
  await expect(page.getByRole('row').filter({ hasText: requester })).toContainText('Response produced');
});

test('the privacy officer records a retention decision and sees it on the report', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, 'privacy_officer');
  await page.getByRole('link', { name: 'Retention review', exact: true }).click();
  await expect(page).toHaveURL(/\/privacy\/retention$/);
  await checkPage(page);
  await expect(h1(page)).toHaveText('Retention review');

  // Margaret Cole (demo): looked after in the 1960s, her 75th birthday under
  // six months away, so due for review but not yet for destruction.
  const row = () => page.getByRole('main').getByRole('row').filter({ hasText: 'M0000102' });
  await expect(row()).toHaveCount(1);
  await expect(row()).toContainText('Margaret Cole');
  await expect(row()).toContainText('Looked after');
  await expect(row().locator('td').last()).toContainText('Due for review');
  await row().getByRole('link', { name: 'Record a decision for Margaret Cole', exact: true }).click();
  await expect(page).toHaveURL(/\/privacy\/retention\/[0-9a-f-]{36}\/decision$/);
  await checkPage(page);
  await expect(h1(page)).toHaveText('Retention decision');
  await expect(page.getByRole('main')).toContainText('Margaret Cole, M0000102');

  // Destruction before the retain-until date is refused.
  await page.getByLabel('Approve for destruction', { exact: true }).check();
  await page.getByLabel('Reason', { exact: true }).fill('Nothing requires it to be kept.');
  await page.getByRole('button', { name: 'Record the decision', exact: true }).click();
  await checkPage(page);
  await expect(page.locator('.govuk-error-summary')).toContainText('it cannot be approved for destruction yet');
  await expect(page.getByLabel('Reason', { exact: true })).toHaveValue('Nothing requires it to be kept.');

  // Keep it under an inquiry's hold.
  const keepYear = String(Number(londonToday()[2]) + 3);
  const note = `Inquiry do-not-destroy notice ${Date.now() % 100000}: keep all care records.`;
  await page.getByLabel('Keep the record for a stated period', { exact: true }).check();
  await page.getByLabel('If kept: why', { exact: true }).selectOption({ label: 'Inquiry hold (do not destroy)' });
  const until = page.getByRole('group', { name: 'If kept: keep until' });
  await until.getByLabel('Day', { exact: true }).fill('31');
  await until.getByLabel('Month', { exact: true }).fill('3');
  await until.getByLabel('Year', { exact: true }).fill(keepYear);
  await page.getByLabel('Reason', { exact: true }).fill(note);
  await page.getByRole('button', { name: 'Record the decision', exact: true }).click();

  // Back on the report, the record shows the decision.
  await expect(page).toHaveURL(/\/privacy\/retention$/);
  await checkPage(page);
  const status = row().locator('td').last();
  await expect(status).toContainText(`Kept until 31 March ${keepYear}`);
  await expect(status).not.toContainText('Due for review');
  await expect(status).toContainText(note);

  // And in the CSV.
  const csv = await page.request.get('/privacy/retention.csv');
  expect(csv.status()).toBe(200);
  const line = (await csv.text()).split('\n').find((l) => l.startsWith('M0000102,'));
  expect(line, 'the CSV lists the record').toBeTruthy();
  expect(line).toContain(`Kept until 31 March ${keepYear}`);
  expect(line).toContain(note);
});
