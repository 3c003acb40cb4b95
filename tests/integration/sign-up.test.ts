import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getPool, getPrisma } from "@/lib/db/client";
import { signUp } from "@/lib/accounts/sign-up";
import * as signupRoute from "@/app/api/v1/signup/route";
import { admitSignUp } from "@/lib/accounts/admit-sign-up";

// POST /api/v1/signup, called in-process with real Requests against the real database. The client address is the
// X-Forwarded-For the server normalises (scripts/server.ts); here each test names its own.

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const noParams = { params: Promise.resolve({}) };
const PASSWORD = "a sturdy gate of oak";
const newEmail = () => `signup-${randomUUID()}@example.com`;
const someAddress = () => `198.18.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 254) + 1}`;

function postSignUp(body: Record<string, unknown>, address: string): Promise<Response> {
  return (signupRoute.POST as Handler)(
    new Request("http://localhost/api/v1/signup", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": address },
      body: JSON.stringify(body),
    }),
    noParams,
  );
}

/** The shape of a JSON value: its keys all the way down, and the type of each leaf. */
function shape(value: unknown): unknown {
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).sort().map(([k, v]) => [k, shape(v)]));
  return value === null ? "null" : typeof value;
}

async function timed(run: () => Promise<Response>): Promise<{ response: Response; ms: number }> {
  const started = performance.now();
  const response = await run();
  return { response, ms: performance.now() - started };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe("sign-up answers the same whether or not the email has an account", () => {
  it("gives a taken email the same status and body shape as a new one, and creates or changes nothing", async () => {
    const email = newEmail();
    const first = await postSignUp({ email, password: PASSWORD, name: "Ada" }, someAddress());
    expect(first.status).toBe(201);
    const created = await first.json();
    const prisma = getPrisma();
    const stored = await prisma.user.findUniqueOrThrow({ where: { email } });
    const [users, workspaces] = await Promise.all([prisma.user.count(), prisma.workspace.count()]);

    const again = await postSignUp({ email: email.toUpperCase(), password: "another long password", name: "Ada" }, someAddress());
    expect(again.status).toBe(201);
    expect(again.headers.get("content-type")).toBe(first.headers.get("content-type"));
    const answer = await again.json();
    expect(shape(answer)).toEqual(shape(created));
    expect(answer).toMatchObject({ user: { email, name: "Ada" }, workspace: { name: "Ada's workspace" } });
    // Nothing was written: not a second account, not a new password for the first.
    expect(answer.user.id).not.toBe(created.user.id);
    expect(await prisma.user.count()).toBe(users);
    expect(await prisma.workspace.count()).toBe(workspaces);
    expect((await prisma.user.findUniqueOrThrow({ where: { email } })).passwordHash).toBe(stored.passwordHash);
  });

  it("takes about as long for a taken email as for a new one (both pay for the password hash)", async () => {
    const taken = newEmail();
    expect((await postSignUp({ email: taken, password: PASSWORD }, someAddress())).status).toBe(201);
    const newTimes: number[] = [];
    const takenTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const fresh = await timed(() => postSignUp({ email: newEmail(), password: PASSWORD }, someAddress()));
      const again = await timed(() => postSignUp({ email: taken, password: PASSWORD }, someAddress()));
      expect([fresh.response.status, again.response.status]).toEqual([201, 201]);
      newTimes.push(fresh.ms);
      takenTimes.push(again.ms);
    }
    // A generous factor: skipping the hash for a taken email makes it about 20 times faster.
    const ratio = median(takenTimes) / median(newTimes);
    expect(ratio, `medians: taken ${median(takenTimes).toFixed(1)} ms, new ${median(newTimes).toFixed(1)} ms`).toBeGreaterThan(1 / 3);
    expect(ratio).toBeLessThan(3);
  });
});

describe("sign-up throttle", () => {
  it("accepts 5 sign-ups an hour from one address, taken emails included, then answers 429 with Retry-After", async () => {
    const address = someAddress();
    const taken = newEmail();
    for (const email of [taken, newEmail(), taken, newEmail(), newEmail()]) {
      expect((await postSignUp({ email, password: PASSWORD }, address)).status).toBe(201);
    }
    const refusedEmail = newEmail();
    const refused = await postSignUp({ email: refusedEmail, password: PASSWORD }, address);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    const problem = await refused.json();
    expect(problem).toMatchObject({ status: 429, code: "too_many_sign_ups", requestId: expect.any(String) });
    expect(problem.detail).toMatch(/^Too many accounts were asked for from your network in the last hour\. Try again in 60 minutes, or sign in/);
    expect(await getPrisma().user.findUnique({ where: { email: refusedEmail } })).toBeNull();

    // Another address is not affected.
    expect((await postSignUp({ email: refusedEmail, password: PASSWORD }, someAddress())).status).toBe(201);
  });

  it("does not count a sign-up refused for its password", async () => {
    const address = someAddress();
    for (let i = 0; i < 6; i++) {
      expect((await postSignUp({ email: newEmail(), password: "password123" }, address)).status).toBe(422);
    }
    expect((await postSignUp({ email: newEmail(), password: PASSWORD }, address)).status).toBe(201);
  });

  it("counts an IPv6 /64 as one network", async () => {
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:1`;
    for (let i = 1; i <= 5; i++) {
      expect((await postSignUp({ email: newEmail(), password: PASSWORD }, `${prefix}::${i}`)).status).toBe(201);
    }
    expect((await postSignUp({ email: newEmail(), password: PASSWORD }, `${prefix}:ffff::6`)).status).toBe(429);
    expect((await postSignUp({ email: newEmail(), password: PASSWORD }, `${prefix.replace(/:1$/, ":2")}::1`)).status).toBe(201);
  });

  it("counts sign-ups admitted while a request waited for the lock, though they are later than its own clock", async () => {
    // A request reads its clock, then waits for the network's lock while others are admitted: their rows are
    // timestamped after its "now". They must still count (they did not, and 6 of 10 concurrent sign-ups got through).
    const address = someAddress();
    const t = Date.now();
    for (let i = 1; i <= 5; i++) await admitSignUp(address, { now: new Date(t + i * 10), limit: 5 });
    await expect(admitSignUp(address, { now: new Date(t), limit: 5 })).rejects.toMatchObject({ status: 429 });
  });

  it("holds exactly under concurrent sign-ups from one address", async () => {
    const address = someAddress();
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () => postSignUp({ email: newEmail(), password: PASSWORD }, address).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });
});

describe("sign-up on a busy database", () => {
  it("waits for a connection as long as the pool does, when every one of them is busy for 3 seconds", async () => {
    // As on a first start under load: every connection taken, for longer than Prisma's own 2 s wait to start a
    // transaction and less than the pool's 5 s. The sign-up failed with a 500 (P2028); it must wait and succeed.
    const pool = getPool();
    const held = await Promise.all(Array.from({ length: pool.options.max }, () => pool.connect()));
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        for (const client of held) client.release();
        resolve();
      }, 3_000),
    );
    const email = newEmail();
    const started = performance.now();
    const result = await signUp({ email, password: PASSWORD });
    const waited = performance.now() - started;
    await released;
    expect(result.user.email).toBe(email);
    expect(waited).toBeGreaterThan(2_000);
    expect(await getPrisma().user.count({ where: { email } })).toBe(1);
  });
});
