"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    if (!email.trim() || !password) {
      setError("Enter your email and your password.");
      return;
    }
    setPending(true);
    setError(null);
    try {
      const result = await signIn("credentials", { email, password, redirect: false });
      if (!result || result.error) {
        setError(result?.error && result.error !== "CredentialsSignin" ? result.error : "Sign-in failed. Try again.");
        // The button was disabled while waiting, which dropped the focus: put it back where the next try starts.
        const field = formElement.elements.namedItem("password");
        if (field instanceof HTMLInputElement) {
          requestAnimationFrame(() => {
            field.focus();
            field.select();
          });
        }
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    } catch {
      setError("Portcullis could not be reached. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <div>
      <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Welcome back. Your policies are where you left them.</p>
      <form onSubmit={onSubmit} className="mt-6 space-y-4" noValidate>
        {error && <Alert tone="error">{error}</Alert>}
        <Field label="Email" name="email" type="email" autoComplete="email" required autoFocus />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        <Button type="submit" className="w-full" loading={pending}>
          Sign in
        </Button>
      </form>
      <p className="mt-6 text-sm text-zinc-600 dark:text-zinc-400">
        New to Portcullis?{" "}
        <Link
          href={callbackUrl === "/servers" ? "/sign-up" : `/sign-up?${new URLSearchParams({ callbackUrl })}`}
          className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
        >
          Create an account
        </Link>
      </p>
    </div>
  );
}
