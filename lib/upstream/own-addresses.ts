import { networkInterfaces } from "node:os";
import { canonicalAddress, type OwnAddresses } from "@/lib/upstream/address-policy";

// This machine's own interface addresses: a connection to one of them reaches this machine even when the address
// is public, so the network guard treats them like loopback. Read again every few seconds (interfaces can change;
// reading them costs a system call, and connections are opened far more often than that).

const FRESH_FOR_MS = 5_000;
let cached: { at: number; addresses: OwnAddresses } | undefined;

export function ownAddresses(now = Date.now()): OwnAddresses {
  if (cached && now - cached.at < FRESH_FOR_MS) return cached.addresses;
  const addresses = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) addresses.add(canonicalAddress(entry.address));
  }
  cached = { at: now, addresses };
  return addresses;
}
