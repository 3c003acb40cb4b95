import { z } from "zod";

// Options of the Node server that hosts the app (scripts/server.ts), parsed once at start.
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on. Loopback by default; set 0.0.0.0 (or ::) to serve other machines. */
  HOST: z.string().min(1).default("127.0.0.1"),
  /**
   * How many reverse proxies in front of the app append to X-Forwarded-For. 0 (default): the client address is
   * the socket's, and X-Forwarded-* headers sent by clients are discarded, so nobody can fake their address.
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
});

export type ServerOptions = z.infer<typeof schema>;

export function parseServerOptions(source: NodeJS.ProcessEnv = process.env): ServerOptions {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new Error(
      "Invalid server settings:\n" + result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n"),
    );
  }
  return result.data;
}
