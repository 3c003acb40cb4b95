import { BlockList, isIP } from "node:net";

// Which network addresses Portcullis may connect to as an upstream. Pure: an address in, a verdict out.
// By default only public addresses: an MCP server URL typed into the console must not become a way to reach
// the operator's own network, the machine itself, or a cloud metadata service (SSRF).

export const UPSTREAM_NETWORKS = ["public", "loopback", "private", "any"] as const;
/**
 * public: public addresses only. loopback: also this machine (127.0.0.0/8, ::1 and its own interface addresses),
 * for local installs. private: also private, link-local and unique-local ranges. any: everything, cloud metadata
 * and reserved ranges included.
 */
export type UpstreamNetworks = (typeof UPSTREAM_NETWORKS)[number];

export type AddressKind = "public" | "loopback" | "this_machine" | "private" | "link_local" | "metadata" | "reserved";

/** This machine's own interface addresses, as canonicalAddress() writes them (see own-addresses.ts). */
export type OwnAddresses = ReadonlySet<string>;

const NO_OWN_ADDRESSES: OwnAddresses = new Set();

const metadata = new BlockList();
metadata.addAddress("169.254.169.254", "ipv4"); // AWS, GCP, Azure, OpenStack...
metadata.addAddress("169.254.170.2", "ipv4"); // AWS ECS task metadata
metadata.addAddress("100.100.100.200", "ipv4"); // Alibaba Cloud
metadata.addAddress("168.63.129.16", "ipv4"); // Azure's host channel (WireServer): a public-looking address inside Azure
metadata.addAddress("fd00:ec2::254", "ipv6"); // AWS over IPv6
metadata.addAddress("fd20:ce::254", "ipv6"); // Google Cloud over IPv6

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

const linkLocal = new BlockList();
linkLocal.addSubnet("169.254.0.0", 16, "ipv4");
linkLocal.addSubnet("fe80::", 10, "ipv6");

const privateRanges = new BlockList();
privateRanges.addSubnet("10.0.0.0", 8, "ipv4");
privateRanges.addSubnet("172.16.0.0", 12, "ipv4");
privateRanges.addSubnet("192.168.0.0", 16, "ipv4");
privateRanges.addSubnet("100.64.0.0", 10, "ipv4"); // carrier-grade NAT
privateRanges.addSubnet("fc00::", 7, "ipv6"); // unique local
privateRanges.addSubnet("fec0::", 10, "ipv6"); // the deprecated site-local range, still routed inside some sites

// The IANA special-purpose registries' ranges that are not globally reachable and not one of the kinds above:
// nothing a real MCP server or webhook lives on, so they are refused unless the operator allows `any`.
const reserved = new BlockList();
reserved.addSubnet("0.0.0.0", 8, "ipv4"); // "this network"; 0.0.0.0 reaches this machine on Linux
reserved.addSubnet("192.0.0.0", 24, "ipv4"); // IETF protocol assignments
reserved.addSubnet("192.0.2.0", 24, "ipv4"); // documentation (TEST-NET-1)
reserved.addSubnet("192.88.99.0", 24, "ipv4"); // the withdrawn 6to4 relay anycast
reserved.addSubnet("198.18.0.0", 15, "ipv4"); // benchmarking
reserved.addSubnet("198.51.100.0", 24, "ipv4"); // documentation (TEST-NET-2)
reserved.addSubnet("203.0.113.0", 24, "ipv4"); // documentation (TEST-NET-3)
reserved.addSubnet("224.0.0.0", 4, "ipv4"); // multicast
reserved.addSubnet("240.0.0.0", 4, "ipv4"); // reserved, and 255.255.255.255 broadcast
reserved.addAddress("::", "ipv6"); // unspecified; like 0.0.0.0 it reaches this machine
reserved.addSubnet("64:ff9b:1::", 48, "ipv6"); // local-use NAT64: where the IPv4 address sits is the network's choice
reserved.addSubnet("100::", 64, "ipv6"); // discard-only
reserved.addSubnet("2001:2::", 48, "ipv6"); // benchmarking
reserved.addSubnet("2001:10::", 28, "ipv6"); // the withdrawn ORCHID
reserved.addSubnet("2001:db8::", 32, "ipv6"); // documentation
reserved.addSubnet("3fff::", 20, "ipv6"); // documentation
reserved.addSubnet("5f00::", 16, "ipv6"); // segment routing (SRv6) identifiers
reserved.addSubnet("ff00::", 8, "ipv6"); // multicast

// Global unicast IPv6 is 2000::/3; outside it, what the lists above do not name is unassigned.
const globalUnicast = new BlockList();
globalUnicast.addSubnet("2000::", 3, "ipv6");

/**
 * What kind of address this is. IPv6 addresses that carry an IPv4 address (IPv4-mapped and -translated, the
 * deprecated IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`, Teredo `2001::/32`) are judged
 * as the IPv4 address they lead to. Addresses of this machine's own interfaces (`own`) are `this_machine`.
 */
export function classifyAddress(address: string, own: OwnAddresses = NO_OWN_ADDRESSES): AddressKind {
  const ip = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(ip);
  if (family === 4) return classifyIPv4(ip, own);
  if (family === 6) return classifyIPv6(ip, own);
  return "reserved";
}

function classifyIPv4(ip: string, own: OwnAddresses): AddressKind {
  if (metadata.check(ip, "ipv4")) return "metadata";
  if (loopback.check(ip, "ipv4")) return "loopback";
  if (own.has(ip)) return "this_machine";
  if (linkLocal.check(ip, "ipv4")) return "link_local";
  if (privateRanges.check(ip, "ipv4")) return "private";
  if (reserved.check(ip, "ipv4")) return "reserved";
  return "public";
}

function classifyIPv6(ip: string, own: OwnAddresses): AddressKind {
  const groups = ipv6Groups(ip);
  if (groups.every((g, i) => g === (i === 7 ? 1 : 0))) return "loopback"; // ::1, before it is read as ::0.0.0.1
  if (groups.every((g) => g === 0)) return "reserved";
  const embedded = embeddedIPv4(groups);
  if (embedded.length > 0) {
    // Teredo carries two addresses (its server's and, obfuscated, the client's): the stricter verdict wins.
    const kinds = embedded.map((v4) => classifyIPv4(v4, own));
    return kinds.find((kind) => kind !== "public") ?? "public";
  }
  if (metadata.check(ip, "ipv6")) return "metadata";
  if (own.has(canonicalAddress(ip))) return "this_machine";
  if (linkLocal.check(ip, "ipv6")) return "link_local";
  if (privateRanges.check(ip, "ipv6")) return "private";
  if (reserved.check(ip, "ipv6") || !globalUnicast.check(ip, "ipv6")) return "reserved";
  return "public";
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part included). `ip` must be valid. */
function ipv6Groups(ip: string): number[] {
  let text = ip.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const parse = (part: string) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

const v4 = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;

/** The IPv4 addresses an IPv6 address leads to, by the standard forms that embed one; none for other addresses. */
function embeddedIPv4(g: number[]): string[] {
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 6)) return [v4(g[6]!, g[7]!)]; // ::a.b.c.d, IPv4-compatible (deprecated)
  if (zeros(0, 5) && g[5] === 0xffff) return [v4(g[6]!, g[7]!)]; // ::ffff:a.b.c.d, IPv4-mapped
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return [v4(g[6]!, g[7]!)]; // ::ffff:0:a.b.c.d, IPv4-translated
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return [v4(g[6]!, g[7]!)]; // 64:ff9b::a.b.c.d, NAT64
  if (g[0] === 0x2002) return [v4(g[1]!, g[2]!)]; // 2002:AABB:CCDD::/48, 6to4
  if (g[0] === 0x2001 && g[1] === 0) return [v4(g[2]!, g[3]!), v4(~g[6]! & 0xffff, ~g[7]! & 0xffff)]; // Teredo
  return [];
}

/** One spelling per address, so this machine's interface addresses can be looked up: IPv6 in its full hex form. */
export function canonicalAddress(address: string): string {
  const ip = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  return isIP(ip) === 6 ? ipv6Groups(ip).map((g) => g.toString(16)).join(":") : ip;
}

const ALLOWED: Record<UpstreamNetworks, ReadonlySet<AddressKind>> = {
  public: new Set(["public"]),
  loopback: new Set(["public", "loopback", "this_machine"]),
  private: new Set(["public", "loopback", "this_machine", "private", "link_local"]),
  any: new Set(["public", "loopback", "this_machine", "private", "link_local", "metadata", "reserved"]),
};

export function isAddressAllowed(address: string, networks: UpstreamNetworks, own: OwnAddresses = NO_OWN_ADDRESSES): boolean {
  return ALLOWED[networks].has(classifyAddress(address, own));
}

const DESCRIPTIONS: Record<AddressKind, string> = {
  public: "a public address",
  loopback: "this machine (loopback)",
  this_machine: "this machine (one of its own network addresses)",
  private: "a private network address",
  link_local: "a link-local address",
  metadata: "a cloud metadata service",
  reserved: "a reserved address (documentation, benchmarking, multicast or another special-purpose range)",
};

const SETTINGS: Record<AddressKind, UpstreamNetworks> = {
  public: "public",
  loopback: "loopback",
  this_machine: "loopback",
  private: "private",
  link_local: "private",
  metadata: "any",
  reserved: "any",
};

/** A sentence saying why a connection was refused and which setting would allow it. */
export function blockedAddressMessage(host: string, address: string, networks: UpstreamNetworks, own: OwnAddresses = NO_OWN_ADDRESSES): string {
  const kind = classifyAddress(address, own);
  const ip = address.replace(/^\[|\]$/g, "");
  const carried = isIP(ip) === 6 ? embeddedIPv4(ipv6Groups(ip)) : [];
  const named = host === address ? address : `${host} (${address})`;
  const where = carried.length > 0 ? `${named}, which carries the IPv4 address ${carried.join(" and ")},` : named;
  return (
    `${where} is ${DESCRIPTIONS[kind]}, and this Portcullis only connects to ${networks === "public" ? "public addresses" : `${networks} addresses`}. ` +
    `An operator can allow it by starting Portcullis with PORTCULLIS_UPSTREAM_NETWORKS=${SETTINGS[kind]}.`
  );
}
