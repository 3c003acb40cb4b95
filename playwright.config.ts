import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Browser tests run against the production build (`npm run build` first), on a fresh database, in a real
// Chromium: Debian's /usr/bin/chromium when present (CI), otherwise Playwright's own (`npx playwright install`).
const PORT = Number(process.env.E2E_PORT ?? 3100);
const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  // How long an assertion waits for the page to get there, not a speed goal (those are benchmarks). Two workers share
  // the CI machine's two cores with the app, PostgreSQL and the apps some tests start on fresh databases (each loads
  // the catalog): a policy page's first data took 8.4 s in a passing run, and 10 s failed one on CI.
  expect: { timeout: 20_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          ...(systemChromium ? { executablePath: systemChromium } : {}),
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        },
      },
    },
  ],
  webServer: {
    // Run directly (not through npx) so the process Playwright stops is the one that drops the test database.
    command: "node --import tsx e2e/support/start-test-server.ts",
    url: `http://127.0.0.1:${PORT}/api/health`,
    // Test upstreams (server-everything, SDK servers) run on this machine. Every test signs up from 127.0.0.1, so
    // the sign-up limit per address is lifted here (e2e/sessions.spec.ts tests it on instances of its own).
    env: { PORT: String(PORT), PORTCULLIS_UPSTREAM_NETWORKS: "loopback", PORTCULLIS_SIGNUPS_PER_HOUR: "100000" },
    reuseExistingServer: false,
    timeout: 120_000,
    // The default is SIGKILL, which left every run's database (and data folder) behind.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    stdout: "pipe",
    stderr: "pipe",
  },
});
