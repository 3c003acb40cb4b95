"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { ThemeProvider } from "next-themes";
import { useState, type ReactNode } from "react";
import { documentNonce } from "@/lib/http/document-nonce";
import { ApiProblem } from "@/lib/query-hooks/api-fetch";

/**
 * `nonce` is the page's CSP nonce, for next-themes' inline script in the server render; in the browser the
 * loaded document's own nonce is used (for the style it adds while switching themes), see documentNonce.
 */
export function Providers({ children, nonce }: { children: ReactNode; nonce?: string }) {
  const [browserNonce] = useState(documentNonce);
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 10_000,
            // Client errors (4xx) will not fix themselves; retry only what might.
            retry: (count, error) => count < 2 && !(error instanceof ApiProblem && error.problem.status >= 400 && error.problem.status < 500),
          },
        },
      }),
  );
  return (
    <ThemeProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange nonce={browserNonce ?? nonce}>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </ThemeProvider>
  );
}
