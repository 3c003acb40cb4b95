"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { RelativeTime } from "@/components/relative-time";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { apiFetch } from "@/lib/query-hooks/api-fetch";
import type { ConsentView } from "@/lib/oauth/consents";

type Decision = "approve" | "deny";

/**
 * What the client gets, and the answer. The answer goes to POST /authorize/consent with the page's consent id and
 * CSRF token; the browser then follows the address it returns (the client's redirect URI) with a plain navigation,
 * which the pages' `form-action 'self'` policy would not let a form's redirect do.
 */
export function ConsentForm({
  consentId,
  csrfToken,
  serverName,
  newGrantName,
  grants,
}: {
  consentId: string;
  csrfToken: string;
  serverName: string;
  newGrantName: string;
  grants: ConsentView["grants"];
}) {
  const [grant, setGrant] = useState("new");
  const [pending, setPending] = useState<Decision | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function answer(decision: Decision) {
    setPending(decision);
    setError(null);
    try {
      const { redirectTo } = await apiFetch<{ redirectTo: string }>("/authorize/consent", {
        method: "POST",
        body: { consent: consentId, csrfToken, decision, grant },
      });
      // Stays pending: the page is being left.
      window.location.assign(redirectTo);
    } catch (failure) {
      setError((failure as Error).message);
      setPending(null);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void answer("approve");
  }

  return (
    <form onSubmit={onSubmit}>
      <div className="space-y-3 border-b border-zinc-200 px-6 py-5 dark:border-zinc-800">
        <h2 id="consent-grant-heading" className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
          What the client gets
        </h2>
        <div role="radiogroup" aria-labelledby="consent-grant-heading" className="space-y-2">
          <GrantOption value="new" checked={grant === "new"} onChange={setGrant} title={`A new grant, “${newGrantName}”`}>
            Reaches {serverName} only, under the server&apos;s current policy.
          </GrantOption>
          {grants.map((g) => (
            <GrantOption key={g.id} value={g.id} checked={grant === g.id} onChange={setGrant} title={`Existing grant “${g.name}”`}>
              {g.oauthClientName ? `Made for ${g.oauthClientName}. ` : ""}
              {g.serverCount === 1
                ? `Reaches ${serverName} only.`
                : `Reaches ${g.serverCount} servers; the client's tokens reach ${serverName} only.`}{" "}
              {g.lastUsedAt ? (
                <>
                  Last used <RelativeTime value={g.lastUsedAt} />.
                </>
              ) : (
                "Never used."
              )}
            </GrantOption>
          ))}
        </div>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          The client gets an access token for this server&apos;s gateway URL only, renewed while you keep the grant. Limits, approvals and
          Activity apply to it as to the grant&apos;s key.
        </p>
      </div>
      {error && (
        <div className="px-6 pt-4">
          <Alert tone="error">{error}</Alert>
        </div>
      )}
      <div className="flex flex-wrap justify-end gap-3 bg-zinc-50 px-6 py-4 dark:bg-zinc-950/40">
        <Button variant="secondary" onClick={() => void answer("deny")} loading={pending === "deny"} disabled={pending !== null}>
          Deny
        </Button>
        <Button type="submit" loading={pending === "approve"} disabled={pending !== null}>
          Allow access
        </Button>
      </div>
    </form>
  );
}

function GrantOption({
  value,
  checked,
  onChange,
  title,
  children,
}: {
  value: string;
  checked: boolean;
  onChange: (value: string) => void;
  title: string;
  children: ReactNode;
}) {
  return (
    <label
      className={`flex cursor-pointer items-start gap-3 rounded-md border px-4 py-3 text-sm transition-colors ${
        checked ? "border-indigo-500 bg-indigo-50/60 dark:border-indigo-400 dark:bg-indigo-950/40" : "border-zinc-200 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-800/50"
      }`}
    >
      <input type="radio" name="grant" value={value} checked={checked} onChange={() => onChange(value)} className="mt-0.5 accent-indigo-600" />
      <span className="min-w-0">
        <span className="block font-medium break-words text-zinc-900 dark:text-zinc-100">{title}</span>
        <span className="mt-0.5 block text-zinc-600 dark:text-zinc-400">{children}</span>
      </span>
    </label>
  );
}
