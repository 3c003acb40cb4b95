"use client";

import { useState, type FormEvent } from "react";
import { LoadError } from "@/components/load-error";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { LoadingText } from "@/components/ui/loading-text";
import { ApiProblem } from "@/lib/query-hooks/api-fetch";
import { useApprovalWebhook, useSetApprovalWebhook, useTestApprovalWebhook } from "@/lib/query-hooks/approvals";

const code = "rounded bg-zinc-100 px-1 py-0.5 text-xs dark:bg-zinc-800";

/** Settings: the URL told about each call held for approval (a Slack incoming webhook, or anything taking JSON). */
export function ApprovalWebhookSection() {
  const webhook = useApprovalWebhook();
  const save = useSetApprovalWebhook();
  const test = useTestApprovalWebhook();
  const [url, setUrl] = useState("");
  const [urlError, setUrlError] = useState<string>();
  const [saved, setSaved] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    test.reset();
    const value = url.trim();
    if (!value) {
      setUrlError("Enter the webhook URL, such as https://hooks.slack.com/services/…");
      return;
    }
    setUrlError(undefined);
    save.mutate(value, {
      onSuccess: (result) => {
        // The URL may carry a secret: it is not kept in the page either.
        setUrl("");
        setSaved(`Saved. Each call held for approval is now posted to ${result.origin}.`);
      },
      onError: (error) => setUrlError(error instanceof ApiProblem ? error.fieldError("url") : undefined),
    });
  }

  function remove() {
    setSaved(null);
    test.reset();
    setUrlError(undefined);
    save.mutate(null, {
      onSuccess: () => {
        setRemoving(false);
        setSaved("Removed. Held calls now only appear on the Approvals page.");
      },
      onError: () => setRemoving(false),
    });
  }

  const formError = save.error && !urlError ? save.error.message : null;
  const configured = webhook.data?.configured ?? false;

  return (
    <Card className="mt-8">
      <div className="border-b border-zinc-200 p-5 dark:border-zinc-800">
        <h2 className="text-lg font-semibold">Approvals webhook</h2>
        <p className="mt-1 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
          When a call is held for approval, Portcullis sends this URL a JSON POST with a Slack-compatible{" "}
          <code className={code}>text</code> and the tool, server, grant and rule, never the argument values. A failed
          delivery is retried with backoff (after 1 s, 5 s, 30 s and 2 min); calls are held either way.
        </p>
      </div>
      <div className="space-y-4 p-5">
        {webhook.isPending ? (
          <LoadingText>Loading the webhook…</LoadingText>
        ) : webhook.isError ? (
          <LoadError title="The webhook could not be loaded" error={webhook.error} onRetry={() => void webhook.refetch()} />
        ) : (
          <>
            <div className="flex flex-wrap items-center justify-between gap-3" data-testid="webhook-state">
              {configured ? (
                <p className="flex flex-wrap items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
                  <Badge tone="green" dot>
                    Set
                  </Badge>
                  <span>
                    Held calls are posted to <span className="font-mono text-xs font-medium text-zinc-900 dark:text-zinc-100">{webhook.data.origin}</span>.
                    The full URL is not shown again: it may contain a secret.
                  </span>
                </p>
              ) : (
                <p className="flex flex-wrap items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
                  <Badge>Not set</Badge>
                  <span>Held calls only appear on the Approvals page and in the navigation.</span>
                </p>
              )}
              {configured && (
                <div className="flex gap-2">
                  <Button
                    variant="secondary"
                    size="sm"
                    onClick={() => {
                      setSaved(null);
                      test.mutate();
                    }}
                    loading={test.isPending}
                    disabled={test.isPending || save.isPending}
                  >
                    Send a test message
                  </Button>
                  <Button variant="danger" size="sm" onClick={() => setRemoving(true)} disabled={save.isPending}>
                    Remove
                  </Button>
                </div>
              )}
            </div>
            {saved && <Alert tone="success">{saved}</Alert>}
            {test.data && <Alert tone={test.data.delivered ? "success" : "error"}>{test.data.detail}</Alert>}
            {test.error && <Alert tone="error">The test message could not be sent: {test.error.message}</Alert>}
            {formError && !removing && <Alert tone="error">{formError}</Alert>}
            <form onSubmit={onSubmit} noValidate aria-label="Approvals webhook" className="flex flex-wrap items-start gap-3">
              <Field
                label={configured ? "New webhook URL" : "Webhook URL"}
                type="url"
                name="url"
                value={url}
                onChange={(event) => setUrl(event.target.value)}
                placeholder="https://hooks.slack.com/services/…"
                autoComplete="off"
                spellCheck={false}
                maxLength={2000}
                error={urlError}
                hint={configured ? "Saving replaces the current webhook." : "Slack: create an incoming webhook for a channel and paste its URL here."}
                className="min-w-64 flex-1"
              />
              {/* Lined up with the input, below its label. */}
              <Button type="submit" loading={save.isPending && !removing} disabled={save.isPending} className="mt-7">
                Save
              </Button>
            </form>
          </>
        )}
      </div>
      <ConfirmDialog
        open={removing}
        title="Remove the approvals webhook?"
        confirmLabel="Remove webhook"
        pending={save.isPending}
        onCancel={() => setRemoving(false)}
        onConfirm={remove}
      >
        <p>
          Held calls stop being posted to {webhook.data?.origin ?? "it"}. To set it again you will need its full URL, which Portcullis does not
          show.
        </p>
      </ConfirmDialog>
    </Card>
  );
}
