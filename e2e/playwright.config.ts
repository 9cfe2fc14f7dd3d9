import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';

// E2E_PORT lets two runs share a machine.
const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;

// Every run starts from an empty database (embedded, or E2E_DATABASE_URL), so the first visit is the first-run setup.
// Workers re-read this file; the inherited variable keeps them on the runner's directory.
process.env.PROMPTLOG_E2E_DATA_DIR ??= fileURLToPath(new URL(`../.promptlog/e2e-${Date.now()}`, import.meta.url));
const dataDir = process.env.PROMPTLOG_E2E_DATA_DIR;

// Debian's Chromium by default; CHROMIUM_PATH='' uses Playwright's bundled browser instead.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const browser = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    executablePath: chromiumPath || undefined,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  },
};

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: process.env.CI ? [['line']] : [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  // Setup can happen once per server: the first-run spec goes first and the others log in as its admin.
  projects: [
    { name: 'first-run', testMatch: /smoke\.spec\.ts/, use: browser },
    { name: 'chromium', testIgnore: /smoke\.spec\.ts/, dependencies: ['first-run'], use: browser },
  ],
  webServer: {
    command: 'node ../scripts/start.mjs',
    url: `${baseURL}/api/health`,
    // E2E_DATABASE_URL (an empty PostgreSQL database) runs the suite on PostgreSQL; otherwise a new embedded one.
    // An ambient DATABASE_URL is ignored, so it cannot point the first-run test at a used database.
    env: {
      PORT: String(PORT),
      PROMPTLOG_DATA_DIR: dataDir,
      PROMPTLOG_LOG_LEVEL: 'warn',
      // Alerts are evaluated every minute by default; alerts.spec.ts waits for one.
      PROMPTLOG_ALERTS_INTERVAL_MS: '1000',
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? '',
    },
    reuseExistingServer: false,
    timeout: 120_000,
  },
});
