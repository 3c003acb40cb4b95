"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { ApiProblem } from "@/lib/query-hooks/api-fetch";
import { useCreateGrant, type CreatedGrant } from "@/lib/query-hooks/grants";
import type { ServerView } from "@/lib/query-hooks/servers";

interface Errors {
  name?: string;
  servers?: string;
  form?: string;
}

/** Turns the API's problem into messages at the fields they are about; the API is the one source of the rules. */
function errorsFrom(error: Error): Errors {
  if (!(error instanceof ApiProblem)) return { form: error.message };
  const name = error.fieldError("name");
  const servers = error.fieldError("serverIds") ?? error.problem.errors?.find((e) => e.path.startsWith("body.serverIds"))?.message;
  if (name || servers) return { name, servers };
  return { form: error.message };
}

/**
 * Creates a grant: a name and the servers its key may reach, picked with checkboxes. The key comes back once,
 * through onCreated; the form empties itself for the next one.
 */
export function CreateGrantForm({
  servers,
  initialServerIds = [],
  onCreated,
  onCancel,
  autoFocus = false,
}: {
  servers: readonly ServerView[];
  initialServerIds?: readonly string[];
  onCreated: (created: CreatedGrant) => void;
  onCancel?: () => void;
  autoFocus?: boolean;
}) {
  const create = useCreateGrant();
  const formRef = useRef<HTMLFormElement>(null);
  const ids = useId();
  const [name, setName] = useState("");
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set(initialServerIds));
  const [errors, setErrors] = useState<Errors>({});

  // Send keyboard and screen-reader users to what needs fixing.
  useEffect(() => {
    if (errors.form) formRef.current?.querySelector('[role="alert"]')?.scrollIntoView({ block: "nearest" });
    else if (errors.name) formRef.current?.querySelector<HTMLElement>('input[name="name"]')?.focus();
    else if (errors.servers) formRef.current?.querySelector<HTMLElement>('input[name="serverIds"]')?.focus();
  }, [errors]);

  function toggle(id: string, checked: boolean) {
    setSelected((current) => {
      const next = new Set(current);
      if (checked) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setErrors({});
    create.mutate(
      { name, serverIds: servers.filter((s) => selected.has(s.id)).map((s) => s.id) },
      {
        onSuccess: (created) => {
          setName("");
          setSelected(new Set(initialServerIds));
          onCreated(created);
        },
        onError: (error) => setErrors(errorsFrom(error)),
      },
    );
  }

  const serversErrorId = `${ids}-servers-error`;
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label="Create a grant" className="space-y-5">
      {errors.form && (
        <Alert tone="error" title="The grant could not be created">
          {errors.form}
        </Alert>
      )}
      <Field
        label="Grant name"
        name="name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        placeholder="e.g. Claude Code on Ana's laptop"
        hint="The agent or client that will use the key, so you know which key to revoke."
        maxLength={100}
        autoComplete="off"
        error={errors.name}
        className="max-w-xl"
        autoFocus={autoFocus}
      />
      <fieldset aria-describedby={errors.servers ? serversErrorId : undefined} className="space-y-2">
        <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Servers it may reach</legend>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          The key works on these servers&apos; gateway URLs only, and each server&apos;s policy still decides which tools it may call.
        </p>
        <div className="grid max-h-80 gap-2 overflow-y-auto p-0.5 sm:grid-cols-2">
          {servers.map((server) => {
            const checked = selected.has(server.id);
            return (
              <label
                key={server.id}
                className={`flex cursor-pointer gap-3 rounded-md border p-3 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-0 has-[:focus-visible]:outline-indigo-500 ${
                  checked
                    ? "border-indigo-500 bg-indigo-50 dark:border-indigo-400 dark:bg-indigo-950/50"
                    : errors.servers
                      ? "border-red-400 hover:bg-zinc-50 dark:border-red-700 dark:hover:bg-zinc-800/50"
                      : "border-zinc-300 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800/50"
                }`}
              >
                <input
                  type="checkbox"
                  name="serverIds"
                  value={server.id}
                  checked={checked}
                  onChange={(event) => toggle(server.id, event.target.checked)}
                  className="mt-0.5 accent-indigo-600 focus-visible:outline-none"
                />
                <span className="min-w-0">
                  <span className="block font-medium break-words">{server.name}</span>
                  <span className="block truncate font-mono text-xs text-zinc-500 dark:text-zinc-400" title={server.url}>
                    {server.url}
                  </span>
                </span>
              </label>
            );
          })}
        </div>
        {errors.servers && (
          <p id={serversErrorId} className="text-sm text-red-600 dark:text-red-400">
            {errors.servers}
          </p>
        )}
      </fieldset>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" loading={create.isPending}>
          Create grant
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel} disabled={create.isPending}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
