"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { ApiProblem, apiFetch } from "@/lib/queries/api-fetch";

type Errors = Partial<Record<"email" | "password" | "name" | "form", string>>;

export function SignUpForm() {
  const router = useRouter();
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
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
    // The account exists; sign in with the same credentials.
    const result = await signIn("credentials", { email, password, redirect: false }).catch(() => null);
    if (!result || result.error) {
      router.replace("/sign-in?welcome=1");
      return;
    }
    router.replace("/servers");
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
        <Link href="/sign-in" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Sign in
        </Link>
      </p>
    </div>
  );
}
