import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/sign-up-form";
import { currentCaller } from "@/lib/auth/current-caller";
import { safeCallbackUrl } from "@/lib/auth/safe-callback-url";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  if (await currentCaller()) redirect(callbackUrl);
  return <SignUpForm callbackUrl={callbackUrl} />;
}
