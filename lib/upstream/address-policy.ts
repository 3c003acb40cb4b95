import { BlockList, isIP } from "node:net";

// Which network addresses Portcullis may connect to as an upstream. Pure: an address in, a verdict out.
// By default only public addresses: an MCP server URL typed into the console must not become a way to reach
// the operator's own network, the machine itself, or a cloud metadata service (SSRF).

export const UPSTREAM_NETWORKS = ["public", "loopback", "private", "any"] as const;
/**
 * public: public addresses only. loopback: also this machine (127.0.0.0/8, ::1), for local installs.
 * private: also private, link-local and unique-local ranges. any: everything, cloud metadata included.
 */
export type UpstreamNetworks = (typeof UPSTREAM_NETWORKS)[number];

export type AddressKind = "public" | "loopback" | "private" | "link_local" | "metadata" | "reserved";

const metadata = new BlockList();
metadata.addAddress("169.254.169.254", "ipv4"); // AWS, GCP, Azure, OpenStack...
metadata.addAddress("169.254.170.2", "ipv4"); // AWS ECS task metadata
metadata.addAddress("100.100.100.200", "ipv4"); // Alibaba Cloud
metadata.addAddress("fd00:ec2::254", "ipv6"); // AWS over IPv6

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

const reserved = new BlockList();
reserved.addSubnet("0.0.0.0", 8, "ipv4");
reserved.addSubnet("192.0.0.0", 24, "ipv4");
reserved.addSubnet("198.18.0.0", 15, "ipv4"); // benchmarking
reserved.addSubnet("224.0.0.0", 4, "ipv4"); // multicast
reserved.addSubnet("240.0.0.0", 4, "ipv4"); // reserved and broadcast
reserved.addAddress("::", "ipv6");
reserved.addSubnet("ff00::", 8, "ipv6"); // multicast
reserved.addSubnet("64:ff9b:1::", 48, "ipv6");

/** What kind of address this is. IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry. */
export function classifyAddress(address: string): AddressKind {
  let ip = address.replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) ip = mapped[1]!;
  const family = isIP(ip);
  if (family === 0) return "reserved";
  const type = family === 4 ? "ipv4" : "ipv6";
  if (metadata.check(ip, type)) return "metadata";
  if (loopback.check(ip, type)) return "loopback";
  if (linkLocal.check(ip, type)) return "link_local";
  if (privateRanges.check(ip, type)) return "private";
  if (reserved.check(ip, type)) return "reserved";
  return "public";
}

const ALLOWED: Record<UpstreamNetworks, ReadonlySet<AddressKind>> = {
  public: new Set(["public"]),
  loopback: new Set(["public", "loopback"]),
  private: new Set(["public", "loopback", "private", "link_local"]),
  any: new Set(["public", "loopback", "private", "link_local", "metadata", "reserved"]),
};

export function isAddressAllowed(address: string, networks: UpstreamNetworks): boolean {
  return ALLOWED[networks].has(classifyAddress(address));
}

const DESCRIPTIONS: Record<AddressKind, string> = {
  public: "a public address",
  loopback: "this machine (loopback)",
  private: "a private network address",
  link_local: "a link-local address",
  metadata: "a cloud metadata service",
  reserved: "a reserved address",
};

/** A sentence saying why a connection was refused and which setting would allow it. */
export function blockedAddressMessage(host: string, address: string, networks: UpstreamNetworks): string {
  const kind = classifyAddress(address);
  const setting =
    kind === "loopback"
      ? "PORTCULLIS_UPSTREAM_NETWORKS=loopback"
      : kind === "private" || kind === "link_local"
        ? "PORTCULLIS_UPSTREAM_NETWORKS=private"
        : "PORTCULLIS_UPSTREAM_NETWORKS=any";
  const where = host === address ? address : `${host} (${address})`;
  return (
    `${where} is ${DESCRIPTIONS[kind]}, and this Portcullis only connects to ${networks === "public" ? "public addresses" : `${networks} addresses`}. ` +
    `An operator can allow it by starting Portcullis with ${setting}.`
  );
}
