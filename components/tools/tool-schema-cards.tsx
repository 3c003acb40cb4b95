import { ArgumentTable } from "@/components/tools/argument-table";
import { ToolAnnotations } from "@/components/tools/tool-annotations";
import { TitledCard } from "@/components/ui/titled-card";

/** A tool's arguments and annotations as its server lists them: on a registered tool's page and a catalog tool's. */
export function ToolSchemaCards({ inputSchema, annotations }: { inputSchema: Record<string, unknown>; annotations: Record<string, unknown> | null }) {
  return (
    <>
      <TitledCard title="Arguments" description="What an agent supplies when it calls the tool, from its input schema.">
        <ArgumentTable inputSchema={inputSchema} />
      </TitledCard>

      <TitledCard title="Annotations" description="Hints the server declares about how the tool behaves.">
        <ToolAnnotations annotations={annotations} />
      </TitledCard>
    </>
  );
}
