import { describe, expect, it } from "vitest";
import { PASSWORD_MAX_LENGTH, passwordProblem } from "@/lib/auth/password-policy";

describe("passwordProblem", () => {
  it.each([
    ["short", "Use at least 8 characters (this one has 5)."],
    ["1234567", "Use at least 8 characters (this one has 7)."],
    ["password", "This password appears in lists of commonly used passwords: choose one that is harder to guess."],
    ["Password1", "This password appears in lists of commonly used passwords: choose one that is harder to guess."],
    ["12345678", "This password appears in lists of commonly used passwords: choose one that is harder to guess."],
    ["qwertyuiop", "This password appears in lists of commonly used passwords: choose one that is harder to guess."],
    ["zzzzzzzzzzzz", "A password made of one repeated character is too easy to guess: choose another."],
    ["x".repeat(PASSWORD_MAX_LENGTH + 1), `Use at most ${PASSWORD_MAX_LENGTH} characters (this one has ${PASSWORD_MAX_LENGTH + 1}).`],
  ])("refuses %j", (password, message) => {
    expect(passwordProblem(password)).toBe(message);
  });

  it.each(["correct horse battery staple", "Tr0ub4dor&3-gatehouse", "8chars!Q", "é".repeat(4) + "ßüñ✓"])("accepts %j", (password) => {
    expect(passwordProblem(password)).toBeNull();
  });

  it("allows at least 64 characters (NIST), up to 128", () => {
    expect(passwordProblem("a1b2c3d4".repeat(8))).toBeNull();
    expect(passwordProblem("a1b2c3d4".repeat(16))).toBeNull();
  });

  it("counts characters, not bytes", () => {
    expect(passwordProblem("日本語のパスワ")).toMatch(/at least 8 characters \(this one has 7\)/);
  });

  it("refuses the email address or its local part", () => {
    expect(passwordProblem("ada.lovelace@example.com", "ada.lovelace@example.com")).toBe("Do not use your email address as your password.");
    expect(passwordProblem("ADA.LOVELACE", "ada.lovelace@example.com")).toBe("Do not use your email address as your password.");
    expect(passwordProblem("ada.lovelace!", "ada.lovelace@example.com")).toBeNull();
  });
});
