import Link from "next/link";
import { catalogServerHref, catalogToolHref } from "@/components/catalog/catalog-href";
import { RegisterThisServer } from "@/components/catalog/register-this-server";
import { Card } from "@/components/ui/card";
import type { catalogServerView } from "@/lib/catalog/get-catalog-server";

const link = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";

/**
 * Above the register form when it was opened from the catalog: which server, what happens after registering, and for
 * a local (stdio) package, how to put it on HTTP first, since the form takes a URL.
 */
export function RegisterFromCatalog({
  server,
  tool,
  remoteUrl,
}: {
  server: ReturnType<typeof catalogServerView>;
  tool: string | null;
  remoteUrl: string | null;
}) {
  return (
    <div className="mb-6 max-w-3xl" data-testid="register-from-catalog">
      <Card className="space-y-3 p-5 text-sm">
        <p>
          Registering{" "}
          <Link href={catalogServerHref(server.name)} className={link}>
            {server.title ?? server.name}
          </Link>{" "}
          from the catalog.
          {tool && (
            <>
              {" "}
              Once it is registered, its policy editor opens with the catalog&rsquo;s rule for{" "}
              <Link href={catalogToolHref(server.name, tool)} className={`font-mono ${link}`}>
                {tool}
              </Link>{" "}
              in an unsaved draft.
            </>
          )}
        </p>
        {remoteUrl ? (
          <p>Its URL is filled in below from the catalog; add the token it expects under Credentials.</p>
        ) : (
          <RegisterThisServer name={server.name} packages={server.packages} remotes={server.remotes} />
        )}
      </Card>
    </div>
  );
}
