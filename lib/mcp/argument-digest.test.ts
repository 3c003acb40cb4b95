import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { argumentDigest } from "@/lib/mcp/argument-digest";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe("argumentDigest", () => {
  it.each<[string, Record<string, unknown> | undefined, string[], string]>([
    ["no arguments", undefined, [], "{}"],
    ["empty arguments", {}, [], "{}"],
    ["one argument", { id: 7 }, ["id"], '{"id":7}'],
    ["names sorted, keys canonical", { to: ["a@x"], amount: 5, body: { z: 1, a: 2 } }, ["amount", "body", "to"], '{"amount":5,"body":{"a":2,"z":1},"to":["a@x"]}'],
    ["code-unit order, upper case first", { b: 1, B: 2, a: 3 }, ["B", "a", "b"], '{"B":2,"a":3,"b":1}'],
    ["unicode values", { name: "Zoë 😀" }, ["name"], '{"name":"Zoë 😀"}'],
  ])("%s", (_why, args, names, canonical) => {
    expect(argumentDigest(args)).toEqual({ names, sha256: sha256(canonical) });
  });

  it("is a 64-character hex SHA-256", () => {
    expect(argumentDigest({ a: 1 }).sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("never contains a value", () => {
    const secret = "sk_live_do_not_log_me";
    expect(JSON.stringify(argumentDigest({ api_key: secret, nested: { token: secret } }))).not.toContain(secret);
  });

  it("tells different values apart", () => {
    expect(argumentDigest({ amount: 5 }).sha256).not.toBe(argumentDigest({ amount: 50 }).sha256);
    expect(argumentDigest({ amount: 5 }).sha256).not.toBe(argumentDigest({ amount: "5" }).sha256);
  });

  it("does not depend on key order at any depth (property)", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 6 }), (args) => {
        const reversed = Object.fromEntries(Object.entries(args).reverse());
        expect(argumentDigest(reversed)).toEqual(argumentDigest(args));
        expect(argumentDigest(JSON.parse(JSON.stringify(args)) as Record<string, unknown>)).toEqual(argumentDigest(args));
      }),
      { numRuns: 300 },
    );
  });
});
