import { ANNOTATION_HINTS } from "@/components/tools/annotation-labels";
import { Badge } from "@/components/ui/badge";

/** The behaviour hints a server declares as true for a tool, as small chips; nothing when it declares none. */
export function AnnotationChips({ annotations }: { annotations: Record<string, unknown> | null }) {
  const declared = ANNOTATION_HINTS.filter((hint) => annotations?.[hint.key] === true);
  if (declared.length === 0) return <span className="text-xs text-zinc-400 dark:text-zinc-500">None declared</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Annotations">
      {declared.map((hint) => (
        <li key={hint.key}>
          <Badge tone={hint.key === "destructiveHint" ? "red" : "neutral"} title={`The server says ${hint.meaning}`}>
            {hint.label}
          </Badge>
        </li>
      ))}
    </ul>
  );
}
