"use client";

import { LoadError } from "@/components/load-error";
import { ArgumentsForm } from "@/components/policy/arguments-form";
import type { RunCall } from "@/components/policy/simulation";
import { toolArguments } from "@/components/policy/tool-arguments";
import { LoadingText } from "@/components/ui/loading-text";
import { useTool } from "@/lib/query-hooks/tools";

/** The arguments form of a stored tool, built from its input schema once the tool is loaded. */
export function ListedToolArguments({ toolId, onRun, pending }: { toolId: string; onRun: RunCall; pending: boolean }) {
  const tool = useTool(toolId);
  if (tool.isPending) return <LoadingText>Loading the tool’s arguments…</LoadingText>;
  if (tool.isError) return <LoadError title="The tool's arguments could not be loaded" error={tool.error} onRetry={() => void tool.refetch()} />;
  return <ArgumentsForm fields={toolArguments(tool.data.inputSchema)} onRun={onRun} pending={pending} />;
}
