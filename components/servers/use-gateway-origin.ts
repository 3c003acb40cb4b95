"use client";

import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * The origin gateway URLs are shown on: the operator's PORTCULLIS_PUBLIC_URL when set (passed down from the
 * server), else the origin this console was opened on. Null while rendering on the server without a setting.
 */
export function useGatewayOrigin(publicOrigin: string | null): string | null {
  const browserOrigin = useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => null,
  );
  return publicOrigin ?? browserOrigin;
}
