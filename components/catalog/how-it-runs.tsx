import { Badge } from "@/components/ui/badge";
import { isPlainObject } from "@/lib/json/is-plain-object";

// How a catalog server runs, read from its server.json (packages[] and remotes[]). Every field is the registry's
// data, checked before use and shown as text.

const text = (value: unknown): string | null => (typeof value === "string" && value.trim() ? value : null);

export function HowItRuns({ packages, remotes }: { packages: Record<string, unknown>[]; remotes: Record<string, unknown>[] }) {
  if (packages.length === 0 && remotes.length === 0) {
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">Its registry entry names no package and no remote address.</p>;
  }
  return (
    <div className="space-y-5">
      {packages.map((pkg, i) => {
        const transport = isPlainObject(pkg.transport) ? text(pkg.transport.type) : null;
        const env = Array.isArray(pkg.environmentVariables) ? pkg.environmentVariables.filter(isPlainObject) : [];
        const args = Array.isArray(pkg.packageArguments) ? pkg.packageArguments.filter(isPlainObject) : [];
        return (
          <div key={`p${i}`} className="space-y-3" data-testid="package">
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <Badge tone="indigo">{text(pkg.registryType) ?? "package"}</Badge>
              <code className="font-mono font-medium break-all">
                {text(pkg.identifier) ?? "(no identifier)"}
                {text(pkg.version) ? `@${text(pkg.version)}` : ""}
              </code>
              {transport && <span className="text-zinc-500 dark:text-zinc-400">runs over {transport}</span>}
            </div>
            {args.length > 0 && (
              <div>
                <h3 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Arguments it takes</h3>
                <ul className="mt-1 space-y-1 text-sm">
                  {args.map((arg, j) => (
                    <li key={j}>
                      <code className="font-mono">{text(arg.name) ?? text(arg.valueHint) ?? text(arg.type) ?? "argument"}</code>
                      {arg.isRequired === true && <span className="text-zinc-500 dark:text-zinc-400"> (required)</span>}
                      {text(arg.description) && <span className="text-zinc-600 dark:text-zinc-400">: {text(arg.description)}</span>}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <div>
              <h3 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Environment it needs</h3>
              {env.length === 0 ? (
                <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">No environment variables are declared.</p>
              ) : (
                <ul className="mt-1 space-y-1 text-sm" aria-label="Environment variables">
                  {env.map((v, j) => (
                    <li key={j} className="flex flex-wrap items-baseline gap-2">
                      <code className="font-mono font-medium">{text(v.name) ?? "(unnamed)"}</code>
                      {v.isSecret === true && <Badge tone="amber">Secret</Badge>}
                      {v.isRequired === true && <span className="text-xs text-zinc-500 dark:text-zinc-400">required</span>}
                      {text(v.description) && <span className="text-zinc-600 dark:text-zinc-400">{text(v.description)}</span>}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        );
      })}
      {remotes.map((remote, i) => (
        <div key={`r${i}`} className="flex flex-wrap items-center gap-2 text-sm" data-testid="remote">
          <Badge tone="indigo">{text(remote.type) ?? "remote"}</Badge>
          <code className="font-mono break-all">{text(remote.url) ?? "(no URL)"}</code>
        </div>
      ))}
    </div>
  );
}
