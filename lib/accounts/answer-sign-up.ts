import { randomUUID } from "node:crypto";
import { EmailTakenError, signUp, workspaceName, type SignUpInput, type SignUpResult } from "@/lib/accounts/sign-up";
import { normalizeEmail } from "@/lib/accounts/normalize-email";

/**
 * The API's answer to a sign-up: the same for an email that already has an account as for a new one (status, shape,
 * and time, since both pay for the password hash), so sign-up cannot be used to learn who has an account. For a
 * taken email nothing is created and the ids are of no account; the console then signs in with the password given,
 * which works only for the account's owner.
 */
export async function answerSignUp(input: SignUpInput, clientAddress: string): Promise<SignUpResult> {
  try {
    return await signUp(input, { clientAddress });
  } catch (error) {
    if (!(error instanceof EmailTakenError)) throw error;
    const email = normalizeEmail(input.email);
    const name = input.name?.trim() || null;
    return {
      user: { id: randomUUID(), email, name, createdAt: new Date() },
      workspace: { id: randomUUID(), name: workspaceName(email, name) },
    };
  }
}
