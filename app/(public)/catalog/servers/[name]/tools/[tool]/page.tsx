import type { Metadata } from "next";
import Link from "next/link";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { catalogServerHref, catalogToolHref, decodeSegment } from "@/components/catalog/catalog-href";
import { breadcrumbJsonLd, faqJsonLd, pageOrigin } from "@/components/catalog/catalog-json-ld";
import { ClampedText } from "@/components/catalog/clamped-text";
import { JsonLd } from "@/components/catalog/json-ld";
import { loadCatalogTool } from "@/components/catalog/load-catalog";
import { UseThisPolicy } from "@/components/catalog/use-this-policy";
import { HowLevelsWorkLink } from "@/components/how-levels-work-link";
import { RiskBadge } from "@/components/risk-badge";
import { RecommendedRule } from "@/components/tools/recommended-rule";
import { ToolSchemaCards } from "@/components/tools/tool-schema-cards";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { TitledCard } from "@/components/ui/titled-card";
import { currentCaller } from "@/lib/auth/current-caller";
import { toolQuestions } from "@/lib/catalog/tool-questions";
import { RISK_CATEGORY_DESCRIPTIONS, RISK_CATEGORY_LABELS, RISK_LEVEL_LABELS } from "@/lib/risk/labels";

type Params = Promise<{ name: string; tool: string }>;

async function load(params: Params) {
  const { name, tool } = await params;
  return loadCatalogTool(decodeSegment(name), decodeSegment(tool));
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const tool = await load(params);
  const server = tool.server.title ?? tool.server.name;
  return {
    title: `${tool.name} (${server}): ${RISK_LEVEL_LABELS[tool.level]} risk, and the policy to put in front of it`,
    description: `${tool.name} on the ${server} MCP server is ${RISK_LEVEL_LABELS[tool.level]} risk (${RISK_CATEGORY_LABELS[tool.category]}). Why, and a ready policy rule to control it.`,
  };
}

const WHY: Record<string, string> = {
  critical: "An agent that calls it unchecked can do lasting harm. Put it behind a person's approval, or deny it.",
  high: "An agent that calls it can change or reach things beyond a simple lookup. Hold it for approval or cap how often it runs.",
  medium: "It is not harmless: read the reasons, and add a limit or an argument constraint where they matter to you.",
  low: "Its risk is low, but a policy still decides that it may be called, and how often.",
};

export default async function CatalogToolPage({ params }: { params: Params }) {
  const [tool, caller, origin] = await Promise.all([load(params), currentCaller(), pageOrigin()]);
  const server = tool.server;
  const serverLabel = server.title ?? server.name;
  const link = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";
  const questions = toolQuestions(tool);
  const crumbs = [
    { href: "/catalog", label: "Catalog" },
    { href: catalogServerHref(server.name), label: serverLabel },
    { href: catalogToolHref(server.name, tool.name), label: tool.name },
  ];
  return (
    <div className="space-y-6">
      <JsonLd data={breadcrumbJsonLd(origin, crumbs)} />
      <JsonLd data={faqJsonLd(questions)} />
      <div>
        <Breadcrumbs items={[...crumbs.slice(0, -1), { label: tool.name }]} />
        <h1 className="font-mono text-2xl font-semibold tracking-tight break-all">{tool.name}</h1>
        {tool.title && <p className="mt-1 text-lg break-words text-zinc-700 dark:text-zinc-300">{tool.title}</p>}
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <RiskBadge level={tool.level} />
          <Badge>{RISK_CATEGORY_LABELS[tool.category]}</Badge>
          <span className="text-sm text-zinc-500 dark:text-zinc-400">
            on{" "}
            <Link href={catalogServerHref(server.name)} className="font-medium text-zinc-700 hover:underline dark:text-zinc-300">
              {serverLabel}
            </Link>
          </span>
          <HowLevelsWorkLink className="ml-1" />
        </div>
        {tool.reclassification && <ReclassifiedLine reclassification={tool.reclassification} />}
      </div>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0 space-y-6">
          <TitledCard
            title="Why it needs a policy"
            description={`${RISK_LEVEL_LABELS[tool.level]} risk, ${RISK_CATEGORY_LABELS[tool.category]}: ${RISK_CATEGORY_DESCRIPTIONS[tool.category]}`}
          >
            <p className="mb-3 text-sm">{WHY[tool.level]}</p>
            <p className="mb-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">The classifier&rsquo;s reasons</p>
            <ul className="space-y-2 text-sm" aria-label="Reasons">
              {tool.reasons.map((reason, index) => (
                <li key={index} className="flex gap-2">
                  <span aria-hidden="true" className="mt-2 h-1.5 w-1.5 shrink-0 rounded-full bg-zinc-400 dark:bg-zinc-500" />
                  <span className="break-words">{reason.charAt(0).toUpperCase() + reason.slice(1)}</span>
                </li>
              ))}
            </ul>
          </TitledCard>

          <TitledCard title="Recommended policy" description="Use it on your server, paste it as a server's policy in the console's JSON editor, or merge the rule into yours.">
            <RecommendedRule toolId="catalog" rule={tool.recommendation.rule} policy={tool.recommendation.policy} level={tool.level} />
            <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-zinc-700 dark:text-zinc-300" aria-label="What the policy does">
              {tool.recommendation.explanation.map((line, i) => (
                <li key={i}>{line}</li>
              ))}
            </ul>
            <UseThisPolicy server={server.name} serverLabel={serverLabel} tool={tool.name} signedIn={caller !== null} />
          </TitledCard>

          <TitledCard title="What the server says it does" description="The tool's own description, as the server lists it.">
            <p className="mb-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-200">
              Written by the server&rsquo;s authors, not by Portcullis. Models read this text as instructions, so a changed or odd description is a reason to look closely.
            </p>
            {tool.description ? (
              <div data-testid="tool-description">
                <ClampedText text={tool.description} />
              </div>
            ) : (
              <p className="text-sm text-zinc-600 italic dark:text-zinc-400">The server gives no description, so agents pick this tool from its name and arguments alone.</p>
            )}
            {tool.issues.length > 0 && (
              <div className="mt-3">
                <Alert title="Noticed when it was loaded">
                  <ul className="list-disc pl-5">
                    {tool.issues.map((issue, i) => (
                      <li key={i}>
                        <span className="font-mono text-xs">{issue.path}</span>: {issue.reason}
                      </li>
                    ))}
                  </ul>
                </Alert>
              </div>
            )}
          </TitledCard>

          <ToolSchemaCards inputSchema={tool.inputSchema} annotations={tool.annotations} />

          <TitledCard title="Questions" description="Answered from this tool's listing, its classification and its server's entry.">
            <dl className="space-y-4 text-sm" data-testid="tool-questions">
              {questions.map(({ question, answer }) => (
                <div key={question}>
                  <dt className="font-semibold break-words">{withCode(question)}</dt>
                  <dd className="mt-1 break-words text-zinc-700 dark:text-zinc-300">{withCode(answer)}</dd>
                </div>
              ))}
            </dl>
          </TitledCard>
        </div>

        <aside className="space-y-6" aria-label="Related tools">
          <TitledCard title={`Other tools of ${serverLabel}`}>
            {tool.otherTools.length === 0 ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">It has no other tools.</p>
            ) : (
              <ul className="max-h-[28rem] space-y-1.5 overflow-y-auto text-sm">
                {tool.otherTools.map((other) => (
                  <li key={other.name} className="flex items-center justify-between gap-2">
                    <Link href={catalogToolHref(server.name, other.name)} className="min-w-0 truncate font-mono hover:underline">
                      {other.name}
                    </Link>
                    <RiskBadge level={other.level} />
                  </li>
                ))}
              </ul>
            )}
          </TitledCard>
          <TitledCard title="Similar tools on other servers">
            {tool.similarTools.length === 0 ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">No other server has a tool with this name or a close one.</p>
            ) : (
              <ul className="space-y-2 text-sm">
                {tool.similarTools.map((similar) => (
                  <li key={`${similar.server.name}/${similar.name}`} className="flex items-start justify-between gap-2">
                    <span className="min-w-0">
                      <Link href={catalogToolHref(similar.server.name, similar.name)} className="block truncate font-mono hover:underline">
                        {similar.name}
                      </Link>
                      <span className="block truncate text-xs text-zinc-500 dark:text-zinc-400">{similar.server.title ?? similar.server.name}</span>
                    </span>
                    <RiskBadge level={similar.level} />
                  </li>
                ))}
              </ul>
            )}
          </TitledCard>
          <p className="text-sm">
            <Link href={catalogServerHref(server.name)} className={link}>
              All about {serverLabel} and how to register it →
            </Link>
          </p>
        </aside>
      </div>
    </div>
  );
}

type Reclassification = NonNullable<Awaited<ReturnType<typeof loadCatalogTool>>["reclassification"]>;

/** "Level changed: High → Medium (classifier 2026.12)": what a newer classifier moved in this tool's risk. */
function ReclassifiedLine({ reclassification: { before, after, classifierRelease, changedAt } }: { reclassification: Reclassification }) {
  const moves: string[] = [];
  if (before.level !== after.level) moves.push(`Level changed: ${RISK_LEVEL_LABELS[before.level]} → ${RISK_LEVEL_LABELS[after.level]}`);
  if (before.category !== after.category) {
    moves.push(`${moves.length ? "category" : "Category"} changed: ${RISK_CATEGORY_LABELS[before.category]} → ${RISK_CATEGORY_LABELS[after.category]}`);
  }
  return (
    <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400" data-testid="reclassification">
      {moves.join("; ")} (classifier {classifierRelease}, <time dateTime={changedAt}>{dateFormat.format(new Date(changedAt))}</time>)
    </p>
  );
}

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" });

/** Text with `backticked` parts as code (argument and variable names): React escapes every part. */
function withCode(text: string) {
  return text.split("`").map((part, i) => (i % 2 === 1 ? <code key={i} className="font-mono text-xs">{part}</code> : part));
}
