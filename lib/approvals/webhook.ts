// The optional approvals webhook: when a call is held, the workspace's webhook URL gets a JSON message with a
// Slack-compatible `text`. It is sent in the background (the held call never waits for it) through the same
// network guard as upstream servers, and retried with backoff when it fails. The message names the tool, server,
// grant and rule, and links to the Approvals page; argument values stay in Portcullis, shown to approvers only.
import { encryptionKey, publicUrl, upstreamNetworks } from "@/lib/env";
import { openCredential, sealCredential } from "@/lib/crypto/credential-box";
import type { Queryable } from "@/lib/db/queryable";
import type { UpstreamNetworks } from "@/lib/upstream/address-policy";
import { createGuardedFetch, type FetchLike } from "@/lib/upstream/guarded-fetch";
import { createLogger } from "@/lib/log/log";

/** What the sealed URL is bound to: a copied ciphertext fails to open in another workspace. */
const BOUND = (workspaceId: string) => ({ workspaceId, serverId: "approval-webhook" });

export function sealWebhookUrl(workspaceId: string, url: string): string {
  return sealCredential(encryptionKey(), url, BOUND(workspaceId));
}

export function openWebhookUrl(workspaceId: string, sealed: string): string {
  return openCredential(encryptionKey(), sealed, BOUND(workspaceId));
}

export interface HeldCallNotice {
  approvalId: string;
  workspaceId: string;
  serverId: string;
  grantId: string;
  tool: string;
  rule: string | null;
  reason: string | null;
  argumentNames: string[];
}

export interface ApprovalNotifier {
  /** Queues the message for the workspace's webhook, if it has one; returns at once. */
  held(notice: HeldCallNotice): void;
  /** Resolves when every queued message was delivered or given up on (tests, shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The guarded fetch webhooks go through: the same address checks as upstream servers (the operator's
 * PORTCULLIS_UPSTREAM_NETWORKS unless a test names other networks), small answers, quick connects.
 */
function webhookFetch(networks = upstreamNetworks()): ReturnType<typeof createGuardedFetch> {
  return createGuardedFetch({ networks, maxResponseBytes: 64 * 1024, connectTimeoutMs: 5_000 });
}

const CONNECTION_ERRORS: Record<string, string> = {
  ECONNREFUSED: "the connection was refused (nothing listens there).",
  ENOTFOUND: "its host name does not resolve.",
  ECONNRESET: "the connection was reset.",
};

/**
 * One POST of a JSON body to the webhook: its status, or why it could not be delivered, said without the URL (its
 * path often carries a secret; the network guard's own messages name the host only).
 */
async function postWebhook(fetchFn: FetchLike, url: string, body: string): Promise<{ status: number } | { problem: string; blocked?: true }> {
  try {
    const response = await fetchFn(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Portcullis approvals webhook" },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel().catch(() => {});
    return { status: response.status };
  } catch (error) {
    if ((error as Error).name === "TimeoutError") return { problem: "it did not answer within 10 seconds." };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    // The network guard's sentence already says which address was refused and which setting would allow it.
    if (cause?.code === "upstream_address_blocked") return { problem: cause.message ?? "its address is not allowed.", blocked: true };
    return { problem: CONNECTION_ERRORS[cause?.code ?? ""] ?? (cause?.message ?? (error as Error).message).replaceAll(url, "the webhook") };
  }
}

export interface WebhookTestResult {
  delivered: boolean;
  /** What happened, for a person: the status the webhook answered, or why it could not be reached. Never the URL. */
  detail: string;
}

/**
 * Sends one test message to the workspace's webhook now (no retries) and says how it went; null when none is set.
 * Goes through the same network guard as the real messages.
 */
export async function sendWebhookTest(
  db: Queryable,
  workspaceId: string,
  options: { fetch?: FetchLike; consoleUrl?: string; networks?: UpstreamNetworks } = {},
): Promise<WebhookTestResult | null> {
  const { rows } = await db.query<{ sealed: string | null; origin: string | null }>(
    `SELECT approval_webhook_ciphertext AS sealed, approval_webhook_origin AS origin FROM workspaces WHERE id = $1::uuid`,
    [workspaceId],
  );
  const sealed = rows[0]?.sealed;
  if (!sealed) return null;
  const origin = rows[0]?.origin ?? "the webhook";
  let url: string;
  try {
    url = openWebhookUrl(workspaceId, sealed);
  } catch {
    return { delivered: false, detail: "The stored webhook URL cannot be decrypted (the encryption key changed): enter it again." };
  }
  const consoleUrl = options.consoleUrl ?? publicUrl();
  const link = consoleUrl ? ` Held calls will link to ${consoleUrl.replace(/\/$/, "")}/approvals.` : "";
  const body = JSON.stringify({ text: `Portcullis test message: this webhook will be told when a call is held for approval.${link}`, test: true });
  const guarded = options.fetch ? null : webhookFetch(options.networks);
  try {
    const sent = await postWebhook(options.fetch ?? guarded!.fetch, url, body);
    if ("problem" in sent) return { delivered: false, detail: `The test message could not be delivered to ${origin}: ${sent.problem}` };
    return sent.status >= 200 && sent.status < 300
      ? { delivered: true, detail: `${origin} accepted the test message (HTTP ${sent.status}).` }
      : { delivered: false, detail: `${origin} answered HTTP ${sent.status}: check the URL, or that the webhook still exists.` };
  } finally {
    await guarded?.close();
  }
}

/** Delays before each retry: 1 s, 5 s, 30 s, 2 min, then it gives up. */
export const WEBHOOK_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000];

const DETAILS = `
SELECT w.approval_webhook_ciphertext AS sealed, s.name AS server_name, g.name AS grant_name
  FROM workspaces w
  LEFT JOIN mcp_servers s ON s.id = $2::uuid
  LEFT JOIN grants g ON g.id = $3::uuid
 WHERE w.id = $1::uuid`;

export function webhookMessage(notice: HeldCallNotice, names: { server: string; grant: string }, consoleUrl: string | undefined) {
  const link = consoleUrl ? `${consoleUrl.replace(/\/$/, "")}/approvals` : null;
  const rule = notice.rule ? ` (rule \`${notice.rule}\`)` : "";
  const text =
    `Portcullis is holding a call to \`${notice.tool}\` on ${names.server} from ${names.grant}${rule} until someone approves or rejects it.` +
    (link ? ` Review it: ${link}` : "");
  return {
    text,
    approval: {
      id: notice.approvalId,
      tool: notice.tool,
      server: { id: notice.serverId, name: names.server },
      grant: { id: notice.grantId, name: names.grant },
      rule: notice.rule,
      reason: notice.reason,
      argumentNames: notice.argumentNames,
      url: link,
    },
  };
}

export function createApprovalNotifier(
  db: Queryable,
  options: { fetch?: FetchLike; delaysMs?: readonly number[]; log?: (line: string) => void; consoleUrl?: string; networks?: UpstreamNetworks } = {},
): ApprovalNotifier {
  const delays = options.delaysMs ?? WEBHOOK_RETRY_DELAYS_MS;
  let guarded: ReturnType<typeof createGuardedFetch> | null = null;
  const fetchFn: FetchLike =
    options.fetch ??
    ((url, init) => {
      guarded ??= webhookFetch(options.networks);
      return guarded.fetch(url, init);
    });
  const inFlight = new Set<Promise<void>>();
  const timers = new Map<ReturnType<typeof setTimeout>, () => void>();
  let closed = false;
  const log = options.log ?? ((line: string) => createLogger("approvals").error(line));

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.set(timer, resolve);
    });

  async function deliver(notice: HeldCallNotice): Promise<void> {
    const { rows } = await db.query<{ sealed: string | null; server_name: string | null; grant_name: string | null }>(DETAILS, [
      notice.workspaceId,
      notice.serverId,
      notice.grantId,
    ]);
    const row = rows[0];
    if (!row?.sealed) return;
    let url: string;
    try {
      url = openWebhookUrl(notice.workspaceId, row.sealed);
    } catch {
      log(`approvals webhook of workspace ${notice.workspaceId} cannot be decrypted (the encryption key changed): enter it again in Settings`);
      return;
    }
    const body = JSON.stringify(webhookMessage(notice, { server: row.server_name ?? "a deleted server", grant: row.grant_name ?? "a deleted grant" }, options.consoleUrl ?? publicUrl()));
    for (let attempt = 0; ; attempt++) {
      if (closed) return;
      const sent = await postWebhook(fetchFn, url, body);
      if ("status" in sent && sent.status >= 200 && sent.status < 300) return;
      const problem = "problem" in sent ? sent.problem : `HTTP ${sent.status}`;
      // A client error other than a timeout or a rate limit will not change on a retry.
      if ("status" in sent && sent.status >= 400 && sent.status < 500 && sent.status !== 408 && sent.status !== 429) attempt = delays.length;
      // Neither will an address the operator's network setting refuses.
      if ("blocked" in sent) attempt = delays.length;
      if (attempt >= delays.length) {
        // The URL is a secret (Slack's carry a token): the log names the workspace and the approval, never the URL.
        log(`approvals webhook of workspace ${notice.workspaceId} failed for approval ${notice.approvalId} (${problem}); giving up`);
        return;
      }
      await sleep(delays[attempt]!);
    }
  }

  return {
    held(notice) {
      if (closed) return;
      const job = deliver(notice)
        .catch((error: Error) => log(`approvals webhook for approval ${notice.approvalId} not sent: ${error.message}`))
        .finally(() => inFlight.delete(job));
      inFlight.add(job);
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    async close() {
      closed = true;
      // A retry waiting for its turn ends now (the loop sees `closed`).
      for (const [timer, resolve] of timers) {
        clearTimeout(timer);
        resolve();
      }
      timers.clear();
      await guarded?.close();
    },
  };
}
