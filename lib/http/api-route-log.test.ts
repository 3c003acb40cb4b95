import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { defineOperation } from "@/lib/api-contract/operation";
import { apiRoute } from "@/lib/http/api-route";

// An unexpected failure behind an API route: the caller gets problem+json with a request id and no detail of the
// failure, and the log gets one JSON line with the same request id, the operation and the error, with no secret.
const boom = defineOperation({
  id: "logTestBoom",
  method: "POST",
  path: "/api/v1/log-test",
  summary: "Fails on purpose",
  tag: "Test",
  auth: "public",
  body: z.object({ password: z.string() }),
  responses: { 200: { description: "Never." } },
});

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.PORTCULLIS_LOG_FORMAT;
});

describe("a failure behind an API route", () => {
  it("answers with a request id and logs one JSON line carrying the same id", async () => {
    process.env.PORTCULLIS_LOG_FORMAT = "json";
    const lines: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const route = apiRoute(boom, async ({ body }) => {
      throw Object.assign(new Error("relation \"widgets\" does not exist"), { code: "42P01", attempted: { password: body.password } });
    });
    const response = await route(
      new Request("http://localhost/api/v1/log-test", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer pcp_not_to_be_logged", origin: "http://localhost" },
        body: JSON.stringify({ password: "hunter2-secret" }),
      }),
      { params: Promise.resolve({}) },
    );
    expect(response.status).toBe(500);
    const problem = (await response.json()) as { requestId: string; detail: string };
    expect(problem.detail).toBe(`Something went wrong on our side. Quote request id ${problem.requestId} if you report it.`);
    expect(response.headers.get("x-request-id")).toBe(problem.requestId);

    const ours = lines.filter((l) => l.includes(problem.requestId));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.endsWith("\n")).toBe(true);
    const event = JSON.parse(ours[0]!) as Record<string, unknown>;
    expect(event).toMatchObject({
      level: "error",
      component: "api",
      msg: "request failed",
      operation: "logTestBoom",
      requestId: problem.requestId,
      error: { name: "Error", message: 'relation "widgets" does not exist', code: "42P01" },
    });
    expect(event.stack).toMatch(/^Error: relation "widgets" does not exist\n\s+at /);
    expect(lines.join("")).not.toContain("hunter2-secret");
    expect(lines.join("")).not.toContain("pcp_not_to_be_logged");
  });
});
