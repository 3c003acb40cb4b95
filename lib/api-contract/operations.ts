import { z } from "zod";
import { defineOperation } from "@/lib/api-contract/operation";
import * as s from "@/lib/api-contract/schemas";
import * as appr from "@/lib/api-contract/approval-schemas";
import * as cat from "@/lib/api-contract/catalog-schemas";
import * as audit from "@/lib/api-contract/audit-schemas";
import * as gr from "@/lib/api-contract/grant-schemas";
import * as pol from "@/lib/api-contract/policy-schemas";
import * as srv from "@/lib/api-contract/server-schemas";

// The management API, one entry per route. app/api/**/route.ts mounts each with apiRoute().

export const getHealth = defineOperation({
  id: "getHealth",
  method: "GET",
  path: "/api/health",
  summary: "Health of the app and its database",
  tag: "System",
  auth: "public",
  responses: {
    200: { description: "The app and its database are up.", schema: s.healthResponseSchema },
    503: { description: "The database cannot be reached.", schema: s.healthResponseSchema },
  },
});

export const getReadiness = defineOperation({
  id: "getReadiness",
  method: "GET",
  path: "/api/ready",
  summary: "Readiness: the database is reachable and every migration is applied",
  tag: "System",
  auth: "public",
  responses: {
    200: { description: "Ready to take traffic.", schema: s.readinessResponseSchema },
    503: { description: "The database cannot be reached, or migrations this build ships are not applied (named in `migrations.missing`).", schema: s.readinessResponseSchema },
  },
});

export const getOpenApi = defineOperation({
  id: "getOpenApi",
  method: "GET",
  path: "/api/v1/openapi.json",
  summary: "This document",
  tag: "System",
  auth: "public",
  responses: { 200: { description: "The OpenAPI 3.1 description of the management API." } },
});

export const signUp = defineOperation({
  id: "signUp",
  method: "POST",
  path: "/api/v1/signup",
  summary: "Create an account and its workspace",
  description:
    "Passwords need at least 8 characters (up to 128) and must not be a commonly used password. The answer is the same " +
    "whether or not the email already has an account, so it cannot tell anyone who has one: for such an email nothing " +
    "is created or changed, and the ids answered belong to no account. Sign in with the same email and password to " +
    "continue (`/api/auth/callback/credentials`); that works only with the account's own password. Each client network " +
    "(an IPv4 address, an IPv6 /64) may ask for 5 sign-ups an hour unless the operator set another limit.",
  tag: "Accounts",
  auth: "public",
  body: s.signUpBodySchema,
  responses: {
    201: { description: "The account and the workspace it owns, or the same answer for an email that already has one.", schema: s.signUpResponseSchema },
    429: { description: "Too many sign-ups from this network in the last hour; Retry-After says when to try again." },
  },
});

export const getMe = defineOperation({
  id: "getMe",
  method: "GET",
  path: "/api/v1/me",
  summary: "The signed-in user and their workspace",
  tag: "Accounts",
  auth: "caller",
  responses: { 200: { description: "Who is calling.", schema: s.meResponseSchema } },
});

export const signOutEverywhere = defineOperation({
  id: "signOutEverywhere",
  method: "DELETE",
  path: "/api/v1/sessions",
  summary: "Sign out everywhere",
  description:
    "Ends every signed-in session of your account, this one included, on every browser and device: their cookies are " +
    "refused from now on. Personal access tokens are not sessions and keep working; revoke them one by one.",
  tag: "Accounts",
  auth: "caller",
  responses: { 200: { description: "How many sessions were ended.", schema: s.signOutEverywhereResponseSchema } },
});

export const listTokens = defineOperation({
  id: "listTokens",
  method: "GET",
  path: "/api/v1/tokens",
  summary: "List your personal access tokens",
  tag: "Personal access tokens",
  auth: "caller",
  responses: {
    200: { description: "Your tokens, newest first, revoked ones included.", schema: z.object({ tokens: z.array(s.tokenSchema) }) },
  },
});

export const createToken = defineOperation({
  id: "createToken",
  method: "POST",
  path: "/api/v1/tokens",
  summary: "Create a personal access token",
  description: "The token is returned once, in this response. Only its SHA-256 digest is stored.",
  tag: "Personal access tokens",
  auth: "caller",
  body: s.createTokenBodySchema,
  responses: { 201: { description: "The new token, with its secret value.", schema: s.createdTokenSchema } },
});

export const revokeToken = defineOperation({
  id: "revokeToken",
  method: "DELETE",
  path: "/api/v1/tokens/{id}",
  summary: "Revoke a personal access token",
  description: "The token stops working at once. Revoking an already revoked token changes nothing.",
  tag: "Personal access tokens",
  auth: "caller",
  params: s.tokenIdParamsSchema,
  responses: { 200: { description: "The revoked token.", schema: s.tokenSchema } },
});

export const listServers = defineOperation({
  id: "listServers",
  method: "GET",
  path: "/api/v1/servers",
  summary: "List the workspace's MCP servers",
  tag: "Servers",
  auth: "caller",
  responses: { 200: { description: "The servers, by name, with tool counts by risk.", schema: z.object({ servers: z.array(srv.serverSchema) }) } },
});

export const createServer = defineOperation({
  id: "createServer",
  method: "POST",
  path: "/api/v1/servers",
  summary: "Register an MCP server",
  description:
    "Connects to the server (Streamable HTTP first, then legacy HTTP+SSE when `transport` is auto), lists every tool and " +
    "classifies it. Nothing is saved when the server cannot be reached or is not an MCP server: the problem's `code` " +
    "says why (upstream_unreachable, upstream_tls, upstream_unauthorized, upstream_not_mcp, upstream_timeout, " +
    "upstream_too_large, upstream_address_blocked).",
  tag: "Servers",
  auth: "caller",
  body: srv.createServerBodySchema,
  responses: {
    201: { description: "The registered server, its tools discovered.", schema: srv.serverSchema },
    409: { description: "A server with that name already exists in the workspace." },
  },
});

export const getServer = defineOperation({
  id: "getServer",
  method: "GET",
  path: "/api/v1/servers/{id}",
  summary: "Get a server",
  tag: "Servers",
  auth: "caller",
  params: srv.serverIdParamsSchema,
  responses: { 200: { description: "The server.", schema: srv.serverSchema } },
});

export const updateServer = defineOperation({
  id: "updateServer",
  method: "PATCH",
  path: "/api/v1/servers/{id}",
  summary: "Rename a server, change its credentials or its re-sync interval",
  tag: "Servers",
  auth: "caller",
  params: srv.serverIdParamsSchema,
  body: srv.updateServerBodySchema,
  responses: { 200: { description: "The updated server.", schema: srv.serverSchema }, 409: { description: "That name is taken." } },
});

export const deleteServer = defineOperation({
  id: "deleteServer",
  method: "DELETE",
  path: "/api/v1/servers/{id}",
  summary: "Remove a server and its tools",
  tag: "Servers",
  auth: "caller",
  params: srv.serverIdParamsSchema,
  responses: { 204: { description: "Removed." } },
});

export const syncServer = defineOperation({
  id: "syncServer",
  method: "POST",
  path: "/api/v1/servers/{id}/sync",
  summary: "Re-sync a server's tools now",
  description: "Added, changed and removed tools are recorded as changes; a changed tool needs review before the gateway will forward calls to it.",
  tag: "Servers",
  auth: "caller",
  params: srv.serverIdParamsSchema,
  responses: { 200: { description: "What the sync found, or why it failed (the server keeps its last known tools).", schema: srv.syncResultSchema } },
});

export const listServerTools = defineOperation({
  id: "listServerTools",
  method: "GET",
  path: "/api/v1/servers/{id}/tools",
  summary: "List a server's tools with their risk",
  tag: "Tools",
  auth: "caller",
  params: srv.serverIdParamsSchema,
  query: srv.listToolsQuerySchema,
  responses: { 200: { description: "The tools.", schema: z.object({ tools: z.array(srv.toolSummarySchema) }) } },
});

export const listServerChanges = defineOperation({
  id: "listServerChanges",
  method: "GET",
  path: "/api/v1/servers/{id}/changes",
  summary: "List the tool changes re-syncs found, and the levels a new classifier moved",
  tag: "Tools",
  auth: "caller",
  params: srv.serverIdParamsSchema,
  responses: { 200: { description: "Newest first.", schema: z.object({ changes: z.array(srv.toolChangeSchema) }) } },
});

export const getServerCatalogMatch = defineOperation({
  id: "getServerCatalogMatch",
  method: "GET",
  path: "/api/v1/servers/{id}/catalog-match",
  summary: "The catalog entry a server is, and how its live tools differ from the catalog's listing",
  description:
    "A server matches a catalog entry when they share a tool name and either report the same serverInfo name at " +
    "initialize or share more than half of each side's tool names; the best match is returned. Its tools are compared " +
    "with the catalog's: only in the catalog, only live, and changed (a definition that differs from the one listed, " +
    "which is a reason to look: models read descriptions as instructions).",
  tag: "Servers",
  auth: "caller",
  params: srv.serverIdParamsSchema,
  responses: { 200: { description: "The match, or null.", schema: cat.serverCatalogMatchSchema } },
});

export const getTool = defineOperation({
  id: "getTool",
  method: "GET",
  path: "/api/v1/tools/{id}",
  summary: "Get a tool: what it does, its arguments, its risk and the recommended rule",
  tag: "Tools",
  auth: "caller",
  params: srv.toolIdParamsSchema,
  responses: { 200: { description: "The tool.", schema: srv.toolDetailSchema } },
});

export const overrideTool = defineOperation({
  id: "overrideTool",
  method: "PATCH",
  path: "/api/v1/tools/{id}",
  summary: "Override a tool's risk level or category, with a note",
  tag: "Tools",
  auth: "caller",
  params: srv.toolIdParamsSchema,
  body: srv.overrideToolBodySchema,
  responses: { 200: { description: "The tool.", schema: srv.toolDetailSchema } },
});

export const acceptToolChange = defineOperation({
  id: "acceptToolChange",
  method: "POST",
  path: "/api/v1/tools/{id}/accept",
  summary: "Accept a changed tool's new definition",
  description: "Until then the tool needs review and the gateway refuses calls to it.",
  tag: "Tools",
  auth: "caller",
  params: srv.toolIdParamsSchema,
  responses: {
    200: { description: "The tool, active again.", schema: srv.toolDetailSchema },
    409: { description: "The tool has nothing to review, or changed again while it was being reviewed." },
  },
});

export const getPolicy = defineOperation({
  id: "getPolicy",
  method: "GET",
  path: "/api/v1/servers/{id}/policy",
  summary: "The server's active policy and its warnings",
  tag: "Policies",
  auth: "caller",
  params: srv.serverIdParamsSchema,
  responses: { 200: { description: "The active version (null before the first save).", schema: pol.policyStateSchema } },
});

export const listPolicyVersions = defineOperation({
  id: "listPolicyVersions",
  method: "GET",
  path: "/api/v1/servers/{id}/policy/versions",
  summary: "Every saved version of the server's policy, newest first",
  tag: "Policies",
  auth: "caller",
  params: srv.serverIdParamsSchema,
  responses: { 200: { description: "The versions.", schema: z.object({ versions: z.array(pol.policyVersionSummarySchema) }) } },
});

export const getPolicyVersion = defineOperation({
  id: "getPolicyVersion",
  method: "GET",
  path: "/api/v1/servers/{id}/policy/versions/{version}",
  summary: "One saved version of the server's policy",
  tag: "Policies",
  auth: "caller",
  params: pol.versionParamsSchema,
  responses: { 200: { description: "The version.", schema: pol.policyVersionSchema } },
});

export const savePolicyVersion = defineOperation({
  id: "savePolicyVersion",
  method: "POST",
  path: "/api/v1/servers/{id}/policy/versions",
  summary: "Save a new version of the server's policy",
  description:
    "The policy is validated (every error at its JSON Pointer, with line and column: code invalid_policy) and its " +
    "example calls are run (a failing example refuses the save: code policy_tests_failed). The new version becomes " +
    "the active one. To roll back, save an old version's text as a new version.",
  tag: "Policies",
  auth: "caller",
  params: srv.serverIdParamsSchema,
  body: pol.savePolicyBodySchema,
  responses: {
    201: { description: "The saved version, with warnings.", schema: pol.saveResultSchema },
    409: { description: "A newer version was saved since `basedOn`." },
  },
});

export const simulatePolicy = defineOperation({
  id: "simulatePolicy",
  method: "POST",
  path: "/api/v1/servers/{id}/policy/simulate",
  summary: "What the policy would decide for a call",
  tag: "Policies",
  auth: "caller",
  params: srv.serverIdParamsSchema,
  body: pol.simulateBodySchema,
  responses: {
    200: { description: "The decision, the rule that matched, the reason and the counters involved, with their usage.", schema: pol.simulateResultSchema },
    409: { description: "No text was sent and the server has no saved policy yet." },
    422: { description: "The policy text is not valid, or the grant is not an active grant of the workspace that reaches this server." },
  },
});

export const listGrants = defineOperation({
  id: "listGrants",
  method: "GET",
  path: "/api/v1/grants",
  summary: "List the workspace's grants (gateway keys)",
  description:
    "Each grant is a credential for one agent or client, for the servers it names: its key, used at a server's gateway URL (`/gateway/<server id>/mcp`) as `Authorization: Bearer pcg_...`, or the tokens of the OAuth clients a person allowed on the consent page (`oauthClients`).",
  tag: "Grants",
  auth: "caller",
  responses: { 200: { description: "Newest first, revoked ones included.", schema: z.object({ grants: z.array(gr.grantSchema) }) } },
});

export const createGrant = defineOperation({
  id: "createGrant",
  method: "POST",
  path: "/api/v1/grants",
  summary: "Create a grant: a gateway key for one agent or client",
  description: "The key is returned once, in this response. Only its SHA-256 digest is stored.",
  tag: "Grants",
  auth: "caller",
  body: gr.createGrantBodySchema,
  responses: { 201: { description: "The grant and its key.", schema: gr.createdGrantSchema } },
});

export const revokeGrant = defineOperation({
  id: "revokeGrant",
  method: "DELETE",
  path: "/api/v1/grants/{id}",
  summary: "Revoke a grant",
  description: "Its key, and its OAuth clients' access and refresh tokens, stop working on the next request, on every gateway instance.",
  tag: "Grants",
  auth: "caller",
  params: gr.grantIdParamsSchema,
  responses: { 200: { description: "The revoked grant.", schema: gr.grantSchema } },
});

export const listAuditEvents = defineOperation({
  id: "listAuditEvents",
  method: "GET",
  path: "/api/v1/audit-events",
  summary: "The audit trail: every request through the gateway and what Portcullis decided",
  description:
    "Newest first, in pages: pass a response's `nextCursor` as `cursor` for older calls. For live updates, pass the " +
    "`cursor` of the newest call you have as `after` to get only newer ones (with `nextCursor` set when more than " +
    "`limit` arrived: page down with it, keeping `after`, or start again without `after`). Filters combine; unknown " +
    "server or grant ids match nothing. Argument values are never recorded: only their names and a SHA-256 digest.",
  tag: "Audit",
  auth: "caller",
  query: audit.listAuditEventsQuerySchema,
  responses: { 200: { description: "One page of calls, newest first.", schema: audit.listAuditEventsResponseSchema } },
});

export const listApprovals = defineOperation({
  id: "listApprovals",
  method: "GET",
  path: "/api/v1/approvals",
  summary: "Calls held for a person's approval, and decided ones",
  description:
    "state=pending lists the calls waiting for a decision, the one waiting longest first, with their argument values " +
    "(shown to approvers only, never written to the audit trail); state=decided lists the rest, newest first.",
  tag: "Approvals",
  auth: "caller",
  query: appr.listApprovalsQuerySchema,
  responses: { 200: { description: "The approvals.", schema: appr.listApprovalsResponseSchema } },
});

export const getApproval = defineOperation({
  id: "getApproval",
  method: "GET",
  path: "/api/v1/approvals/{id}",
  summary: "One approval",
  tag: "Approvals",
  auth: "caller",
  params: appr.approvalIdParamsSchema,
  responses: { 200: { description: "The approval.", schema: appr.approvalSchema } },
});

export const decideApproval = defineOperation({
  id: "decideApproval",
  method: "POST",
  path: "/api/v1/approvals/{id}/decision",
  summary: "Approve or reject a held call",
  description:
    "Reaches the held call within a second on whichever gateway instance holds it. Approved: the call is forwarded " +
    "and its result returned (or, when its client stopped waiting, the same call made again goes through once). " +
    "Rejected: the agent gets an error result with the note. 409 when the approval is no longer pending.",
  tag: "Approvals",
  auth: "caller",
  params: appr.approvalIdParamsSchema,
  body: appr.decideApprovalBodySchema,
  responses: {
    200: { description: "The decided approval.", schema: appr.approvalSchema },
    409: { description: "Already decided, withdrawn by its client, or expired." },
  },
});

export const getApprovalWebhook = defineOperation({
  id: "getApprovalWebhook",
  method: "GET",
  path: "/api/v1/settings/approval-webhook",
  summary: "The workspace's approvals webhook",
  tag: "Approvals",
  auth: "caller",
  responses: { 200: { description: "Whether one is set, and its origin.", schema: appr.approvalWebhookSchema } },
});

export const setApprovalWebhook = defineOperation({
  id: "setApprovalWebhook",
  method: "PUT",
  path: "/api/v1/settings/approval-webhook",
  summary: "Set or remove the approvals webhook",
  description:
    "When a call is held, this URL gets a POST with a JSON message whose `text` field suits Slack incoming webhooks, " +
    "plus an `approval` object (tool, server, grant, rule, argument names; never values). Failed deliveries are " +
    "retried with backoff (1 s, 5 s, 30 s, 2 min); the gateway never waits for them. Send null to remove it.",
  tag: "Approvals",
  auth: "caller",
  body: appr.setApprovalWebhookBodySchema,
  responses: { 200: { description: "The webhook as now set.", schema: appr.approvalWebhookSchema } },
});

export const testApprovalWebhook = defineOperation({
  id: "testApprovalWebhook",
  method: "POST",
  path: "/api/v1/settings/approval-webhook/test",
  summary: "Send the approvals webhook a test message",
  description: "One attempt, now, through the same network checks as real messages; the answer says whether it was delivered.",
  tag: "Approvals",
  auth: "caller",
  responses: {
    200: { description: "Whether the webhook accepted the message.", schema: appr.approvalWebhookTestSchema },
    404: { description: "No webhook is set." },
  },
});

export const searchCatalog = defineOperation({
  id: "searchCatalog",
  method: "GET",
  path: "/api/v1/catalog/search",
  summary: "Search the catalog of public MCP servers and their tools",
  description:
    "No sign-in. Full-text search over names (weighted most), titles and descriptions, and argument names, with " +
    "misspelt words corrected to the closest catalog words (`corrections` says which). Filters take comma-separated " +
    "values and combine; `facets` counts, for each filter, what each value would give with the other filters. " +
    "Results come in pages: `page` numbers, or `cursor` (a response's `nextCursor`). Deleted servers are left out. " +
    "Descriptions are the servers' own untrusted text, returned as data.",
  tag: "Catalog",
  auth: "public",
  query: cat.catalogSearchQuerySchema,
  responses: {
    200: { description: "One page of tools or servers, the total, and the facet counts.", schema: cat.catalogSearchResponseSchema },
    503: { description: "The catalog is at its limit of concurrent reads (catalog_busy), or this read ran past its time limit (catalog_query_too_slow); Retry-After says when to try again." },
  },
});

export const getCatalogServer = defineOperation({
  id: "getCatalogServer",
  method: "GET",
  path: "/api/v1/catalog/servers/{name}",
  summary: "A catalog server, with each tool's risk",
  description:
    "No sign-in. The server in the MCP Registry's terms (packages, remotes, environment variables), how and when its " +
    "tools were listed (`listing`, null when not listed yet), what loading cleaned (`issues`), and every tool with its " +
    "level, category and the classifier's reasons, riskiest first. Encode the name's slash as %2F.",
  tag: "Catalog",
  auth: "public",
  params: cat.catalogServerParamsSchema,
  responses: {
    200: { description: "The server and its tools.", schema: cat.catalogServerSchema },
    404: { description: "No server of that name in the catalog." },
    503: { description: "The catalog is at its limit of concurrent reads (catalog_busy), or this read ran past its time limit (catalog_query_too_slow); Retry-After says when to try again." },
  },
});

export const getCatalogTool = defineOperation({
  id: "getCatalogTool",
  method: "GET",
  path: "/api/v1/catalog/servers/{name}/tools/{tool}",
  summary: "A catalog tool: its definition, risk, recommended policy and similar tools",
  description:
    "No sign-in. The definition as listed (untrusted text, returned as data), the level and category with the " +
    "classifier's reasons, the recommended rule and a whole policy holding it (valid policy language, ready to paste), " +
    "the server's other tools, and tools of other servers with the same or a close name.",
  tag: "Catalog",
  auth: "public",
  params: cat.catalogToolParamsSchema,
  responses: {
    200: { description: "The tool.", schema: cat.catalogToolSchema },
    404: { description: "No such server, or no such tool on it." },
    503: { description: "The catalog is at its limit of concurrent reads (catalog_busy), or this read ran past its time limit (catalog_query_too_slow); Retry-After says when to try again." },
  },
});

export const operations = [
  getHealth,
  getReadiness,
  getOpenApi,
  signUp,
  getMe,
  signOutEverywhere,
  listTokens,
  createToken,
  revokeToken,
  listServers,
  createServer,
  getServer,
  updateServer,
  deleteServer,
  syncServer,
  listServerTools,
  listServerChanges,
  getServerCatalogMatch,
  getTool,
  overrideTool,
  acceptToolChange,
  getPolicy,
  listPolicyVersions,
  getPolicyVersion,
  savePolicyVersion,
  simulatePolicy,
  listGrants,
  createGrant,
  revokeGrant,
  listAuditEvents,
  listApprovals,
  getApproval,
  decideApproval,
  getApprovalWebhook,
  setApprovalWebhook,
  testApprovalWebhook,
  searchCatalog,
  getCatalogServer,
  getCatalogTool,
];
