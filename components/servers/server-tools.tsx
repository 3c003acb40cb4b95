"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { HowLevelsWorkLink } from "@/components/how-levels-work-link";
import { LoadError } from "@/components/load-error";
import { RiskBadge } from "@/components/risk-badge";
import { RISK_CATEGORY_LABELS, RISK_LEVEL_LABELS } from "@/lib/risk/labels";
import {
  nextSort,
  readToolFilters,
  toQuery,
  writeToolFilters,
  type SortColumn,
  type ToolFilters,
} from "@/components/servers/tool-list-params";
import { AnnotationChips } from "@/components/tools/annotation-chips";
import { ToolStatusBadge } from "@/components/tools/tool-status-badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LoadingText } from "@/components/ui/loading-text";
import { SelectField } from "@/components/ui/select-field";
import { useServerTools, type ToolSummary } from "@/lib/query-hooks/servers";
import { RISK_CATEGORIES, RISK_LEVELS, type RiskCategory, type RiskLevel } from "@/lib/risk/types";

const LEVEL_OPTIONS = [{ value: "", label: "All levels" }, ...RISK_LEVELS.map((level) => ({ value: level, label: RISK_LEVEL_LABELS[level] }))];
const CATEGORY_OPTIONS = [
  { value: "", label: "All categories" },
  ...RISK_CATEGORIES.map((category) => ({ value: category, label: RISK_CATEGORY_LABELS[category] })),
];

export function ServerTools({ serverId, toolCount }: { serverId: string; toolCount: number }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filters = readToolFilters(new URLSearchParams(searchParams.toString()));
  const tools = useServerTools(serverId, toQuery(filters));
  const [search, setSearch] = useState(filters.q);
  // When the URL's search changes from outside the box (back button, "Clear filters"), the box follows it.
  // The search this page last wrote to the URL: its arrival must not overwrite what the person has typed since.
  const [searchInUrl, setSearchInUrl] = useState(filters.q);
  const [searchWritten, setSearchWritten] = useState(filters.q);
  if (filters.q !== searchInUrl) {
    setSearchInUrl(filters.q);
    if (filters.q !== searchWritten) setSearch(filters.q);
  }
  // A debounced search must not undo a filter chosen meanwhile: it applies on top of the latest filters.
  const latest = useRef(filters);
  useEffect(() => {
    latest.current = filters;
  });
  const typingTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(typingTimer.current), []);

  function apply(next: Partial<ToolFilters>) {
    clearTimeout(typingTimer.current);
    // What is in the search box counts even when its debounce has not fired yet.
    const params = writeToolFilters({ ...latest.current, q: search, ...next });
    setSearchWritten(params.get("q") ?? "");
    const query = params.size ? `?${params}` : "";
    router.replace(`${pathname}${query}`, { scroll: false });
  }

  function onSearchChange(value: string) {
    setSearch(value);
    // The URL (and so the query) follows once the person pauses, not on every keystroke.
    clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(() => apply({ q: value }), 300);
  }

  const filtered = Boolean(filters.q || filters.level || filters.category);

  return (
    <section aria-labelledby="tools-heading" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="tools-heading" className="text-lg font-semibold">
            Tools
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {toolCount === 1 ? "1 tool" : `${toolCount} tools`}, each with a risk level and category from its name,
            description, arguments and annotations. <HowLevelsWorkLink />
          </p>
        </div>
      </div>
      <div className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter tools">
        <div className="min-w-56 flex-1 space-y-1.5">
          <label htmlFor="tool-search" className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
            Search
          </label>
          <input
            id="tool-search"
            type="search"
            value={search}
            placeholder="Name, title or description"
            maxLength={200}
            onChange={(event) => onSearchChange(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter") apply({ q: search });
            }}
            className="block h-10 w-full rounded-md border border-zinc-300 bg-white px-3 text-sm shadow-xs placeholder:text-zinc-400 dark:border-zinc-700 dark:bg-zinc-900"
          />
        </div>
        <SelectField
          label="Risk level"
          value={filters.level}
          options={LEVEL_OPTIONS}
          onChange={(event) => apply({ level: event.target.value as RiskLevel | "" })}
          className="w-40"
        />
        <SelectField
          label="Category"
          value={filters.category}
          options={CATEGORY_OPTIONS}
          onChange={(event) => apply({ category: event.target.value as RiskCategory | "" })}
          className="w-44"
        />
        {filtered && (
          <Button
            variant="ghost"
            onClick={() => {
              setSearch("");
              apply({ q: "", level: "", category: "" });
            }}
          >
            Clear filters
          </Button>
        )}
      </div>

      {tools.isPending ? (
        <LoadingText>Loading tools…</LoadingText>
      ) : tools.isError ? (
        <LoadError title="The tools could not be loaded" error={tools.error} onRetry={() => void tools.refetch()} />
      ) : tools.data.length === 0 ? (
        <Card className="px-5 py-10 text-center text-sm text-zinc-600 dark:text-zinc-400">
          {filtered ? (
            <p>No tools match these filters. Try another search, or clear the filters.</p>
          ) : (
            <p>This server lists no tools. Re-sync it after its tools change.</p>
          )}
        </Card>
      ) : (
        <Card className="overflow-x-auto">
          <table className="w-full min-w-[44rem] text-left text-sm" aria-label="Tools" aria-busy={tools.isFetching || undefined}>
            <thead className="border-b border-zinc-200 text-xs tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
              <tr>
                <SortHeader column="level" label="Risk" sort={filters.sort} onSort={(sort) => apply({ sort })} className="w-28 pl-5" />
                <SortHeader column="name" label="Tool" sort={filters.sort} onSort={(sort) => apply({ sort })} />
                <SortHeader column="category" label="Category" sort={filters.sort} onSort={(sort) => apply({ sort })} className="w-36" />
                <th scope="col" className="w-48 py-2 pr-5 font-medium">
                  Annotations
                </th>
              </tr>
            </thead>
            <tbody className={`divide-y divide-zinc-100 dark:divide-zinc-800 ${tools.isPlaceholderData ? "opacity-60" : ""}`}>
              {tools.data.map((tool) => (
                <ToolRow key={tool.id} tool={tool} />
              ))}
            </tbody>
          </table>
          {tools.isFetching && tools.isPlaceholderData && (
            <p className="sr-only" role="status">
              Updating the tools…
            </p>
          )}
        </Card>
      )}
    </section>
  );
}

function ToolRow({ tool }: { tool: ToolSummary }) {
  const summary = tool.title ?? tool.description;
  return (
    <tr data-testid="tool-row" className={`align-top ${tool.status === "removed" ? "opacity-60" : ""}`}>
      <td className="py-3 pr-4 pl-5">
        <RiskBadge level={tool.level} />
      </td>
      <td className="max-w-0 py-3 pr-4">
        <div className="flex flex-wrap items-center gap-2">
          <Link href={`/tools/${tool.id}`} className="font-mono text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            {tool.name}
          </Link>
          <ToolStatusBadge status={tool.status} />
          {tool.overridden && (
            <span className="text-xs text-zinc-500 dark:text-zinc-400" title="A person overrode the classifier's result">
              (overridden)
            </span>
          )}
        </div>
        {summary && (
          <p className="mt-0.5 truncate text-zinc-600 dark:text-zinc-400" title={tool.description ?? undefined}>
            {tool.title && tool.description ? `${tool.title}: ${tool.description}` : summary}
          </p>
        )}
      </td>
      <td className="py-3 pr-4 whitespace-nowrap">{RISK_CATEGORY_LABELS[tool.category]}</td>
      <td className="py-3 pr-5">
        <AnnotationChips annotations={tool.annotations} />
      </td>
    </tr>
  );
}

function SortHeader({
  column,
  label,
  sort,
  onSort,
  className = "",
}: {
  column: SortColumn;
  label: string;
  sort: string;
  onSort: (sort: ReturnType<typeof nextSort>) => void;
  className?: string;
}) {
  const direction = sort === column ? "ascending" : sort === `-${column}` ? "descending" : "none";
  return (
    <th scope="col" aria-sort={direction} className={`py-2 pr-4 font-medium ${className}`}>
      <button
        type="button"
        onClick={() => onSort(nextSort(sort as Parameters<typeof nextSort>[0], column))}
        className="inline-flex items-center gap-1 uppercase hover:text-zinc-900 dark:hover:text-zinc-100"
      >
        {label}
        <span aria-hidden="true" className={direction === "none" ? "opacity-30" : ""}>
          {direction === "descending" ? "↓" : direction === "ascending" ? "↑" : "↕"}
        </span>
        <span className="sr-only">{direction === "none" ? `, sort by ${label.toLowerCase()}` : `, sorted ${direction}`}</span>
      </button>
    </th>
  );
}
