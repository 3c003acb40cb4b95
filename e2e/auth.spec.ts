import { expect, test } from "@playwright/test";
import { PASSWORD, signUpInBrowser, uniqueEmail } from "./support/accounts";

test("sign up, sign out and sign back in", async ({ page, context }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByRole("link", { name: "Create an account" }).click();

  const email = await signUpInBrowser(page);
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const item of ["Servers", "Policies", "Activity", "Approvals", "Settings"]) {
    await expect(nav.getByRole("link", { name: item })).toBeVisible();
  }
  await expect(page.getByText("No MCP servers yet")).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();

  // The session cookie cannot be read by scripts and is not sent on cross-site subrequests.
  const session = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false });

  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fsettings/);

  await page.getByLabel("Email").fill(email.toUpperCase());
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
});

test("a visitor sent to sign in who has no account yet signs up and lands where they were going", async ({ page }) => {
  // As from an OAuth client's sign-in: the page that needs an account sends the visitor to sign in, and they create one.
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fsettings/);
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page).toHaveURL(/\/sign-up\?callbackUrl=%2Fsettings$/);
  await page.getByLabel("Email").fill(uniqueEmail("callback"));
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
});

test("sign-up explains what is wrong with the email or password", async ({ page }) => {
  await page.goto("/sign-up");
  const email = page.getByLabel("Email");
  const password = page.getByLabel("Password");
  const submit = page.getByRole("button", { name: "Create account" });

  await submit.click();
  await expect(page.getByText("Enter your email address.")).toBeVisible();

  await email.fill("not-an-email");
  await password.fill("long enough password");
  await submit.click();
  await expect(page.getByText("Enter a valid email address, like name@example.com.")).toBeVisible();

  await email.fill(uniqueEmail("weak"));
  await password.fill("short");
  await submit.click();
  await expect(page.getByText("Use at least 8 characters (this one has 5).")).toBeVisible();
  await expect(password).toHaveAttribute("aria-invalid", "true");

  await password.fill("password123");
  await submit.click();
  await expect(page.getByText(/appears in lists of commonly used passwords/)).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up$/);
});

// Sign-up never says whether an email has an account: its owner, with the right password, is simply signed in;
// anyone else gets the sign-in page's own answer, the same as for an email with no account.
test("signing up with an email that has an account signs its owner in, and tells anyone else nothing more", async ({ page, browser }) => {
  const email = await signUpInBrowser(page);
  const other = await browser.newPage();
  await other.goto("/sign-up");
  await other.getByLabel("Email").fill(email);
  await other.getByLabel("Password").fill("some other long password");
  await other.getByRole("button", { name: "Create account" }).click();
  await expect(other.locator("form [role=alert]")).toHaveText(
    "That email and password do not match an account. Check them and try again, or create an account.",
  );
  await expect(other).toHaveURL(/\/sign-up$/);
  await expect(other.getByLabel("Password")).toBeFocused();
  await other.close();

  const owner = await browser.newPage();
  await owner.goto("/sign-up");
  await owner.getByLabel("Email").fill(email);
  await owner.getByLabel("Password").fill(PASSWORD);
  await owner.getByRole("button", { name: "Create account" }).click();
  await expect(owner).toHaveURL(/\/servers$/);
  await expect(owner.getByText(email)).toBeVisible();
  await owner.close();
});

test("a wrong password is refused, and repeated guesses are throttled", async ({ page, browser }) => {
  const email = await signUpInBrowser(page);
  const guesser = await browser.newPage();
  await guesser.goto("/sign-in");
  await guesser.getByLabel("Email").fill(email);
  for (let i = 0; i < 5; i++) {
    await guesser.getByLabel("Password").fill(`wrong guess ${i}`);
    await guesser.getByRole("button", { name: "Sign in" }).click();
    await expect(guesser.locator("form [role=alert]")).toHaveText(
      "That email and password do not match an account. Check them and try again, or create an account.",
    );
    // The next try starts where it should: in the password field, its text selected.
    await expect(guesser.getByLabel("Password")).toBeFocused();
  }
  await guesser.getByLabel("Password").fill(PASSWORD);
  await guesser.getByRole("button", { name: "Sign in" }).click();
  await expect(guesser.locator("form [role=alert]")).toHaveText(/^Too many failed sign-in attempts\. Try again in \d+ minutes?\.$/);
  await expect(guesser).toHaveURL(/\/sign-in/);
  await guesser.close();
});

test("the theme can be switched to dark and back", async ({ page }) => {
  await signUpInBrowser(page);
  const theme = page.getByLabel("Theme").first();
  await theme.selectOption("dark");
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await theme.selectOption("light");
  await expect(page.locator("html")).not.toHaveClass(/dark/);
});
