import { describe, expect, it } from "vitest";
import { blockedAddressMessage, classifyAddress, isAddressAllowed } from "@/lib/upstream/address-policy";

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
