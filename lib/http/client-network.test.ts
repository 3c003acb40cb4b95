import { describe, expect, it } from "vitest";
import { clientNetwork } from "@/lib/http/client-network";

describe("clientNetwork", () => {
  it.each([
    ["an IPv4 address is itself", "203.0.113.7", "203.0.113.7"],
    ["an IPv6 address counts as its /64", "2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"],
    ["the same /64 written another way", "2001:0DB8:0001:0002::1", "2001:db8:1:2::/64"],
    ["a /64 with zeros in it", "2001:db8::1", "2001:db8:0:0::/64"],
    ["loopback", "::1", "0:0:0:0::/64"],
    ["a zone and brackets are dropped", "[fe80::1%eth0]", "fe80:0:0:0::/64"],
    ["an IPv4-mapped address is its IPv4 address", "::ffff:198.51.100.9", "198.51.100.9"],
    ["a dotted tail elsewhere is still IPv6", "64:ff9b::192.0.2.33", "64:ff9b:0:0::/64"],
    ["not an address: its own bucket", "unknown", "unknown"],
  ])("%s", (_name, address, network) => {
    expect(clientNetwork(address)).toBe(network);
  });

  it("puts two hosts of one /64 together and another /64 apart", () => {
    expect(clientNetwork("2001:db8:5:6::a")).toBe(clientNetwork("2001:db8:5:6:ffff::b"));
    expect(clientNetwork("2001:db8:5:7::a")).not.toBe(clientNetwork("2001:db8:5:6::a"));
  });
});
