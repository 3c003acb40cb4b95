import { argumentRows } from "@/components/tools/argument-rows";
import { stableJson } from "@/lib/diff/line-diff";

/** The tool's arguments from its input schema, with the raw schema one click away. */
export function ArgumentTable({ inputSchema }: { inputSchema: Record<string, unknown> }) {
  const rows = argumentRows(inputSchema);
  return (
    <div className="space-y-4">
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">This tool takes no arguments.</p>
      ) : (
        <div className="relative -mx-5 overflow-x-auto">
          <table className="w-full min-w-[32rem] text-left text-sm" aria-label="Arguments">
            <thead className="border-b border-zinc-200 text-xs tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-2 pr-4 pl-5 font-medium">
                  Name
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Type
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Required
                </th>
                <th scope="col" className="py-2 pr-5 font-medium">
                  Description
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {rows.map((row) => (
                <tr key={row.name} className="align-top">
                  <td className="py-2.5 pr-4 pl-5 font-mono text-sm font-medium whitespace-nowrap">{row.name}</td>
                  <td className="py-2.5 pr-4 font-mono text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400">{row.type}</td>
                  <td className="py-2.5 pr-4">{row.required ? "Yes" : <span className="text-zinc-500 dark:text-zinc-400">No</span>}</td>
                  <td className="py-2.5 pr-5">
                    {row.description ?? <span className="text-zinc-500 italic dark:text-zinc-400">No description</span>}
                    {row.constraints.length > 0 && (
                      <ul className="mt-1 space-y-0.5 text-xs text-zinc-500 dark:text-zinc-400">
                        {row.constraints.map((constraint) => (
                          <li key={constraint} className="break-words">
                            {constraint}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <details>
        <summary className="cursor-pointer text-sm font-medium text-zinc-700 select-none hover:text-zinc-900 dark:text-zinc-300 dark:hover:text-zinc-100">
          Input schema (JSON)
        </summary>
        <pre className="mt-2 max-h-96 overflow-auto rounded-md border border-zinc-200 bg-zinc-50 p-3 font-mono text-xs dark:border-zinc-800 dark:bg-zinc-950">
          {stableJson(inputSchema)}
        </pre>
      </details>
    </div>
  );
}
