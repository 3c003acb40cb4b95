import { dictionary } from "@zxcvbn-ts/language-common";

// Sign-up password rules (NIST 800-63B / OWASP): length, not a commonly used password, not the email.
// Pure: no I/O beyond the bundled list of ~49k passwords from breach corpora (zxcvbn-ts).

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set((dictionary["passwords-common"] as string[]).map((p) => p.toLowerCase()));
  return common;
}

/** Returns a sentence saying what is wrong with the password, or null when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return `Use at least ${PASSWORD_MIN_LENGTH} characters (this one has ${length}).`;
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return `Use at most ${PASSWORD_MAX_LENGTH} characters (this one has ${length}).`;
  }
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) {
    return "This password appears in lists of commonly used passwords: choose one that is harder to guess.";
  }
  if (new Set(lower).size === 1) {
    return "A password made of one repeated character is too easy to guess: choose another.";
  }
  if (email) {
    const address = email.toLowerCase();
    const localPart = address.split("@")[0] ?? "";
    if (lower === address || (localPart.length >= 4 && lower === localPart)) {
      return "Do not use your email address as your password.";
    }
  }
  return null;
}
