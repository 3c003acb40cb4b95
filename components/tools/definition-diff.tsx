import { DiffView } from "@/components/diff-view";
import { jsonDiff } from "@/lib/diff/line-diff";

/** The before and after of a tool definition as a line diff of pretty-printed JSON, long unchanged runs folded. */
export function DefinitionDiff({ before, after, label = "Definition changes" }: { before: unknown; after: unknown; label?: string }) {
  return <DiffView diff={jsonDiff(before, after)} label={label} />;
}
