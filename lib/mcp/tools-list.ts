// tools/list as a grant sees it: only the tools the policy may let it call, each narrowed to the rule's constraints.
import type { CompiledPolicy } from "@/lib/policy/compile";
import { presentTool, type ToolListing } from "@/lib/policy/narrow-schema";
import { isPlainObject } from "@/lib/json/is-plain-object";

/** A tools/list result page: `tools` plus whatever else the server sent (`nextCursor`, `_meta`), passed through. */
export interface ToolsListPage {
  tools: ToolListing[];
  [key: string]: unknown;
}

function isToolListing(value: unknown): value is ToolListing {
  return isPlainObject(value) && typeof value.name === "string" && isPlainObject(value.inputSchema);
}

/**
 * Filters one page of an upstream tools/list result. A tool is kept when the policy may allow it (presentTool) and
 * `callable` says the gateway would forward a call to it: the gateway hides tools awaiting review (a changed
 * definition is not shown to the model before a person has read it) and tools it has not stored (never classified,
 * so a call would be refused as unknown). Entries
 * that are not tools (no string `name` or no object `inputSchema`) are dropped rather than passed through unchecked,
 * and a result without a `tools` array lists nothing. Each page is filtered on its own, so paging keeps working.
 */
export function filterToolsList(result: unknown, policy: CompiledPolicy, callable: (name: string) => boolean = () => true): ToolsListPage {
  const page = isPlainObject(result) ? result : {};
  const upstream = Array.isArray(page.tools) ? page.tools : [];
  const tools: ToolListing[] = [];
  for (const tool of upstream) {
    if (!isToolListing(tool) || !callable(tool.name)) continue;
    const shown = presentTool(policy, tool);
    if (shown) tools.push(shown);
  }
  return { ...page, tools };
}
