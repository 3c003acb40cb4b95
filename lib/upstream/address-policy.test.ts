import { describe, expect, it } from "vitest";
import { blockedAddressMessage, canonicalAddress, classifyAddress, isAddressAllowed } from "@/lib/upstream/address-policy";

describe("classifyAddress", () => {
  it.each([
    ["93.184.216.34", "public"],
    ["2606:4700::1111", "public"],
    ["127.0.0.1", "loopback"],
    ["127.8.9.10", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "public"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["fd12:3456::1", "private"],
    ["169.254.1.1", "link_local"],
    ["fe80::1", "link_local"],
    ["169.254.169.254", "metadata"],
    ["::ffff:169.254.169.254", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["100.100.100.200", "metadata"],
    ["0.0.0.0", "reserved"],
    ["::", "reserved"],
    ["224.0.0.1", "reserved"],
    ["255.255.255.255", "reserved"],
    ["not-an-ip", "reserved"],
  ])("%s is %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

// Every range of the IANA IPv4 and IPv6 special-purpose address registries, with an address inside it (and, for
// the smaller ones, just outside).
describe("the special-purpose registries", () => {
  it.each([
    ["0.0.0.0/8 this network", "0.1.2.3", "reserved"],
    ["10.0.0.0/8", "10.255.255.255", "private"],
    ["100.64.0.0/10 shared (CGNAT)", "100.127.255.254", "private"],
    ["just past 100.64.0.0/10", "100.128.0.1", "public"],
    ["127.0.0.0/8", "127.255.255.254", "loopback"],
    ["169.254.0.0/16", "169.254.0.1", "link_local"],
    ["172.16.0.0/12", "172.20.1.1", "private"],
    ["192.0.0.0/24 IETF protocol assignments", "192.0.0.9", "reserved"],
    ["192.0.2.0/24 TEST-NET-1", "192.0.2.10", "reserved"],
    ["just past TEST-NET-1", "192.0.3.1", "public"],
    ["192.31.196.0/24 AS112 (global)", "192.31.196.1", "public"],
    ["192.52.193.0/24 AMT (global)", "192.52.193.1", "public"],
    ["192.88.99.0/24 6to4 relay anycast", "192.88.99.1", "reserved"],
    ["192.168.0.0/16", "192.168.255.1", "private"],
    ["192.175.48.0/24 AS112 (global)", "192.175.48.1", "public"],
    ["198.18.0.0/15 benchmarking", "198.19.255.1", "reserved"],
    ["just past 198.18.0.0/15", "198.20.0.1", "public"],
    ["198.51.100.0/24 TEST-NET-2", "198.51.100.7", "reserved"],
    ["203.0.113.0/24 TEST-NET-3", "203.0.113.200", "reserved"],
    ["224.0.0.0/4 multicast", "239.255.255.250", "reserved"],
    ["240.0.0.0/4 reserved", "240.0.0.1", "reserved"],
    ["255.255.255.255 broadcast", "255.255.255.255", "reserved"],
    ["Azure's host channel", "168.63.129.16", "metadata"],
    ["::1 loopback", "::1", "loopback"],
    ["::1 written out", "0:0:0:0:0:0:0:1", "loopback"],
    [":: unspecified", "0::0", "reserved"],
    ["64:ff9b:1::/48 local-use NAT64", "64:ff9b:1::a00:1", "reserved"],
    ["100::/64 discard-only", "100::1", "reserved"],
    ["2001:1::1 PCP anycast (global)", "2001:1::1", "public"],
    ["2001:2::/48 benchmarking", "2001:2::1", "reserved"],
    ["2001:3::/32 AMT (global)", "2001:3::1", "public"],
    ["2001:10::/28 ORCHID", "2001:10::1", "reserved"],
    ["2001:db8::/32 documentation", "2001:db8::1", "reserved"],
    ["3fff::/20 documentation", "3fff:fff::1", "reserved"],
    ["5f00::/16 SRv6", "5f00::1", "reserved"],
    ["2620:4f:8000::/48 AS112 (global)", "2620:4f:8000::1", "public"],
    ["fc00::/7 unique local", "fc00::1", "private"],
    ["fec0::/10 site-local (deprecated)", "fec0::1", "private"],
    ["fe80::/10 link-local", "febf::1", "link_local"],
    ["fe80::/10 with a zone", "fe80::1%eth0", "link_local"],
    ["ff00::/8 multicast", "ff02::1", "reserved"],
    ["Google Cloud metadata over IPv6", "fd20:ce::254", "metadata"],
    ["outside 2000::/3, unassigned", "4000::1", "reserved"],
    ["global unicast", "2a00:1450:4001::200e", "public"],
  ])("%s: %s is %s", (_range, address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

// IPv6 forms that carry an IPv4 address are judged as that address, however they are written: dotted, and in the
// hex form URLs and resolvers normalize them to (new URL("http://[::127.0.0.1]").hostname is "[::7f00:1]").
describe("IPv6 addresses that carry an IPv4 address", () => {
  it.each([
    ["::127.0.0.1", "loopback"],
    ["::7f00:1", "loopback"],
    ["[::7f00:1]", "loopback"],
    ["::a00:1", "private"],
    ["::5db8:d822", "public"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:a9fe:a9fe", "metadata"],
    ["::ffff:c0a8:101", "private"],
    ["::ffff:5db8:d822", "public"],
    ["::ffff:0:127.0.0.1", "loopback"],
    ["::ffff:0:a00:1", "private"],
    ["::ffff:0:5db8:d822", "public"],
    ["64:ff9b::127.0.0.1", "loopback"],
    ["64:ff9b::7f00:1", "loopback"],
    ["64:ff9b::a9fe:a9fe", "metadata"],
    ["64:ff9b::c0a8:1", "private"],
    ["64:ff9b::a9fe:101", "link_local"],
    ["64:ff9b::c000:20a", "reserved"],
    ["64:ff9b::5db8:d822", "public"],
    ["2002:7f00:1::", "loopback"],
    ["2002:7f00:1::1", "loopback"],
    ["2002:a00:1:5::1", "private"],
    ["2002:a9fe:a9fe::", "metadata"],
    ["2002:5db8:d822::1", "public"],
    // Teredo: the server's address, then the client's with every bit flipped. 127.0.0.1 flips to 80ff:fffe.
    ["2001:0:5db8:d822:8000:f227:80ff:fffe", "loopback"],
    ["2001:0:a00:1:8000:f227:a2b7:29dd", "private"],
    ["2001:0:5db8:d822:8000:f227:a2b7:29dd", "public"],
  ])("%s is %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it("judges them the same after URL normalization", () => {
    for (const literal of ["::127.0.0.1", "::ffff:127.0.0.1", "64:ff9b::127.0.0.1", "2002:7f00:0001::", "::ffff:0:127.0.0.1"]) {
      const hostname = new URL(`http://[${literal}]:8080/mcp`).hostname;
      expect([hostname, classifyAddress(hostname)]).toEqual([hostname, "loopback"]);
    }
  });
});

describe("this machine's own addresses", () => {
  const own = new Set(["93.184.216.34", "192.0.2.2", canonicalAddress("2a00:1450::7"), "10.0.0.5"].map(canonicalAddress));

  it.each([
    ["93.184.216.34", "this_machine"],
    ["192.0.2.2", "this_machine"],
    ["10.0.0.5", "this_machine"],
    ["2a00:1450:0:0::7", "this_machine"],
    ["::ffff:93.184.216.34", "this_machine"],
    ["64:ff9b::5db8:d822", "this_machine"],
    ["127.0.0.1", "loopback"],
    ["169.254.169.254", "metadata"],
    ["93.184.216.35", "public"],
  ])("%s is %s", (address, kind) => {
    expect(classifyAddress(address, own)).toBe(kind);
  });

  it("are refused under public and allowed under loopback, even when public", () => {
    expect(isAddressAllowed("93.184.216.34", "public", own)).toBe(false);
    expect(isAddressAllowed("93.184.216.34", "loopback", own)).toBe(true);
    expect(isAddressAllowed("10.0.0.5", "loopback", own)).toBe(true);
    expect(isAddressAllowed("10.0.0.6", "loopback", own)).toBe(false);
    expect(blockedAddressMessage("me.example", "93.184.216.34", "public", own)).toBe(
      "me.example (93.184.216.34) is this machine (one of its own network addresses), and this Portcullis only connects to public addresses. An operator can allow it by starting Portcullis with PORTCULLIS_UPSTREAM_NETWORKS=loopback.",
    );
  });
});

describe("isAddressAllowed", () => {
  it.each([
    ["public", "93.184.216.34", true],
    ["public", "127.0.0.1", false],
    ["public", "10.0.0.1", false],
    ["public", "169.254.169.254", false],
    ["loopback", "127.0.0.1", true],
    ["loopback", "::1", true],
    ["loopback", "192.168.0.1", false],
    ["private", "192.168.0.1", true],
    ["private", "fe80::1", true],
    ["private", "169.254.169.254", false],
    ["private", "0.0.0.0", false],
    ["any", "169.254.169.254", true],
    ["public", "192.0.2.1", false],
    ["public", "198.51.100.1", false],
    ["public", "203.0.113.1", false],
    ["public", "192.88.99.1", false],
    ["public", "64:ff9b::7f00:1", false],
    ["public", "2002:7f00:1::", false],
    ["public", "::7f00:1", false],
    ["loopback", "::7f00:1", true],
    ["loopback", "64:ff9b::a00:1", false],
    ["private", "64:ff9b::a00:1", true],
    ["private", "2001:db8::1", false],
    ["any", "2001:db8::1", true],
  ] as const)("%s allows %s: %s", (networks, address, allowed) => {
    expect(isAddressAllowed(address, networks)).toBe(allowed);
  });
});

it("tells the operator which setting would allow a refused address", () => {
  expect(blockedAddressMessage("localhost", "127.0.0.1", "public")).toBe(
    "localhost (127.0.0.1) is this machine (loopback), and this Portcullis only connects to public addresses. An operator can allow it by starting Portcullis with PORTCULLIS_UPSTREAM_NETWORKS=loopback.",
  );
  expect(blockedAddressMessage("169.254.169.254", "169.254.169.254", "loopback")).toMatch(/a cloud metadata service.*PORTCULLIS_UPSTREAM_NETWORKS=any/);
});

it("names the IPv4 address an IPv6 address carries", () => {
  expect(blockedAddressMessage("64:ff9b::a9fe:a9fe", "64:ff9b::a9fe:a9fe", "private")).toBe(
    "64:ff9b::a9fe:a9fe, which carries the IPv4 address 169.254.169.254, is a cloud metadata service, and this Portcullis only connects to private addresses. An operator can allow it by starting Portcullis with PORTCULLIS_UPSTREAM_NETWORKS=any.",
  );
  expect(blockedAddressMessage("docs.example", "192.0.2.7", "public")).toMatch(/is a reserved address \(documentation, .*PORTCULLIS_UPSTREAM_NETWORKS=any\.$/);
});
