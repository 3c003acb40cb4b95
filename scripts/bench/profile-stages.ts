// Reads a V8 CPU profile of the gateway process (node --cpu-prof) and says where its busy time went, by the stage
// that caused it: each sample is charged to the innermost gateway stage on its stack (lib/gateway/stages/*.ts), else
// to the part of the hop it belongs to (the client's HTTP, the upstream hop, the database), else to what is left
// (garbage collection, the event loop). Idle samples are left out. Socket writes and reads are charged to whoever
// called them, so a write of the answer counts for the client's HTTP and a query's write for the database.
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's file belongs; null when it says nothing (node internals, natives). */
function categoryOf(frame: ProfileNode["callFrame"]): string | null {
  const url = frame.url;
  const stage = /lib\/gateway\/stages\/([a-z-]+)\.ts/.exec(url);
  if (stage) return `stage: ${stage[1]}`;
  if (/lib\/gateway\/(admit|batcher|lookup|sessions|counter-store|audit)\.ts|node_modules\/(pg|pg-pool|pg-protocol)\//.test(url)) return "database (lookup, admit, outcomes)";
  if (/lib\/upstream\/|lib\/gateway\/relay\.ts|node_modules\/undici\//.test(url)) return "upstream hop (undici)";
  if (/lib\/gateway\/node-adapter\.ts|scripts\/server\.ts|node:_http_/.test(url)) return "client HTTP (node:http, request and answer)";
  if (/lib\/mcp\//.test(url)) return "MCP message code";
  if (/lib\/policy\//.test(url)) return "policy evaluation";
  if (/lib\/gateway\//.test(url)) return "gateway (handler, other)";
  if (frame.functionName === "(garbage collector)") return "garbage collection";
  return null;
}

/** Busy milliseconds per category, innermost stage first (see the file's comment). */
export function profileStages(file: string): { busyMs: number; categories: [string, number][] } {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const categoryOfNode = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = categoryOfNode.get(id);
    if (known !== undefined) return known;
    // The innermost stage on the stack wins; else the innermost frame that says anything.
    let stage: string | null = null;
    let first: string | null = null;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const category = categoryOf(byId.get(at)!.callFrame);
      if (category?.startsWith("stage: ")) {
        stage = category;
        break;
      }
      first ??= category;
    }
    const result = stage ?? first ?? "other (event loop, streams, timers)";
    categoryOfNode.set(id, result);
    return result;
  };
  const totals = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === "(idle)" || node.callFrame.functionName === "(program)") return;
    const micros = profile.timeDeltas[i] ?? 0;
    busy += micros;
    const category = resolve(id);
    totals.set(category, (totals.get(category) ?? 0) + micros);
  });
  return {
    busyMs: busy / 1000,
    categories: [...totals].map(([name, micros]): [string, number] => [name, micros / 1000]).sort((a, b) => b[1] - a[1]),
  };
}
