import Link from "next/link";
import { registerFromCatalogHref } from "@/components/catalog/catalog-href";
import { CopyButton } from "@/components/ui/copy-button";
import { isPlainObject } from "@/lib/json/is-plain-object";

// How to put this catalog server behind Portcullis. Portcullis connects to upstreams over HTTP only, so a remote is
// registered by its URL, and a local (stdio) package must first be exposed over HTTP by a bridge.

const text = (value: unknown): string | null => (typeof value === "string" && value.trim() ? value : null);

export function RegisterThisServer({ name, packages, remotes }: { name: string; packages: Record<string, unknown>[]; remotes: Record<string, unknown>[] }) {
  const remote = remotes.map((r) => ({ type: text(r.type), url: text(r.url) })).find((r) => r.url);
  const shortName = name.split("/").at(-1) ?? name;
  const link = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";
  if (remote) {
    return (
      <div className="space-y-2 text-sm">
        <p>
          It is served over HTTP at <code className="font-mono break-all">{remote.url}</code>.{" "}
          <Link href={registerFromCatalogHref(name)} className={link}>
            Register it
          </Link>{" "}
          with its name and that URL filled in; add the token it expects under credentials.
        </p>
      </div>
    );
  }
  const npm = packages.find((p) => text(p.registryType) === "npm" && text(p.identifier));
  if (!npm) {
    return (
      <p className="text-sm">
        Portcullis connects to MCP servers over HTTP. This server runs as a local process (stdio), so run it behind an HTTP bridge, then{" "}
        <Link href="/servers/new" className={link}>
          register
        </Link>{" "}
        the bridge&rsquo;s URL.
      </p>
    );
  }
  const spec = `${text(npm.identifier)}${text(npm.version) ? `@${text(npm.version)}` : ""}`;
  // Required arguments appear as <placeholders> the user replaces.
  const placeholders = (Array.isArray(npm.packageArguments) ? npm.packageArguments : [])
    .filter((a): a is Record<string, unknown> => isPlainObject(a) && a.isRequired === true)
    .map((a) => `<${(text(a.valueHint) ?? text(a.name) ?? "value").replace(/[^\w.-]/g, "_")}>`);
  const needsArgs = placeholders.length > 0;
  const command = `npx -y supergateway --stdio "npx -y ${[spec, ...placeholders].join(" ")}" --outputTransport streamableHttp --port 8000`;
  const codeId = `bridge-${shortName}`;
  return (
    <div className="space-y-3 text-sm">
      <p>
        Portcullis connects to MCP servers over HTTP; this one runs as a local process speaking stdio. To put it behind Portcullis, run it behind an HTTP
        bridge on a machine Portcullis can reach, for example with supergateway:
      </p>
      <div className="overflow-hidden rounded-md border border-zinc-200 dark:border-zinc-800">
        <div className="flex items-center justify-between gap-2 border-b border-zinc-200 bg-zinc-50 px-3 py-1.5 dark:border-zinc-800 dark:bg-zinc-900">
          <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">shell</span>
          <CopyButton value={command} targetId={codeId} label="Copy command" />
        </div>
        <pre className="bg-white p-3 font-mono text-xs break-all whitespace-pre-wrap dark:bg-zinc-950">
          <code id={codeId}>{command}</code>
        </pre>
      </div>
      <ul className="list-disc space-y-1 pl-5 text-zinc-700 dark:text-zinc-300">
        {needsArgs && <li>Replace {placeholders.join(" ")} with the arguments it needs (listed above).</li>}
        <li>Set the environment variables it needs in that shell; secrets stay on that machine.</li>
        <li>
          The bridge serves <code className="font-mono">http://&lt;host&gt;:8000/mcp</code>.{" "}
          <Link href="/servers/new" className={link}>
            Register
          </Link>{" "}
          that URL. Portcullis refuses loopback and private addresses unless its operator allows them with{" "}
          <code className="font-mono">PORTCULLIS_UPSTREAM_NETWORKS</code>.
        </li>
      </ul>
    </div>
  );
}
