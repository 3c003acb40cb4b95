"use client";

import { useState } from "react";
import { CreateTokenForm } from "@/components/tokens/create-token-form";
import { NewTokenNotice } from "@/components/tokens/new-token-notice";
import { TokenTable } from "@/components/tokens/token-table";
import { Card } from "@/components/ui/card";

export function TokenSection() {
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  return (
    <Card>
      <div className="border-b border-zinc-200 p-5 dark:border-zinc-800">
        <h2 className="text-lg font-semibold">Personal access tokens</h2>
        <p className="mt-1 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
          Tokens let scripts and CI use the management API as you, with{" "}
          <code className="rounded bg-zinc-100 px-1 py-0.5 text-xs dark:bg-zinc-800">Authorization: Bearer pcp_…</code>.
          The API is described at{" "}
          <a className="text-indigo-600 hover:underline dark:text-indigo-400" href="/api/v1/openapi.json">
            /api/v1/openapi.json
          </a>
          . A token is shown once, when you create it; Portcullis keeps only a hash.
        </p>
      </div>
      <div className="space-y-5 p-5">
        {created && <NewTokenNotice {...created} onDismiss={() => setCreated(null)} />}
        <CreateTokenForm onCreated={setCreated} />
        <TokenTable />
      </div>
    </Card>
  );
}
