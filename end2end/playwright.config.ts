import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Every run starts the server on a fresh, empty data directory, which CHOSO_DEMO=1 seeds with
// the demo markets, stalls, products and accounts the tests rely on. Playwright loads this file
// again in every worker process; the environment carries the directory over to them, so only the
// main process creates one.
const dataDir = (process.env.CHOSO_E2E_DATA_DIR ??= fs.mkdtempSync(
  path.join(os.tmpdir(), 'choso-e2e-'),
));

// Another port lets two checkouts of the project run their browser tests side by side.
const port = Number(process.env.CHOSO_E2E_PORT ?? 3210);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests',
  // The tests share one server and one database, and a 2-core machine runs the server, the
  // browser and the tests: one at a time keeps them both correct and unhurried.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    // A browser set to Vietnamese, like most of the site's visitors: the server picks the
    // interface language from Accept-Language until the visitor chooses one.
    locale: 'vi-VN',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        // Debian's chromium: Playwright's own browser download isn't available here.
        launchOptions: {
          executablePath: '/usr/bin/chromium',
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
    },
  ],
  webServer: {
    command: process.env.CHOSO_BIN ?? '../target/debug/choso',
    env: {
      CHOSO_DATA_DIR: dataDir,
      CHOSO_DEMO: '1',
      // Every browser of the run comes from 127.0.0.1, like many shoppers behind one Wi-Fi.
      CHOSO_UNPAID_PER_ADDRESS: '100000',
      LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? '../target/site',
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_OUTPUT_NAME: 'choso',
      RUST_LOG: 'warn',
    },
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
