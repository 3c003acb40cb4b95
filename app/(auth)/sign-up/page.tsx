import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/sign-up-form";
import { currentCaller } from "@/lib/auth/current-caller";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage() {
  if (await currentCaller()) redirect("/servers");
  return <SignUpForm />;
}
