import { describe, expect, it } from "vitest";
import { hasPhrase, lookUp, tokenizeName, tokenizeText, wordForms } from "@/lib/risk/tokenize";

describe("tokenizeName", () => {
  it.each([
    ["delete_file", ["delete", "file"]],
    ["attachRolePolicy", ["attach", "role", "policy"]],
    ["AttachRolePolicy", ["attach", "role", "policy"]],
    ["drop-collection", ["drop", "collection"]],
    ["iam.AttachRolePolicy", ["iam", "attach", "role", "policy"]],
    ["API-post-search", ["api", "post", "search"]],
    ["getHTTPStatus", ["get", "http", "status"]],
    ["listS3Buckets", ["list", "s", "3", "buckets"]],
    ["ec2_describe_instances", ["ec", "2", "describe", "instances"]],
    ["k8s/pods_list", ["k", "8", "s", "pods", "list"]],
    ["mcp__github__create_issue", ["mcp", "github", "create", "issue"]],
    ["  send email  ", ["send", "email"]],
    ["printEnv", ["print", "env"]],
    ["sequentialthinking", ["sequentialthinking"]],
    ["Ünïcode_Tool", ["ünïcode", "tool"]],
    ["", []],
    ["___", []],
  ])("splits %j", (name, words) => {
    expect(tokenizeName(name)).toEqual(words);
  });
});

describe("tokenizeText", () => {
  it("lowercases and splits prose on anything but letters and digits, keeping product names whole", () => {
    expect(tokenizeText("Runs a read-only SQL query on PostgreSQL (JavaScript-free).")).toEqual([
      "runs", "a", "read", "only", "sql", "query", "on", "postgresql", "javascript", "free",
    ]);
  });
});

describe("wordForms", () => {
  it.each([
    ["deletes", "delete"],
    ["searches", "search"],
    ["queries", "query"],
    ["roles", "role"],
    ["instances", "instance"],
    ["creating", "create"],
    ["running", "run"],
    ["building", "build"],
  ])("finds %j as an inflection of %j", (word, base) => {
    expect(wordForms(word)).toContain(base);
  });

  it("keeps the word itself first and leaves -ss words alone", () => {
    expect(wordForms("process")).toEqual(["process"]);
    expect(wordForms("list")[0]).toBe("list");
  });

  it("looks a word up by the first form the table knows", () => {
    const table = new Map([["delete", 1]]);
    expect(lookUp(table, "deletes")).toEqual({ entry: 1, form: "delete" });
    expect(lookUp(table, "deleted")).toBeUndefined();
  });
});

describe("hasPhrase", () => {
  it("matches consecutive words only", () => {
    const words = tokenizeText("This cannot be undone, so be careful");
    expect(hasPhrase(words, ["cannot", "be", "undone"])).toBe(true);
    expect(hasPhrase(words, ["cannot", "undone"])).toBe(false);
    expect(hasPhrase(words, [])).toBe(false);
  });
});
