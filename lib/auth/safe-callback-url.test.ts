import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "@/lib/auth/safe-callback-url";

describe("safeCallbackUrl", () => {
  it.each([
    ["/settings", "/settings"],
    ["/servers?x=1", "/servers?x=1"],
    ["https://evil.example/", "/servers"],
    ["//evil.example/", "/servers"],
    ["/\\evil.example", "/servers"],
    ["/sign-in", "/servers"],
    ["/api/v1/tokens", "/servers"],
    [undefined, "/servers"],
    [["/a", "/b"], "/servers"],
  ])("%j -> %j", (input, expected) => {
    expect(safeCallbackUrl(input)).toBe(expected);
  });
});
