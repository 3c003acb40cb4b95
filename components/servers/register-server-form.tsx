"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { policyDraftHref } from "@/components/catalog/catalog-href";
import { HeaderRowsEditor, type HeaderRow } from "@/components/servers/header-rows-editor";
import { TRANSPORT_OPTIONS } from "@/components/servers/transport-labels";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import { Spinner } from "@/components/ui/spinner";
import { ApiProblem } from "@/lib/query-hooks/api-fetch";
import { useCreateServer, type CreateServerInput, type ServerView } from "@/lib/query-hooks/servers";

type CredentialType = "none" | "bearer" | "headers";
type Transport = ServerView["transport"];

interface Errors {
  name?: string;
  url?: string;
  transport?: string;
  token?: string;
  headers?: string;
  credentials?: string;
  /** A failure that is not about one field: shown at the top of the form. */
  form?: { title: string; detail: string };
}

const CREDENTIAL_CHOICES: { value: CredentialType; label: string; hint: string }[] = [
  { value: "none", label: "None", hint: "The server is open, or trusts the network it runs on." },
  { value: "bearer", label: "Bearer token", hint: "Sent in the Authorization header." },
  { value: "headers", label: "Custom headers", hint: "Such as X-Api-Key, for servers with their own scheme." },
];

/**
 * `initial` prefills the fields (from a catalog entry); with `catalog`, a server registered from a catalog tool's
 * "Use this policy" goes on to its policy editor with that tool's rule in the draft, instead of to its page.
 */
export function RegisterServerForm({
  initial,
  catalog,
}: {
  initial?: { name: string; url: string };
  catalog?: { server: string; tool: string | null };
} = {}) {
  const router = useRouter();
  const create = useCreateServer();
  const formRef = useRef<HTMLFormElement>(null);
  const [name, setName] = useState(initial?.name ?? "");
  const [url, setUrl] = useState(initial?.url ?? "");
  const [transport, setTransport] = useState<Transport>("auto");
  const [credentialType, setCredentialType] = useState<CredentialType>("none");
  const [token, setToken] = useState("");
  const [headers, setHeaders] = useState<HeaderRow[]>([{ key: 1, name: "", value: "" }]);
  const [errors, setErrors] = useState<Errors>({});
  const [slow, setSlow] = useState(false);
  // The mutation stays pending while the next page loads, so the form is not re-enabled in between.
  const pending = create.isPending || create.isSuccess;

  useEffect(() => {
    if (!create.isPending) return;
    const timer = setTimeout(() => setSlow(true), 5000);
    return () => clearTimeout(timer);
  }, [create.isPending]);

  // Send keyboard and screen-reader users to what needs fixing: the first invalid field, or the form's alert.
  useEffect(() => {
    if (errors.form) formRef.current?.querySelector('[role="alert"]')?.scrollIntoView({ block: "nearest", behavior: "smooth" });
    else formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const local: Errors = {};
    if (!name.trim()) local.name = "Give the server a name, such as github or payments.";
    if (!url.trim()) local.url = "Enter the server's URL, such as https://mcp.example.com/mcp.";
    let credentials: CreateServerInput["credentials"] = null;
    if (credentialType === "bearer") {
      if (!token.trim()) local.token = "Enter the token the server expects.";
      credentials = { type: "bearer", token };
    }
    let rows = headers;
    if (credentialType === "headers") {
      const seen = new Set<string>();
      rows = headers.map((row) => {
        const headerName = row.name.trim();
        if (!headerName && row.value) return { ...row, error: "Give this header a name, or remove the row." };
        if (headerName && seen.has(headerName.toLowerCase())) return { ...row, error: `${headerName} is already set above.` };
        seen.add(headerName.toLowerCase());
        return { ...row, error: undefined };
      });
      const filled = rows.filter((row) => row.name.trim());
      if (filled.length === 0) local.headers = "Add at least one header, or choose None.";
      credentials = { type: "headers", headers: Object.fromEntries(filled.map((row) => [row.name.trim(), row.value])) };
    }
    setHeaders(rows);
    if (Object.keys(local).length > 0 || rows.some((row) => row.error)) {
      setErrors(local);
      return;
    }
    setErrors({});
    setSlow(false);
    create.mutate(
      { name: name.trim(), url: url.trim(), transport, credentials },
      {
        onSuccess: (server) => router.push(catalog?.tool ? policyDraftHref(server.id, catalog.server, catalog.tool) : `/servers/${server.id}`),
        onError: (error) => showProblem(error),
      },
    );
  }

  function showProblem(error: Error) {
    if (!(error instanceof ApiProblem)) {
      setErrors({ form: { title: "The server could not be registered", detail: error.message } });
      return;
    }
    const { code, status, detail } = error.problem;
    if (code.startsWith("upstream_")) {
      setErrors({ form: { title: "Portcullis could not list this server's tools. Nothing was saved.", detail } });
      return;
    }
    if (status === 409) {
      setErrors({ name: detail });
      return;
    }
    const next: Errors = {};
    const unplaced: string[] = [];
    const rowErrors = new Map<string, string>();
    for (const { path, message } of error.problem.errors ?? []) {
      const field = path.replace(/^body\.?/, "");
      if (field === "name" || field === "url" || field === "transport") next[field] ??= message;
      else if (field === "credentials.token") next.token ??= message;
      else if (field.startsWith("credentials.headers.")) rowErrors.set(field.slice("credentials.headers.".length).toLowerCase(), message);
      else if (field === "credentials.headers") next.headers ??= message;
      else if (field.startsWith("credentials")) next.credentials ??= message;
      else unplaced.push(message);
    }
    if (rowErrors.size > 0) {
      setHeaders((rows) => rows.map((row) => ({ ...row, error: rowErrors.get(row.name.trim().toLowerCase()) })));
      // A message for a header we cannot match to a row still has to be seen.
      const matched = headers.filter((row) => rowErrors.has(row.name.trim().toLowerCase())).length;
      if (matched < rowErrors.size) next.headers ??= [...rowErrors.values()][0];
    }
    if (unplaced.length > 0 || Object.keys(next).length + rowErrors.size === 0) {
      next.form = { title: "The server could not be registered", detail: unplaced.length ? unplaced.join(" ") : detail };
    }
    setErrors(next);
  }

  return (
    <Card className="max-w-3xl">
      <form ref={formRef} onSubmit={onSubmit} noValidate aria-label="Register a server">
        <fieldset disabled={pending} className="space-y-6 p-6">
          {errors.form && (
            <Alert tone="error" title={errors.form.title}>
              {errors.form.detail}
            </Alert>
          )}
          <Field
            label="Name"
            name="name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="e.g. github"
            hint="How this server appears in the console and in policies."
            maxLength={80}
            autoComplete="off"
            error={errors.name}
            className="max-w-md"
            autoFocus
          />
          <Field
            label="URL"
            name="url"
            type="url"
            inputMode="url"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            placeholder="https://mcp.example.com/mcp"
            hint="The server's MCP endpoint: the same URL you would give an MCP client."
            autoComplete="off"
            spellCheck={false}
            error={errors.url}
          />
          <SelectField
            label="Transport"
            name="transport"
            value={transport}
            onChange={(event) => setTransport(event.target.value as Transport)}
            options={TRANSPORT_OPTIONS}
            hint="Most servers speak Streamable HTTP; older ones use HTTP with server-sent events."
            error={errors.transport}
            className="max-w-md"
          />
          <fieldset className="space-y-3">
            <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Credentials</legend>
            <p className="text-xs text-zinc-500 dark:text-zinc-400">
              What Portcullis sends to the server on every connection. Stored encrypted, and never shown again after you save.
            </p>
            <div className="grid gap-2 sm:grid-cols-3">
              {CREDENTIAL_CHOICES.map((choice) => (
                <label
                  key={choice.value}
                  className={`flex cursor-pointer gap-3 rounded-md border p-3 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-500 ${
                    credentialType === choice.value
                      ? "border-indigo-500 bg-indigo-50 dark:border-indigo-400 dark:bg-indigo-950/50"
                      : "border-zinc-300 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800/50"
                  }`}
                >
                  <input
                    type="radio"
                    name="credentialType"
                    value={choice.value}
                    checked={credentialType === choice.value}
                    onChange={() => setCredentialType(choice.value)}
                    className="mt-0.5 accent-indigo-600 focus-visible:outline-none"
                  />
                  <span>
                    <span className="block font-medium">{choice.label}</span>
                    <span className="block text-xs text-zinc-500 dark:text-zinc-400">{choice.hint}</span>
                  </span>
                </label>
              ))}
            </div>
            {errors.credentials && <p className="text-sm text-red-600 dark:text-red-400">{errors.credentials}</p>}
            {credentialType === "bearer" && (
              <Field
                label="Token"
                name="token"
                type="password"
                value={token}
                onChange={(event) => setToken(event.target.value)}
                autoComplete="off"
                spellCheck={false}
                error={errors.token}
                className="max-w-xl"
              />
            )}
            {credentialType === "headers" && <HeaderRowsEditor rows={headers} onChange={setHeaders} error={errors.headers} disabled={pending} />}
          </fieldset>
        </fieldset>
        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-zinc-200 px-6 py-4 dark:border-zinc-800">
          <div role="status" aria-live="polite" className="text-sm text-zinc-600 dark:text-zinc-400">
            {pending && (
              <span className="flex items-center gap-2">
                <Spinner className="h-4 w-4" />
                <span>
                  Connecting to the server and listing its tools…
                  {slow && <span className="block text-xs">Slow servers can take up to half a minute.</span>}
                </span>
              </span>
            )}
          </div>
          <div className="flex gap-2">
            <Link
              href="/servers"
              aria-disabled={pending || undefined}
              className={`inline-flex h-10 items-center rounded-md px-4 text-sm font-medium text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800 ${pending ? "pointer-events-none opacity-50" : ""}`}
            >
              Cancel
            </Link>
            <Button type="submit" loading={pending}>
              Register server
            </Button>
          </div>
        </div>
      </form>
    </Card>
  );
}
