import type { OAuthClientKind } from "@/lib/oauth/clients";
import { isLoopbackHost } from "@/lib/oauth/redirect-uri";

// How a client is shown to a person (the consent page, the Grants page). Pure. What a client says about itself is
// shown as data; what Portcullis can vouch for is said apart: a metadata-document client's id is an https URL whose
// owner published the document, so its domain is known; a client that registered itself is a stranger's word.

export interface ClientIdentity {
  clientId: string;
  kind: OAuthClientKind;
  clientName: string | null;
  logoUri: string | null;
  redirectUris: readonly string[];
}

export interface ClientDisplay {
  /** Its name, or its domain when it gave none. */
  name: string;
  /** The domain of a metadata document's URL (verified: Portcullis fetched the document there); null for registered clients. */
  verifiedDomain: string | null;
  /** The domain the Grants page shows: the verified one, else where its first redirect URI goes. */
  domain: string;
  /** An https logo only (the browser loads it), else null. */
  logoUri: string | null;
}

const hostOf = (url: string): string | null => (URL.canParse(url) ? new URL(url).hostname : null);

export function displayClient(client: ClientIdentity): ClientDisplay {
  const verifiedDomain = client.kind === "metadata_document" ? hostOf(client.clientId) : null;
  const domain = verifiedDomain ?? hostOf(client.redirectUris[0] ?? "") ?? "unknown";
  const name = client.clientName?.trim() || verifiedDomain || "An unnamed client";
  const logoUri = client.logoUri && URL.canParse(client.logoUri) && new URL(client.logoUri).protocol === "https:" ? client.logoUri : null;
  return { name, verifiedDomain, domain, logoUri };
}

export interface RedirectDisplay {
  /** The host the code is sent to. */
  host: string;
  /** An app on the person's own machine (http on loopback). */
  loopback: boolean;
  /**
   * Set when the redirect goes elsewhere than the metadata document's domain (or a subdomain of it): the consent page
   * says so, since a document can name any redirect URI, and a code sent to another site is that site's to use.
   */
  mismatch: boolean;
}

export function displayRedirect(redirectUri: string, verifiedDomain: string | null): RedirectDisplay {
  const host = hostOf(redirectUri) ?? redirectUri;
  const loopback = isLoopbackHost(host);
  const matches = verifiedDomain !== null && (host === verifiedDomain || host.endsWith(`.${verifiedDomain}`));
  return { host, loopback, mismatch: verifiedDomain !== null && !matches };
}

/** The name of a grant made for a client on the consent page (grant names are at most 100 characters). */
export function grantNameFor(client: ClientIdentity): string {
  return displayClient(client).name.slice(0, 100);
}
