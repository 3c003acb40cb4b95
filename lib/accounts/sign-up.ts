import { admitSignUp } from "@/lib/accounts/admit-sign-up";
import { getPrisma } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password-hash";
import { passwordProblem } from "@/lib/auth/password-policy";
import { ApiError } from "@/lib/http/api-error";
import { normalizeEmail } from "@/lib/accounts/normalize-email";
import { Prisma } from "@/lib/generated/prisma/client";

export interface SignUpInput {
  email: string;
  password: string;
  name?: string;
}

export interface SignUpResult {
  user: { id: string; email: string; name: string | null; createdAt: Date };
  workspace: { id: string; name: string };
}

/**
 * Thrown when the email already has an account. The API never says so (see lib/accounts/answer-sign-up.ts): it would
 * tell anyone which emails have accounts.
 */
export class EmailTakenError extends Error {
  constructor() {
    super("That email already has an account.");
    this.name = "EmailTakenError";
  }
}

/**
 * Creates a user and the workspace they own, in one transaction. With a client address, the sign-up is first
 * counted against that network's hourly limit (after the cheap password check, before the costly hash).
 */
export async function signUp(input: SignUpInput, options: { clientAddress?: string } = {}): Promise<SignUpResult> {
  const email = normalizeEmail(input.email);
  const problem = passwordProblem(input.password, email);
  if (problem) throw new ApiError(422, "weak_password", problem, [{ path: "body.password", message: problem }]);
  if (options.clientAddress !== undefined) await admitSignUp(options.clientAddress);

  const name = input.name?.trim() || null;
  const passwordHash = await hashPassword(input.password);
  const prisma = getPrisma();
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email, name, passwordHash } });
      const workspace = await tx.workspace.create({ data: { name: workspaceName(email, name) } });
      await tx.membership.create({ data: { userId: user.id, workspaceId: workspace.id, role: "owner" } });
      return {
        user: { id: user.id, email: user.email, name: user.name, createdAt: user.createdAt },
        workspace: { id: workspace.id, name: workspace.name },
      };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new EmailTakenError();
    throw error;
  }
}

export function workspaceName(email: string, name: string | null): string {
  return name ? `${name}'s workspace` : `${email.split("@")[0]}'s workspace`;
}
