import { defineConfig, devices } from '@playwright/test';
import { E2E_AUTH_SECRET, E2E_WEB_PORT, E2E_SYNC_PORT } from './e2e/fixtures/ports';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './e2e',
  timeout: 45_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1, // 2-core machine; each worker also owns one sync server process
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: 'reports/e2e.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${E2E_WEB_PORT}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
        '--no-first-run', '--disable-background-networking', '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  // Only the web app is started here: the sync server is a per-worker fixture (e2e/fixtures/sync-server.ts)
  // so specs can restart and kill -9 it.
  webServer: {
    command: `node node_modules/next/dist/bin/next start -p ${E2E_WEB_PORT} -H 127.0.0.1`,
    url: `http://127.0.0.1:${E2E_WEB_PORT}`,
    env: {
      NEXT_TELEMETRY_DISABLED: '1',
      SYNC_URL: `ws://127.0.0.1:${E2E_SYNC_PORT}`,
      AUTH_SECRET: E2E_AUTH_SECRET, // same as the sync server fixture's
      // every spec creates boards from 127.0.0.1: far above a run's needs (the quota has its own spec)
      BOARD_CREATE_PER_IP_PER_HOUR: '10000',
      BOARD_CREATE_TOTAL_PER_HOUR: '10000',
      ...(process.env.NEXT_DIST_DIR ? { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR } : {}),
    },
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
