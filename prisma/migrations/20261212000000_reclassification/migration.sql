-- Stored classifications are recomputed when the classifier changes, with a record of each level or category that
-- moved (docs/risk-levels.md, "When levels change").

-- 1. A registered server's tool remembers the classifier version that judged it. Rows from before this column were
-- judged by version 1. The default stays so an instance still running the previous release can go on adding tools
-- while a new one starts; what it adds is recomputed at the next start.
ALTER TABLE "tools" ADD COLUMN "classifier_version" INTEGER NOT NULL DEFAULT 1;
CREATE INDEX "tools_classifier_version_idx" ON "tools"("classifier_version");

-- 2. A catalog tool whose level or category a new classifier moved. Kept apart from catalog_tools, whose rows a
-- snapshot load replaces; each record names the definition it was made for, so a page shows it only while the tool
-- still lists that definition.
CREATE TABLE "catalog_tool_changes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "server_id" UUID NOT NULL,
    "tool_name" TEXT NOT NULL,
    "definition_sha256" TEXT NOT NULL,
    "before_level" TEXT NOT NULL,
    "before_category" TEXT NOT NULL,
    "before_classifier_version" INTEGER NOT NULL,
    "level" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "classifier_version" INTEGER NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "catalog_tool_changes_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "catalog_tool_changes_server_id_tool_name_changed_at_idx" ON "catalog_tool_changes"("server_id", "tool_name", "changed_at");
ALTER TABLE "catalog_tool_changes" ADD CONSTRAINT "catalog_tool_changes_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "catalog_servers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
