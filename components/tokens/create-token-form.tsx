"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { ApiProblem } from "@/lib/query-hooks/api-fetch";
import { useCreateToken } from "@/lib/query-hooks/tokens";

const EXPIRY_OPTIONS = [
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "never", label: "Never" },
] as const;

export function CreateTokenForm({ onCreated }: { onCreated: (created: { name: string; token: string }) => void }) {
  const create = useCreateToken();
  const [nameError, setNameError] = useState<string>();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const name = String(form.get("name") ?? "").trim();
    const expiry = String(form.get("expiry") ?? "90");
    if (!name) {
      setNameError("Give the token a name, such as the script or machine that will use it.");
      return;
    }
    setNameError(undefined);
    create.mutate(
      { name, expiresInDays: expiry === "never" ? null : Number(expiry) },
      {
        onSuccess: (token) => {
          formElement.reset();
          onCreated({ name: token.name, token: token.token });
        },
        onError: (error) => {
          if (error instanceof ApiProblem && error.fieldError("name")) setNameError(error.fieldError("name"));
        },
      },
    );
  }

  const formError = create.error && !(create.error instanceof ApiProblem && create.error.fieldError("name")) ? create.error.message : null;

  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate aria-label="Create a token">
      {formError && <Alert tone="error">{formError}</Alert>}
      <div className="flex flex-wrap items-end gap-3">
        <Field
          label="Token name"
          name="name"
          placeholder="e.g. CI pipeline"
          maxLength={100}
          error={nameError}
          className="min-w-56 flex-1"
        />
        <div className="space-y-1.5">
          <label htmlFor="token-expiry" className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
            Expires
          </label>
          <select
            id="token-expiry"
            name="expiry"
            defaultValue="90"
            className="block h-10 rounded-md border border-zinc-300 bg-white px-3 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          >
            {EXPIRY_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" loading={create.isPending} className={nameError ? "mb-7" : ""}>
          Create token
        </Button>
      </div>
    </form>
  );
}
