// Playwright configuration for Harbour's browser tests.
//
// - Uses the system Chromium (/usr/bin/chromium, from apt). Browser downloads
//   fail on our build machines: never run `npx playwright install`, and keep
//   PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 set for `npm ci` / `npm install`.
// - Starts target/debug/harbour (build it first: `cargo build -p harbour`)
//   through start-server.sh, with demo data in a fresh SQLite database.
// - One worker: the tests share one server and its database.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 8787);
const origin = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: 'list',
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: './test-results',
  use: {
    baseURL: origin,
    browserName: 'chromium',
    headless: true,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: {
    command: './start-server.sh',
    url: `${origin}/healthz`,
    timeout: 120_000,
    // A stale server would test old code: reuse one only when asked.
    reuseExistingServer: process.env.E2E_REUSE_SERVER === '1',
    stdout: 'pipe',
    stderr: 'pipe',
    // SIGTERM (not the default SIGKILL) so start-server.sh removes its temp dir.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    env: {
      E2E_PORT: String(port),
      HARBOUR_PUBLIC_ORIGIN: origin,
      // The server runs over plain http in these tests.
      HARBOUR_COOKIE_SECURE: 'false',
      // Every test signs in from 127.0.0.1; the default (30 per 5 minutes)
      // would throttle the suite, not an attacker.
      HARBOUR_SIGN_IN_ATTEMPTS_PER_IP: '1000',
      HARBOUR_LOG: process.env.HARBOUR_LOG ?? 'warn',
    },
  },
});
