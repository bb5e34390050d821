// Drafts are never lost (issue 9 section 1): text typed into a long form
// survives the session timing out and the server restarting. This spec runs
// its own `harbour serve --demo` on a fresh SQLite database (the shared
// server cannot be restarted under the other specs): it types a case note,
// stops the server, ends every session in the database (what the idle
// timeout does), starts the server again, and the writer signs in again and
// finds the text waiting in the form; saving it forgets the draft.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  test,
  expect,
  checkPage,
  signIn,
  firstOwnChild,
  recordNoteControl,
  fillVisitWhen,
  londonToday,
  sectionText,
  escapeRegExp,
} from './support';

const port = Number(process.env.E2E_PORT ?? 8787) + 50;
const origin = `http://127.0.0.1:${port}`;
const target = process.env.CARGO_TARGET_DIR
  ? path.resolve(process.cwd(), '..', process.env.CARGO_TARGET_DIR)
  : path.resolve(process.cwd(), '..', 'target');
const bin = process.env.E2E_HARBOUR_BIN ?? path.join(target, 'debug', 'harbour');

let dir = '';
let dbPath = '';
let server: ChildProcess | null = null;

async function startServer(): Promise<void> {
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
  dir = mkdtempSync(path.join(tmpdir(), 'harbour-drafts-'));
  dbPath = path.join(dir, 'drafts.db');
  await startServer();
});

test.afterAll(async () => {
  await stopServer();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a half-written case note survives the session timing out and the server restarting', async ({ page }) => {
  await signIn(page, 'social_worker');
  const child = await firstOwnChild(page);
  await page.goto(child.href);
  await checkPage(page);
  await recordNoteControl(page).click();
  const formUrl = new RegExp(`${escapeRegExp(child.href)}/notes/new([?#].*)?$`);
  await expect(page).toHaveURL(formUrl);
  await checkPage(page);

  const subject = `Draft kept ${Date.now()}`;
  const body =
    'Visited after school. The child talked at length about the weekend, the friends ' +
    'they stayed with and the older man who drove them back; they said they felt safe at home. '.repeat(8);
  await page.getByLabel('Subject', { exact: true }).fill(subject);
  await page.getByLabel('Note', { exact: true }).fill(body);

  // Night falls: the server restarts and every session times out.
  await stopServer();
  execFileSync('python3', [
    '-c',
    'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); n = c.execute("delete from sessions").rowcount; c.commit(); assert n > 0, "no session to end"',
    dbPath,
  ]);
  await startServer();

  // The next request finds no session: sign in again.
  await page.reload();
  await expect(page).toHaveURL(/\/sign-in(\?.*)?$/);
  await checkPage(page);
  await signIn(page, 'social_worker');

  // Back on the form in the same tab, the text is waiting.
  await page.goto(`${child.href}/notes/new`);
  await checkPage(page);
  await expect(page.getByLabel('Subject', { exact: true })).toHaveValue(subject);
  await expect(page.getByLabel('Note', { exact: true })).toHaveValue(body);

  // Finish and save it; the note is on the record and the draft is forgotten.
  await fillVisitWhen(page, londonToday(-1), '23:50');
  await page.getByRole('button', { name: 'Save note', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${escapeRegExp(child.href)}([?#].*)?$`));
  await expect(page.locator('.govuk-notification-banner--success')).toBeVisible();
  expect(await sectionText(page, 'Case notes')).toContain(subject);
  await checkPage(page);

  await page.goto(`${child.href}/notes/new`);
  await checkPage(page);
  await expect(page.getByLabel('Subject', { exact: true })).toHaveValue('');
  await expect(page.getByLabel('Note', { exact: true })).toHaveValue('');
});
