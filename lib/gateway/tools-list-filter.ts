// The tools/list filter applied to every answer stream the gateway passes back (POST, GET, early streams, held
// calls): a client sees only the tools a call could reach.
import type { JsonRpcId, JsonRpcResponse } from "@/lib/mcp/json-rpc";
import { isPlainObject } from "@/lib/json/is-plain-object";
import { filterToolsList } from "@/lib/mcp/tools-list";
import type { GatewayServer } from "@/lib/gateway/types";

/**
 * Filters every tools/list result the upstream sends, on any stream and whatever request it names: a client matches
 * answers to its requests by id, so an upstream could answer the client's tools/list on another request's stream
 * (or replay it on a resumed GET stream). A result is taken for one when it answers a tools/list of this request
 * (`listIds`) or carries a `tools` array.
 */
export function toolsListFilter(server: GatewayServer, listIds?: ReadonlySet<JsonRpcId>): (message: unknown) => unknown {
  if (listIds === undefined || listIds.size === 0) return serverFilter(server);
  return makeFilter(server, listIds);
}

// A server object holds one policy and one tool list (a new one is made when either changes: lookup.ts), so its
// filter for streams that answer no tools/list of the request is made once per object, not on every call.
const serverFilters = new WeakMap<GatewayServer, (message: unknown) => unknown>();
const NO_LIST_IDS: ReadonlySet<JsonRpcId> = new Set();

function serverFilter(server: GatewayServer): (message: unknown) => unknown {
  let filter = serverFilters.get(server);
  if (filter === undefined) {
    filter = makeFilter(server, NO_LIST_IDS);
    serverFilters.set(server, filter);
  }
  return filter;
}

function makeFilter(server: GatewayServer, listIds: ReadonlySet<JsonRpcId>): (message: unknown) => unknown {
  // Listed only when a call would be forwarded: stored (classified) and not awaiting review.
  const callable = (name: string) => {
    const status = server.tools.get(name);
    return status !== undefined && status !== "needs_review";
  };
  return (message) => {
    if (!isPlainObject(message)) return message;
    const m = message as { id?: JsonRpcId; result?: unknown };
    if (m.id === undefined || !("result" in m)) return message;
    const listsTools = typeof m.result === "object" && m.result !== null && Array.isArray((m.result as { tools?: unknown }).tools);
    return listIds.has(m.id) || listsTools ? { ...m, result: filterToolsList(m.result, server.policy, callable) } : message;
  };
}

/** The edit for a stream the client did not ask with a tools/list (GET streams): only the filter. */
export function streamFilter(server: GatewayServer): AnswerEdit {
  return { rewrite: toolsListFilter(server), rewrites: false, local: [], batch: false, requestIds: [] };
}

/** How an answer is edited on its way back (pass-through.ts). */
export interface AnswerEdit {
  /** Applied to every JSON-RPC message of the answer. */
  rewrite: (message: unknown) => unknown;
  /** The request asked for a tools/list: a JSON answer is always parsed. */
  rewrites: boolean;
  /** The gateway's own answers to this request's other messages, merged into the upstream's. */
  local: JsonRpcResponse[];
  batch: boolean;
  /** The ids of the requests forwarded, each still owed an answer if the stream breaks. */
  requestIds: JsonRpcId[];
}
