import { expect, test } from "@playwright/test";
import { signUpInBrowser } from "./support/accounts";

test("create a personal access token, use it, and revoke it", async ({ page, request }) => {
  const email = await signUpInBrowser(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: "Personal access tokens" })).toBeVisible();
  await expect(page.getByText("You have no tokens yet.")).toBeVisible();

  // A name is required, and the form says so.
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText("Give the token a name, such as the script or machine that will use it.")).toBeVisible();

  await page.getByLabel("Token name").fill("CI pipeline");
  await page.getByLabel("Expires").selectOption("30");
  await page.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByTestId("new-token");
  await expect(shown).toHaveText(/^pcp_[A-Za-z0-9_-]{43}$/);
  const token = (await shown.textContent())!;
  await expect(page.getByText("Copy it now: it will not be shown again.")).toBeVisible();

  const row = page.getByTestId("token-row").filter({ hasText: "CI pipeline" });
  await expect(row).toContainText(token.slice(0, 12));
  await expect(row).toContainText("Active");
  await expect(row).not.toContainText(token);

  const me = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ user: { email }, authenticatedWith: "token" });

  // The token is shown once: after a reload only its prefix remains.
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  await expect(page.getByText(token)).toHaveCount(0);

  await row.getByRole("button", { name: "Revoke CI pipeline" }).click();
  const confirm = page.getByRole("dialog", { name: "Revoke CI pipeline?" });
  await expect(confirm).toContainText("This cannot be undone.");
  await confirm.getByRole("button", { name: "Revoke token" }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);

  const refused = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ code: "invalid_token" });
});
