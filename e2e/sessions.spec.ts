import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { migrate } from "../lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "../tests/test-database";
import { PASSWORD, signUpInBrowser, uniqueEmail } from "./support/accounts";
import { startApp, type AppProcess } from "./support/app-process";
import { signInOverHttp, signOutOverHttp } from "./support/sessions";

// Sessions end on the server: a signed-out cookie replayed to any instance is refused. Two app instances share one
// database (and the session secret, as a deployment of several instances must), so a cookie signed by one is
// accepted by the other until its session ends.
test.describe.configure({ mode: "serial", timeout: 180_000 });

let database: TestDatabase;
let dataDir: string;
let one: AppProcess;
let two: AppProcess;

test.beforeAll(async () => {
  database = await createTestDatabase("sessions");
  await migrate(database.url);
  dataDir = mkdtempSync(path.join(os.tmpdir(), "portcullis-sessions-"));
  // TRUST_PROXY_HOPS=1: the tests name the client address with X-Forwarded-For, as a proxy in front would.
  const env = { DATABASE_URL: database.url, PORTCULLIS_DATA_DIR: dataDir, NEXTAUTH_SECRET: randomBytes(32).toString("base64url"), TRUST_PROXY_HOPS: "1" };
  [one, two] = await Promise.all([startApp(env), startApp(env)]);
});

test.afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function signUp(app: AppProcess, email: string, address = "192.0.2.10"): Promise<Response> {
  return fetch(`${app.baseUrl}/api/v1/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": address },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
}

const me = (app: AppProcess, cookie: string) => fetch(`${app.baseUrl}/api/v1/me`, { headers: { cookie } }).then((r) => r.status);

/** Where a console page sends this cookie: the page itself, or the sign-in page. */
async function settingsPage(app: AppProcess, cookie: string): Promise<string> {
  const response = await fetch(`${app.baseUrl}/settings`, { headers: { cookie } });
  return new URL(response.url).pathname;
}

test("a signed-out session cookie is refused on every instance, by the API and the console", async () => {
  const email = uniqueEmail("signout");
  expect((await signUp(one, email)).status).toBe(201);
  const cookie = await signInOverHttp(one.baseUrl, email, PASSWORD);
  expect([await me(one, cookie), await me(two, cookie)]).toEqual([200, 200]);
  expect(await settingsPage(two, cookie)).toBe("/settings");

  // Signed out on the other instance than the one that signed in.
  const cleared = await signOutOverHttp(two.baseUrl, cookie);
  expect(cleared.some((c) => /^next-auth\.session-token=;/.test(c))).toBe(true);

  // The copy kept from before is replayed: refused everywhere, at once.
  expect([await me(one, cookie), await me(two, cookie)]).toEqual([401, 401]);
  expect(await settingsPage(one, cookie)).toBe("/sign-in");
  // next-auth's own session endpoint says "signed out" too.
  expect(await (await fetch(`${one.baseUrl}/api/auth/session`, { headers: { cookie } })).json()).toEqual({});

  // Signing in again works as before.
  const fresh = await signInOverHttp(two.baseUrl, email, PASSWORD);
  expect([await me(one, fresh), await me(two, fresh)]).toEqual([200, 200]);
});

test("signing out everywhere ends every session of the account on every instance", async () => {
  const email = uniqueEmail("everywhere");
  expect((await signUp(two, email)).status).toBe(201);
  const laptop = await signInOverHttp(one.baseUrl, email, PASSWORD);
  const phone = await signInOverHttp(two.baseUrl, email, PASSWORD);
  const otherEmail = uniqueEmail("bystander");
  expect((await signUp(one, otherEmail)).status).toBe(201);
  const bystander = await signInOverHttp(one.baseUrl, otherEmail, PASSWORD);

  const ended = await fetch(`${two.baseUrl}/api/v1/sessions`, { method: "DELETE", headers: { cookie: laptop } });
  expect(ended.status).toBe(200);
  expect(await ended.json()).toEqual({ endedSessions: 2 });

  for (const app of [one, two]) {
    expect([await me(app, laptop), await me(app, phone), await me(app, bystander)]).toEqual([401, 401, 200]);
  }
});

test("sign-ups are limited per address across instances, and a taken email gets the same answer", async () => {
  const address = "203.0.113.77";
  const taken = uniqueEmail("taken");
  const answers: Response[] = [];
  for (const [i, email] of [taken, uniqueEmail("limit"), taken, uniqueEmail("limit"), uniqueEmail("limit")].entries()) {
    answers.push(await signUp(i % 2 ? two : one, email, address));
  }
  expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
  const [created, again] = [await answers[0]!.json(), await answers[2]!.json()];
  expect(Object.keys(again).sort()).toEqual(Object.keys(created).sort());
  expect(Object.keys(again.user).sort()).toEqual(Object.keys(created.user).sort());

  for (const app of [one, two]) {
    const refused = await signUp(app, uniqueEmail("limit"), address);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(3000);
    expect((await refused.json()).detail).toMatch(/^Too many accounts were asked for from your network in the last hour\. Try again in \d+ minutes/);
  }
  expect((await signUp(two, uniqueEmail("limit"), "203.0.113.78")).status).toBe(201);
});

// In the browser, against the test server: Settings' button ends this browser's session and another one's.
test("Settings: sign out everywhere, confirmed, signs out this browser and every other", async ({ page, browser, baseURL }) => {
  const email = await signUpInBrowser(page);
  const other = await browser.newContext({ baseURL });
  const otherPage = await other.newPage();
  await otherPage.goto("/sign-in");
  await otherPage.getByLabel("Email").fill(email);
  await otherPage.getByLabel("Password").fill(PASSWORD);
  await otherPage.getByRole("button", { name: "Sign in" }).click();
  await expect(otherPage).toHaveURL(/\/servers$/);
  const kept = await page.context().cookies();

  await page.goto("/settings");
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  const dialog = page.getByRole("dialog", { name: "Sign out everywhere?" });
  await expect(dialog).toContainText(`Every browser and device signed in as ${email} is signed out`);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await otherPage.reload();
  await expect(otherPage).toHaveURL(/\/servers$/);

  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await dialog.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

  await otherPage.reload();
  await expect(otherPage).toHaveURL(/\/sign-in\?callbackUrl=%2Fservers/);
  // This browser's old cookie, put back, is refused too.
  const replay = await browser.newContext({ baseURL });
  await replay.addCookies(kept);
  const replayPage = await replay.newPage();
  await replayPage.goto("/settings");
  await expect(replayPage).toHaveURL(/\/sign-in\?callbackUrl=%2Fsettings/);
  await Promise.all([other.close(), replay.close()]);
});
