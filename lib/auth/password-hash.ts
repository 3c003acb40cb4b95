import { hash, verify } from "@node-rs/argon2";

// argon2id with OWASP's recommended minimum: 19 MiB of memory, 2 iterations, 1 degree of parallelism.
// (`algorithm: 2` is Argon2id; the package exports it as a const enum, which isolated modules cannot read.)
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against this when the account does not exist keeps the response time the same, so timing does
// not reveal which emails have accounts.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword("portcullis-timing-equaliser");
  return dummyHash;
}
