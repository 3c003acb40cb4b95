import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { PASSWORD, uniqueEmail } from "./accounts";

/**
 * A new account on the app at `baseURL`, and an API context that acts for it with a personal access token, created
 * the way a person would: sign up, sign in (the console's session), create a token.
 */
export async function newApiAccount(baseURL: string, label = "api"): Promise<{ email: string; api: APIRequestContext }> {
  const email = uniqueEmail(label);
  const anonymous = await playwrightRequest.newContext({ baseURL });
  const signUp = await anonymous.post("/api/v1/signup", { data: { email, password: PASSWORD } });
  if (signUp.status() !== 201) throw new Error(`sign-up answered ${signUp.status()}: ${await signUp.text()}`);
  const browserLike = await playwrightRequest.newContext({ baseURL });
  const { csrfToken } = await (await browserLike.get("/api/auth/csrf")).json();
  await browserLike.post("/api/auth/callback/credentials", { form: { csrfToken, email, password: PASSWORD }, maxRedirects: 0 });
  const created = await browserLike.post("/api/v1/tokens", { data: { name: "e2e" } });
  if (created.status() !== 201) throw new Error(`creating a token answered ${created.status()}: ${await created.text()}`);
  const { token } = (await created.json()) as { token: string };
  await Promise.all([anonymous.dispose(), browserLike.dispose()]);
  return { email, api: await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } }) };
}

/** Registers an upstream, saves a policy for it and creates a grant on it; returns the server id and the grant key. */
export async function serverWithGrant(
  api: APIRequestContext,
  upstreamUrl: string,
  policy: unknown,
  name = "upstream",
  grantName = `${name} agent`,
): Promise<{ serverId: string; key: string }> {
  const server = await api.post("/api/v1/servers", { data: { name, url: upstreamUrl } });
  if (server.status() !== 201) throw new Error(`registering answered ${server.status()}: ${await server.text()}`);
  const serverId = ((await server.json()) as { id: string }).id;
  const saved = await api.post(`/api/v1/servers/${serverId}/policy/versions`, { data: { text: JSON.stringify(policy), message: "e2e" } });
  if (saved.status() !== 201) throw new Error(`saving the policy answered ${saved.status()}: ${await saved.text()}`);
  const grant = await api.post("/api/v1/grants", { data: { name: grantName, serverIds: [serverId] } });
  if (grant.status() !== 201) throw new Error(`creating the grant answered ${grant.status()}: ${await grant.text()}`);
  return { serverId, key: ((await grant.json()) as { key: string }).key };
}
