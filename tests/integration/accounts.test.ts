import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { authenticate, INVALID_CREDENTIALS_MESSAGE } from "@/lib/accounts/authenticate";
import { EmailTakenError, signUp } from "@/lib/accounts/sign-up";
import { LIMITS } from "@/lib/auth/login-throttle";
import { getPrisma } from "@/lib/db/client";

const email = () => `user-${randomUUID()}@example.com`;
const PASSWORD = "a sturdy gate of oak";

describe("signUp", () => {
  it("creates the user, a workspace and the owner membership, storing only an argon2id hash", async () => {
    const address = email();
    const result = await signUp({ email: `  ${address.toUpperCase()} `, password: PASSWORD, name: "Ada" });
    expect(result.user.email).toBe(address);
    expect(result.workspace.name).toBe("Ada's workspace");
    const prisma = getPrisma();
    const user = await prisma.user.findUniqueOrThrow({ where: { id: result.user.id }, include: { memberships: true } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(user.passwordHash).not.toContain(PASSWORD);
    expect(user.memberships).toEqual([expect.objectContaining({ workspaceId: result.workspace.id, role: "owner" })]);
  });

  it("refuses an email that already has an account, in any case, and writes nothing", async () => {
    const address = email();
    await signUp({ email: address, password: PASSWORD });
    const before = await getPrisma().workspace.count();
    const error = await signUp({ email: address.toUpperCase(), password: PASSWORD }).catch((e: unknown) => e);
    // Only for the code that calls it: the API answers a taken email like a new one (see sign-up.test.ts).
    expect(error).toBeInstanceOf(EmailTakenError);
    expect(await getPrisma().workspace.count()).toBe(before);
  });

  it("refuses a common password and writes nothing", async () => {
    const address = email();
    const error = await signUp({ email: address, password: "iloveyou123" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, code: "weak_password", errors: [{ path: "body.password" }] });
    expect(await getPrisma().user.findUnique({ where: { email: address } })).toBeNull();
  });
});

describe("authenticate", () => {
  it("accepts the right password and refuses a wrong one or an unknown email with the same message", async () => {
    const address = email();
    await signUp({ email: address, password: PASSWORD });
    expect(await authenticate(address.toUpperCase(), PASSWORD, "198.51.100.1")).toMatchObject({ ok: true, user: { email: address } });
    expect(await authenticate(address, "not the password", "198.51.100.1")).toEqual({
      ok: false,
      code: "invalid_credentials",
      message: INVALID_CREDENTIALS_MESSAGE,
    });
    expect(await authenticate(email(), PASSWORD, "198.51.100.1")).toMatchObject({ ok: false, message: INVALID_CREDENTIALS_MESSAGE });
  });

  it("answers an email PostgreSQL cannot store (U+0000, a broken surrogate) like an unknown one, without a database error", async () => {
    for (const address of ["a\u0000@example.com", "a\ud800@example.com"]) {
      expect(await authenticate(address, PASSWORD, "198.51.100.1")).toEqual({ ok: false, code: "invalid_credentials", message: INVALID_CREDENTIALS_MESSAGE });
    }
  });

  it("throttles one address guessing one account, without blocking the owner elsewhere", async () => {
    const address = email();
    await signUp({ email: address, password: PASSWORD });
    const attacker = `203.0.113.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < LIMITS.pair; i++) {
      expect(await authenticate(address, `guess ${i}`, attacker)).toMatchObject({ code: "invalid_credentials" });
    }
    // Even the right password is refused from that address now: the guesser learns nothing.
    const blocked = await authenticate(address, PASSWORD, attacker);
    expect(blocked).toMatchObject({ ok: false, code: "throttled" });
    expect(blocked.ok === false && blocked.message).toMatch(/^Too many failed sign-in attempts\. Try again in \d+ minutes?\.$/);
    expect(await authenticate(address, PASSWORD, "192.0.2.10")).toMatchObject({ ok: true });
  });

  it("throttles many addresses guessing one account, but not the owner's usual address", async () => {
    const address = email();
    await signUp({ email: address, password: PASSWORD });
    const home = "192.0.2.77";
    expect(await authenticate(address, PASSWORD, home)).toMatchObject({ ok: true });
    for (let i = 0; i < LIMITS.account; i++) {
      await authenticate(address, `guess ${i}`, `198.18.${i}.1`);
    }
    expect(await authenticate(address, PASSWORD, "198.18.200.1")).toMatchObject({ ok: false, code: "throttled" });
    expect(await authenticate(address, PASSWORD, home)).toMatchObject({ ok: true });
  });

  it("forgets failures once the window has passed", async () => {
    const address = email();
    await signUp({ email: address, password: PASSWORD });
    const ip = "192.0.2.200";
    const longAgo = new Date(Date.now() - 16 * 60_000);
    for (let i = 0; i < LIMITS.pair; i++) await authenticate(address, "wrong", ip, longAgo);
    expect(await authenticate(address, PASSWORD, ip)).toMatchObject({ ok: true });
  });
});
