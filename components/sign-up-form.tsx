"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { ApiProblem, apiFetch } from "@/lib/query-hooks/api-fetch";

type Errors = Partial<Record<"email" | "password" | "name" | "form", string>>;

/** `callbackUrl`: where the new account goes once signed in (a page that sent the visitor to sign in, such as an OAuth consent). */
export function SignUpForm({ callbackUrl = "/servers" }: { callbackUrl?: string } = {}) {
  const router = useRouter();
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const name = String(form.get("name") ?? "").trim();
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    const local: Errors = {};
    if (!email.trim()) local.email = "Enter your email address.";
    if (!password) local.password = "Choose a password of at least 8 characters.";
    if (Object.keys(local).length) {
      setErrors(local);
      return;
    }
    setPending(true);
    setErrors({});
    try {
      await apiFetch("/api/v1/signup", { method: "POST", body: { email, password, ...(name ? { name } : {}) } });
    } catch (error) {
      setPending(false);
      if (error instanceof ApiProblem) {
        const fields: Errors = {
          email: error.fieldError("email"),
          password: error.fieldError("password"),
          name: error.fieldError("name"),
        };
        const anyField = fields.email || fields.password || fields.name;
        setErrors(anyField ? fields : { form: error.message });
      } else {
        setErrors({ form: "Something went wrong. Try again." });
      }
      return;
    }
    // Sign in with the same credentials. The sign-up's answer is the same whether or not the email already had an
    // account, so this is where an existing account's owner is simply signed in, and anyone else gets the sign-in
    // page's own answer, which does not say whether the email has an account.
    const result = await signIn("credentials", { email, password, redirect: false }).catch(() => null);
    if (!result || result.error) {
      setPending(false);
      setErrors({
        form: !result
          ? "Portcullis could not be reached to sign you in. Check your connection and try again."
          : result.error && result.error !== "CredentialsSignin"
            ? result.error
            : "Signing in failed. Try again, or sign in from the sign-in page.",
      });
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
  }

  return (
    <div>
      <h1 className="text-2xl font-semibold tracking-tight">Create your account</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        A workspace is created for you. Register MCP servers in it, write policies, and give your agents a gateway URL.
      </p>
      <form onSubmit={onSubmit} className="mt-6 space-y-4" noValidate>
        {errors.form && <Alert tone="error">{errors.form}</Alert>}
        <Field label="Name" name="name" autoComplete="name" hint="Optional. Shown to your teammates." error={errors.name} />
        <Field label="Email" name="email" type="email" autoComplete="email" required error={errors.email} autoFocus />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 8 characters. Long passphrases are welcome (up to 128)."
          error={errors.password}
        />
        <Button type="submit" className="w-full" loading={pending}>
          Create account
        </Button>
      </form>
      <p className="mt-6 text-sm text-zinc-600 dark:text-zinc-400">
        Already have an account?{" "}
        <Link
          href={callbackUrl === "/servers" ? "/sign-in" : `/sign-in?${new URLSearchParams({ callbackUrl })}`}
          className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
        >
          Sign in
        </Link>
      </p>
    </div>
  );
}
