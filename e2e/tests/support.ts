// Shared fixtures and helpers for Harbour's browser tests.
//
// Every test gets, automatically:
//   - a record of console errors and uncaught page errors, asserted empty when
//     the test ends (CSP violations, failed asset loads and script errors all
//     show up here);
//   - a check that every document the browser loaded was passed to
//     `checkPage`, so no page escapes the accessibility checks.
//
// `checkPage(page)` runs axe-core (WCAG 2.0/2.1 A and AA, WCAG 2.2 AA) and a
// keyboard check that Tab reaches the "Skip to main content" link and that it
// leads into <main>.
import { test as base, expect, type Page, type Locator, type Response } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { createHmac } from 'node:crypto';

export { expect };

// ---------------------------------------------------------------------------
// Demo data contract (see crates/app/src/demo).

export const DEMO_PASSWORD = 'harbour-demo';
/** Base32 TOTP secret of the demo sysadmin and privacy officer. */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXP';

export const ROLES = [
  'social_worker',
  'team_manager',
  'pod_admin',
  'edt_worker',
  'panel_coordinator',
  'partner_practitioner',
  'rhi_provider',
  'analyst',
  'privacy_officer',
  'sysadmin',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose sign-in needs an authentication code. */
export const TOTP_ROLES: ReadonlySet<Role> = new Set<Role>(['privacy_officer', 'sysadmin']);

/** Where each role lands after signing in, and that page's h1. */
export function homeOf(role: Role): { path: string; heading: string } {
  switch (role) {
    case 'analyst':
      return { path: '/stats', heading: 'Service statistics' };
    case 'sysadmin':
      return { path: '/admin/staff', heading: 'Staff' };
    case 'privacy_officer':
      return { path: '/privacy', heading: 'Privacy and access oversight' };
    default:
      return { path: '/my-work', heading: 'My work' };
  }
}

export const emailOf = (role: Role) => `${role}@demo.harbour.test`;

// ---------------------------------------------------------------------------
// TOTP (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps).

function base32Decode(input: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = input.replace(/=+$/, '').replace(/\s+/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const idx = alphabet.indexOf(ch);
    if (idx < 0) throw new Error(`invalid base32 character ${JSON.stringify(ch)}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The TOTP code for `secret` (base32) at `unixMs` (default: now). */
export function totp(secret: string, unixMs: number = Date.now(), digits = 6, stepSeconds = 30): string {
  const counter = Math.floor(unixMs / 1000 / stepSeconds);
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return code.toString().padStart(digits, '0');
}

// ---------------------------------------------------------------------------
// Page checks.

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;

function formatViolations(url: string, violations: AxeResults['violations']): string {
  const lines = [`${violations.length} accessibility violation(s) on ${url}:`];
  for (const v of violations) {
    lines.push('', `- [${v.impact ?? 'unknown'}] ${v.id}: ${v.help}`, `  ${v.helpUrl}`);
    for (const node of v.nodes.slice(0, 10)) {
      lines.push(`  at ${node.target.join(' ')}`);
      lines.push(`     ${node.html.slice(0, 300)}`);
      if (node.failureSummary) {
        lines.push(...node.failureSummary.split('\n').map((l) => `     ${l}`));
      }
    }
    if (v.nodes.length > 10) lines.push(`  ... and ${v.nodes.length - 10} more`);
  }
  return lines.join('\n');
}

/** Per-page bookkeeping shared between the fixture and `checkPage`. */
interface Watch {
  /** Documents loaded in the main frame and not yet checked. */
  unchecked: string[];
  /** Console errors and page errors, readable. */
  errors: string[];
  /** Main-frame document URLs (their 4xx statuses are asserted by tests). */
  documents: Set<string>;
  /** Whether the page's context runs JavaScript. */
  javaScriptEnabled: boolean;
  /** URLs requested by htmx (`HX-Request: true`). */
  htmx: Set<string>;
}

const watches = new WeakMap<Page, Watch>();

function stripHash(url: string): string {
  const i = url.indexOf('#');
  return i < 0 ? url : url.slice(0, i);
}

function watch(page: Page, javaScriptEnabled: boolean): Watch {
  const w: Watch = { unchecked: [], errors: [], documents: new Set(), javaScriptEnabled, htmx: new Set() };
  watches.set(page, w);
  page.on('request', (req) => {
    if (req.headers()['hx-request'] === 'true') w.htmx.add(stripHash(req.url()));
  });
  // A form submitted by htmx gets 422 with the re-rendered form when it does
  // not validate (engineering guide 2: a responseHandling rule swaps it in).
  const expectedHtmx422 = (url: string, status: number) => status === 422 && w.htmx.has(stripHash(url));
  page.on('response', (res: Response) => {
    const req = res.request();
    if (!req.isNavigationRequest() || req.frame() !== page.mainFrame()) return;
    if (res.status() >= 300 && res.status() < 400) return; // redirect: the target is what we see
    w.documents.add(stripHash(res.url()));
    w.unchecked.push(`${res.status()} ${res.url()}`);
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url ?? '';
    // Chromium logs an error for any 4xx/5xx response, including the page
    // itself; a page's own status is asserted by the test that visits it.
    if (msg.text().startsWith('Failed to load resource') && w.documents.has(stripHash(where))) return;
    if (msg.text().includes('status of 422') && expectedHtmx422(where, 422)) return;
    w.errors.push(`console error: ${msg.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (err) => {
    w.errors.push(`page error: ${err.message}`);
  });
  // Sub-resources (styles, scripts, images) must load: Chromium does not log
  // every failure to the console.
  page.on('response', (res: Response) => {
    const req = res.request();
    if (req.isNavigationRequest() || res.status() < 400) return;
    if (expectedHtmx422(res.url(), res.status())) return;
    w.errors.push(`HTTP ${res.status()} for ${req.resourceType()} ${res.url()}`);
  });
  page.on('requestfailed', (req) => {
    if (req.isNavigationRequest()) return; // e.g. a navigation superseded by another
    w.errors.push(`request failed (${req.failure()?.errorText ?? 'unknown'}) for ${req.resourceType()} ${req.url()}`);
  });
  return w;
}

function axe(page: Page): Promise<AxeResults> {
  return new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
}

/**
 * axe-core cannot run in a page whose context has JavaScript disabled (it
 * hangs waiting for its own callbacks). Instead, serve the page's current DOM,
 * with scripts removed, at the same URL in a fresh JavaScript-enabled context
 * (so styles and images load from the server as before) and check that. The
 * page's own scripts never run there, so it is what a no-JS user gets.
 */
async function axeWithoutScripts(page: Page): Promise<AxeResults> {
  const url = stripHash(page.url());
  const html = (await page.content())
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
    .replace(/<noscript\b[^>]*>([\s\S]*?)<\/noscript>/gi, '$1');
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser for the axe mirror page');
  const mirror = await browser.newContext({ javaScriptEnabled: true, locale: 'en-GB' });
  try {
    const copy = await mirror.newPage();
    await copy.route(url, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    );
    await copy.goto(url, { waitUntil: 'load' });
    return await axe(copy);
  } finally {
    await mirror.close();
  }
}

/**
 * Check the page now shown: zero axe violations and a working skip link.
 * Call it after every navigation (the fixture fails tests that skip one).
 */
export async function checkPage(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  const url = page.url();

  const w = watches.get(page);
  const results = w && !w.javaScriptEnabled ? await axeWithoutScripts(page) : await axe(page);
  // Compare the count, with the readable list as the message: a deep-equal
  // diff of axe's result objects buries the point.
  expect(results.violations.length, formatViolations(url, results.violations)).toBe(0);

  await checkSkipLink(page);
  await checkHeadLinks(page);

  if (w) w.unchecked = [];
}

const headLinksSeen = new WeakMap<Page, Set<string>>();

/**
 * Icons and manifests in <head> load: browsers fetch them outside the page
 * (headless Chromium may not at all), so a broken href shows up nowhere else.
 */
async function checkHeadLinks(page: Page): Promise<void> {
  const hrefs = await page
    .locator('head link[rel~="icon"], head link[rel="apple-touch-icon"], head link[rel="manifest"]')
    .evaluateAll((links) => links.map((l) => (l as HTMLLinkElement).href).filter((h) => h));
  const seen = headLinksSeen.get(page) ?? new Set<string>();
  headLinksSeen.set(page, seen);
  for (const href of hrefs) {
    if (seen.has(href)) continue;
    seen.add(href);
    const res = await page.request.get(href, { maxRedirects: 0 });
    expect(res.status(), `<link> in <head> points at ${href}`).toBe(200);
  }
}

/**
 * Keyboard check: from the top of the document, the first Tab reaches the
 * "Skip to main content" link; following it moves focus into <main>.
 */
async function checkSkipLink(page: Page): Promise<void> {
  const main = page.locator('main#main-content');
  await expect(main, 'page has <main id="main-content">').toHaveCount(1);

  // Pages may move focus on load (GOV.UK focuses error summaries and success
  // banners), so start from the top: focus <body> itself, then Tab.
  await page.evaluate(() => {
    document.body.setAttribute('tabindex', '-1');
    document.body.focus();
  });
  await page.keyboard.press('Tab');
  await page.evaluate(() => document.body.removeAttribute('tabindex'));

  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip, 'the first Tab stop is the "Skip to main content" link').toBeFocused();
  await expect(skip).toHaveAttribute('href', '#main-content');

  await page.keyboard.press('Enter');
  const hasFocusableInMain = await main.evaluate((m) =>
    Array.from(
      m.querySelectorAll<HTMLElement>('a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])'),
    ).some((el) => !el.hasAttribute('disabled') && el.getClientRects().length > 0),
  );
  if (hasFocusableInMain) {
    await page.keyboard.press('Tab');
    const inMain = await page.evaluate(() => !!document.activeElement?.closest('main#main-content'));
    expect(inMain, 'after the skip link, the next Tab stop is inside <main>').toBe(true);
  } else {
    const arrived = await page.evaluate(
      () => location.hash === '#main-content' || document.activeElement?.id === 'main-content',
    );
    expect(arrived, 'the skip link leads to <main>').toBe(true);
  }
}

// ---------------------------------------------------------------------------
// Journeys.

const lastTotpStep = new Map<Role, number>();

/** Sign in as a demo role through the form, land on its home page and check it. */
export async function signIn(page: Page, role: Role): Promise<void> {
  await page.goto('/sign-in');
  await checkPage(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to Harbour');
  await page.getByLabel('Email address', { exact: true }).fill(emailOf(role));
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  if (TOTP_ROLES.has(role)) {
    // Harbour accepts each code once (RFC 6238 5.2): wait for a fresh time step
    // if this role already signed in during the current one.
    const step = () => Math.floor(Date.now() / 30_000);
    const last = lastTotpStep.get(role);
    if (last !== undefined && step() <= last) {
      await page.waitForTimeout((last + 1) * 30_000 - Date.now() + 250);
    }
    lastTotpStep.set(role, step());
    await page.getByLabel('Authentication code', { exact: true }).fill(totp(DEMO_TOTP_SECRET));
  }
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const home = homeOf(role);
  await expect(page).toHaveURL(new RegExp(`${escapeRegExp(home.path)}(\\?.*)?$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(home.heading);
  await checkPage(page);
}

/** Sign out with the header button; afterwards a signed-in page sends us to sign in. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('banner').getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForLoadState('load');
  await checkPage(page);
  await page.goto('/my-work');
  await expect(page).toHaveURL(/\/sign-in(\?.*)?$/);
  await checkPage(page);
}

/** The "My children" table on My work. */
export function myChildrenTable(page: Page): Locator {
  return page.getByRole('table', { name: 'My children' });
}

/** Links to children in the first column of a table. */
export function childLinks(table: Locator): Locator {
  return table
    .getByRole('row')
    .locator('td:first-child, th:first-child')
    .getByRole('link');
}

/** Name and href of the first child in the social worker's "My children". */
export async function firstOwnChild(page: Page): Promise<{ name: string; href: string }> {
  const links = childLinks(myChildrenTable(page));
  await expect(links.first(), '"My children" lists at least one child').toBeVisible();
  const link = links.first();
  const name = (await link.innerText()).trim();
  const href = await link.getAttribute('href');
  expect(href, 'child link has an href').toMatch(/\/children\/[0-9a-f-]{36}$/);
  return { name, href: href! };
}

/** Search for children and check the results page. */
export async function search(page: Page, query: string): Promise<Locator> {
  const box = page.getByLabel('Name, date of birth or identifier', { exact: true });
  if (!(await box.count())) {
    await page.goto('/children');
    await checkPage(page);
  }
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Find a child');
  await page.getByLabel('Name, date of birth or identifier', { exact: true }).fill(query);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  // A POST: the search text never appears in the URL.
  await expect(page).toHaveURL(/\/children$/);
  await expect(page.getByRole('main')).toContainText(/found|No children found/);
  await checkPage(page);
  return page.getByRole('main');
}

/** Rows of the search results table. */
export function resultRows(page: Page): Locator {
  return page.getByRole('main').getByRole('table').getByRole('row').filter({ has: page.getByRole('link') });
}

/** Change one letter of the surname (the last word): a plausible misspelling. */
export function misspell(fullName: string): string {
  const parts = fullName.trim().split(/\s+/);
  const surname = parts[parts.length - 1];
  // Swap a vowel in the middle for another, or else change the last letter.
  const chars = surname.split('');
  const vowels = 'aeiou';
  let changed = false;
  for (let i = 1; i < chars.length; i++) {
    const lower = chars[i].toLowerCase();
    if (vowels.includes(lower)) {
      chars[i] = lower === 'e' ? 'a' : 'e';
      changed = true;
      break;
    }
  }
  if (!changed) {
    const last = chars.length - 1;
    chars[last] = chars[last].toLowerCase() === 's' ? 't' : 's';
  }
  parts[parts.length - 1] = chars.join('');
  return parts.join(' ');
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------
// The test object: every page is watched.

export const test = base.extend<{ watched: void }>({
  watched: [
    async ({ page, javaScriptEnabled }, use, testInfo) => {
      const w = watch(page, javaScriptEnabled);
      await use();
      // Assert after the body so a failing step's own message comes first.
      if (testInfo.status === testInfo.expectedStatus) {
        expect(w.errors.length, `console or page errors:\n${w.errors.join('\n')}\n`).toBe(0);
        expect(w.unchecked.length, `pages loaded but not passed to checkPage():\n${w.unchecked.join('\n')}\n`).toBe(0);
      } else if (w.errors.length) {
        await testInfo.attach('console-errors.txt', { body: w.errors.join('\n'), contentType: 'text/plain' });
      }
    },
    { auto: true },
  ],
});

// ---------------------------------------------------------------------------
// Record sections: an h2 and everything after it up to the next h2.

/** The text of the section that starts at the h2 named `heading`. */
export async function sectionText(page: Page, heading: string): Promise<string> {
  const h2 = page.getByRole('main').getByRole('heading', { level: 2, name: heading, exact: true });
  await expect(h2, `section "${heading}"`).toHaveCount(1);
  return h2.evaluate((start) => {
    const end = Array.from(document.querySelectorAll('main h2')).find(
      (h) => h !== start && (start.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0,
    );
    const range = document.createRange();
    range.setStartAfter(start);
    if (end) range.setEndBefore(end);
    else range.setEndAfter(document.querySelector('main')!.lastChild!);
    return (range.cloneContents().textContent ?? '').replace(/\s+/g, ' ').trim();
  });
}

/** The h2 sections a child record must have, in this order. */
export const RECORD_SECTIONS = [
  'Summary',
  'Alerts',
  'Chronology',
  'Case notes',
  'Decisions',
  'Relationships',
  'Allocation history',
];

/** The "Record a case note" control (a link, possibly styled as a button). */
export function recordNoteControl(page: Page): Locator {
  const name = 'Record a case note';
  return page
    .getByRole('main')
    .getByRole('link', { name, exact: true })
    .or(page.getByRole('main').getByRole('button', { name, exact: true }));
}

/** On the case note form: a visit, on the given London day, at `time`. */
export async function fillVisitWhen(page: Page, [day, month, year]: [string, string, string], time: string): Promise<void> {
  await page
    .getByRole('group', { name: 'What kind of note is this?' })
    .getByLabel('Visit (child seen)', { exact: true })
    .check();
  await fillDate(page.getByRole('group', { name: /When did it happen\?/ }), [day, month, year]);
  await page.getByLabel('Time', { exact: true }).fill(time);
}

/**
 * The London date and time `offsetMinutes` from now, as form fields:
 * [day, month, year, "HH:MM"]. For events that must lie in the past but
 * after anything the demo data (which follows the clock) already holds.
 */
export function londonAt(offsetMinutes: number): [string, string, string, string] {
  const d = new Date(Date.now() + offsetMinutes * 60_000);
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return [get('day'), get('month'), get('year'), `${get('hour')}:${get('minute')}`];
}

/** The London date `offsetDays` from today as [day, month, year]. */
export function londonToday(offsetDays = 0): [string, string, string] {
  const [day, month, year] = londonAt(offsetDays * 24 * 60);
  return [day, month, year];
}

/** Fill a GOV.UK date input group (Day, Month, Year). */
export async function fillDate(group: Locator, [day, month, year]: [string, string, string]): Promise<void> {
  await group.getByLabel('Day', { exact: true }).fill(day);
  await group.getByLabel('Month', { exact: true }).fill(month);
  await group.getByLabel('Year', { exact: true }).fill(year);
}

/**
 * On the "Report … missing" form: missing (whereabouts unknown) from a care
 * placement, last seen on `date` at `time` at `where`, with what happened.
 * The caller adds anything else (police, grade) and submits.
 */
export async function fillMissingReport(
  page: Page,
  r: { date: [string, string, string]; time: string; where: string; what: string },
): Promise<void> {
  await page.getByLabel('Missing (whereabouts unknown)').check();
  await page.getByLabel('Care placement').check();
  await fillDate(page.getByRole('group', { name: 'When was the child last seen?' }), r.date);
  await page.getByLabel('Time last seen').fill(r.time);
  await page.getByLabel('Where were they last seen?').fill(r.where);
  await page.getByLabel('What happened').fill(r.what);
}
