"use client";

import { useEffect, useRef, useState } from "react";

/**
 * A client's logo, or its initial when it has none or the image does not load (a client's logo host is not
 * Portcullis's to vouch for, and a broken-image icon on a consent page reads as something gone wrong).
 */
export function ClientLogo({ src, name }: { src: string | null; name: string }) {
  const [failed, setFailed] = useState(false);
  const image = useRef<HTMLImageElement>(null);
  // An image that failed before the page was hydrated fired its error event before onError was attached.
  useEffect(() => {
    if (image.current?.complete && image.current.naturalWidth === 0) setFailed(true);
  }, []);
  if (src && !failed) {
    return (
      // A stranger's image: https only (lib/oauth/client-display.ts), fixed size, and no Referer telling its host
      // which Portcullis is being signed in to. next/image would fetch it through this server, which must not.
      // eslint-disable-next-line @next/next/no-img-element
      <img
        ref={image}
        src={src}
        alt=""
        width={48}
        height={48}
        referrerPolicy="no-referrer"
        onError={() => setFailed(true)}
        className="h-12 w-12 shrink-0 rounded-md border border-zinc-200 bg-white object-contain dark:border-zinc-700"
        data-testid="client-logo"
      />
    );
  }
  return (
    <span
      aria-hidden="true"
      className="flex h-12 w-12 shrink-0 items-center justify-center rounded-md bg-indigo-50 text-lg font-semibold text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300"
    >
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}
