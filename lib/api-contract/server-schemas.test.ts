import { describe, expect, it } from "vitest";
import { credentialsInputSchema } from "@/lib/api-contract/server-schemas";
import { validationError } from "@/lib/http/api-route";

// Credentials as the API reads them from a JSON body: every header given is kept, or the body is refused with a
// reason the console shows beside the header's row (errors at credentials.headers.<name>).

const parse = (json: string) => credentialsInputSchema.safeParse(JSON.parse(json));
const errorsOf = (json: string) => {
  const parsed = parse(json);
  if (parsed.success) throw new Error(`expected ${json} to be refused`);
  const refusal = validationError("body", parsed.error);
  expect(refusal.status).toBe(422);
  return refusal.errors;
};

describe("header credentials", () => {
  it("keeps every header given", () => {
    const parsed = parse('{"type":"headers","headers":{"x-api-key":"k","X-Team":"t"}}');
    expect(parsed.success && parsed.data).toEqual({ type: "headers", headers: { "x-api-key": "k", "X-Team": "t" } });
  });

  it("refuses a header named __proto__ instead of dropping it", () => {
    for (const json of ['{"type":"headers","headers":{"__proto__":"x","x-api-key":"k"}}', '{"type":"headers","headers":{"__proto__":"x"}}']) {
      expect(errorsOf(json)).toEqual([{ path: "body.headers.__proto__", message: "A header cannot be named __proto__." }]);
    }
  });

  it("says why a header name is refused, at that header", () => {
    expect(errorsOf('{"type":"headers","headers":{"Mcp-Session-Id":"x","bad name":"y"}}')).toEqual([
      { path: "body.headers.Mcp-Session-Id", message: "Portcullis sets this header itself; choose another." },
      { path: "body.headers.bad name", message: "A header name uses letters, digits and - only." },
    ]);
    expect(errorsOf('{"type":"headers","headers":{"x-a":"a\\r\\nb"}}')).toEqual([
      { path: "body.headers.x-a", message: "A header value cannot contain line breaks." },
    ]);
  });
});
