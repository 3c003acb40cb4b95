import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/http/api-error";
import { readJsonBody } from "@/lib/http/read-json-body";

const post = (body: string | ReadableStream, headers: Record<string, string> = { "content-type": "application/json" }) =>
  new Request("http://localhost/api", { method: "POST", body, headers, duplex: "half" } as RequestInit);

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected a failure");
}

describe("readJsonBody", () => {
  it("parses JSON, including the +json media types", async () => {
    expect(await readJsonBody(post('{"a":1}'))).toEqual({ a: 1 });
    expect(await readJsonBody(post("[1]", { "content-type": "application/merge-patch+json; charset=utf-8" }))).toEqual([1]);
  });

  it.each([
    [{ "content-type": "text/plain" }, 415, "unsupported_media_type"],
    [{ "content-type": "application/x-www-form-urlencoded" }, 415, "unsupported_media_type"],
    [{}, 415, "unsupported_media_type"],
  ])("refuses %j", async (headers, status, code) => {
    const error = await failure(readJsonBody(post('{"a":1}', headers)));
    expect([error.status, error.code]).toEqual([status, code]);
  });

  it("explains malformed JSON and empty bodies", async () => {
    const malformed = await failure(readJsonBody(post('{"a":')));
    expect(malformed.status).toBe(400);
    expect(malformed.message).toMatch(/^The body is not valid JSON: /);
    const empty = await failure(readJsonBody(post("  ")));
    expect([empty.status, empty.code]).toEqual([400, "empty_body"]);
  });

  it("stops reading a body that grows past the limit, even without Content-Length", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024).fill(32));
        if (pulled > 1000) controller.close();
      },
    });
    const error = await failure(readJsonBody(post(stream), 4096));
    expect([error.status, error.code]).toEqual([413, "body_too_large"]);
    expect(pulled).toBeLessThan(10);
  });
});

describe("readJsonBody and text PostgreSQL cannot store", () => {
  it.each([
    ['{"message":"a\\u0000b"}', "body.message"],
    ['{"name":"x\\ud800"}', "body.name"],
    ['{"headers":[{"name":"ok","value":"\\udfff"}]}', "body.headers[0].value"],
    ['{"a\\u0000":1}', 'body["a\\u0000"]'],
  ])("refuses %s with 422 at its place", async (text, path) => {
    const error = await failure(readJsonBody(post(text)));
    expect([error.status, error.code]).toEqual([422, "unstorable_text"]);
    expect(error.errors[0]?.path).toBe(path);
    expect(error.message).toContain(path);
  });
});
