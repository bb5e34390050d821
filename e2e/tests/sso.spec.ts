// Single sign-on with OpenID Connect (issue 9 section 3), in the browser:
// the sign-in page's "Sign in with your council account" button, the
// council's identity provider (the test provider from
// `cargo build -p harbour-web --example oidc-provider`, started here on its
// own port), and back into Harbour. This spec runs its own
// `harbour serve --demo` configured for the provider.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, expect, checkPage, emailOf, homeOf } from './support';

const base = Number(process.env.E2E_PORT ?? 8787);
const port = base + 60;
const providerPort = base + 61;
const origin = `http://127.0.0.1:${port}`;
const issuer = `http://127.0.0.1:${providerPort}`;
const target = process.env.CARGO_TARGET_DIR
  ? path.resolve(process.cwd(), '..', process.env.CARGO_TARGET_DIR)
  : path.resolve(process.cwd(), '..', 'target');
const bin = process.env.E2E_HARBOUR_BIN ?? path.join(target, 'debug', 'harbour');
const providerBin = path.join(target, 'debug', 'examples', 'oidc-provider');
const CLIENT = 'harbour-e2e';
const SECRET = 'e2e-client-secret';

let dir = '';
const children: ChildProcess[] = [];

async function waitFor(url: string, proc: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} was not ready within 60 s`);
}

test.use({ baseURL: origin });
test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'harbour-sso-'));
  const provider = spawn(providerBin, [String(providerPort), CLIENT, SECRET, `${origin}/sign-in/oidc/callback`], {
    stdio: 'ignore',
  });
  children.push(provider);
  await waitFor(`${issuer}/.well-known/openid-configuration`, provider, 'the test OpenID Connect provider');
  // harbour refuses HARBOUR_* variables it does not know (the test runner's own).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HARBOUR_')));
  const server = spawn(
    bin,
    ['--database-url', `sqlite://${path.join(dir, 'sso.db')}`, 'serve', '--demo', '--listen', `127.0.0.1:${port}`],
    {
      env: {
        ...env,
        HARBOUR_LOG: 'warn',
        HARBOUR_PUBLIC_ORIGIN: origin,
        HARBOUR_COOKIE_SECURE: 'false',
        HARBOUR_OIDC_ISSUER: issuer,
        HARBOUR_OIDC_CLIENT_ID: CLIENT,
        HARBOUR_OIDC_CLIENT_SECRET: SECRET,
      },
      stdio: 'ignore',
    },
  );
  children.push(server);
  await waitFor(`${origin}/readyz`, server, 'harbour serve');
});

test.afterAll(async () => {
  for (const c of children) {
    if (c.exitCode === null) {
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await exited;
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** From Harbour's sign-in page through the provider's page. */
async function signOn(page: import('@playwright/test').Page, email: string, opts: { mfa?: boolean; cancel?: boolean } = {}) {
  await page.goto('/sign-in');
  await checkPage(page);
  await page.getByRole('button', { name: 'Sign in with your council account' }).click();
  await expect(page).toHaveURL(new RegExp(`^${issuer}/authorize\\?`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Test identity provider');
  await checkPage(page);
  if (opts.cancel) {
    await page.getByRole('button', { name: 'Cancel' }).click();
    return;
  }
  await page.getByLabel('Email address').fill(email);
  if (opts.mfa) await page.getByLabel('Used a second factor').check();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

test('a social worker signs in with their council account, and strangers are turned away', async ({ page }) => {
  await signOn(page, emailOf('social_worker'));
  const home = homeOf('social_worker');
  await expect(page).toHaveURL(new RegExp(`^${origin}${home.path}`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(home.heading);
  await checkPage(page);

  // Signing out of Harbour offers to sign out of the council account too
  // (on a shared computer the next person would otherwise be signed
  // straight in); the provider sends the browser back to sign in.
  await page.getByRole('banner').getByRole('button', { name: 'Sign out', exact: true }).click();
  const notice = page.getByRole('region', { name: 'Important' });
  await expect(notice).toContainText('You have been signed out.');
  await expect(notice).toContainText('On a shared computer');
  await checkPage(page);
  await notice.getByRole('link', { name: 'sign out of your council account as well' }).click();
  await expect(page).toHaveURL(`${origin}/sign-in`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to Harbour');
  await checkPage(page);
  await page.goto('/my-work');
  await expect(page).toHaveURL(/\/sign-in(\?.*)?$/);

  // Someone the council knows but Harbour does not.
  await signOn(page, 'someone.else@council.example.test');
  await expect(page).toHaveURL(new RegExp(`^${origin}/sign-in/oidc/callback`));
  await expect(page.locator('.govuk-error-summary')).toContainText('Your council account is not set up for Harbour');
  await checkPage(page);

  // Cancelled at the provider.
  await signOn(page, '', { cancel: true });
  await expect(page.locator('.govuk-error-summary')).toContainText('was not completed');
  await checkPage(page);
});

test('a system administrator needs the provider to report a second factor, and can remove a link', async ({ page }) => {
  await signOn(page, emailOf('sysadmin'));
  await expect(page.locator('.govuk-error-summary')).toContainText('Your role needs a second factor');
  await checkPage(page);

  await signOn(page, emailOf('sysadmin'), { mfa: true });
  await expect(page).toHaveURL(new RegExp(`^${origin}${homeOf('sysadmin').path}`));
  await checkPage(page);
  // The social worker's account was linked by the first test, this one's now.
  const links = page.getByRole('button', { name: /Remove single sign-on link for .*/ });
  await expect(links).toHaveCount(2);
  const worker = page.getByRole('row').filter({ hasText: emailOf('social_worker') });
  await worker.getByRole('button', { name: /Remove single sign-on link/ }).click();
  await expect(page.locator('.govuk-notification-banner')).toContainText('Single sign-on link removed');
  await checkPage(page);
  await expect(links).toHaveCount(1);
});
