import { isIPv4, isIPv6 } from "node:net";

/**
 * The network a per-client limit counts an address in: an IPv4 address itself, an IPv6 address's /64. One host is
 * usually given a whole /64, so counting single IPv6 addresses would let it through with a fresh address each time.
 * Anything that is not an address (such as "unknown") is a bucket of its own.
 */
export function clientNetwork(address: string): string {
  const plain = address.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  if (isIPv4(plain) || !isIPv6(plain)) return plain.slice(0, 64);
  const groups = ipv6Groups(plain);
  // An IPv4 address written as IPv6 (::ffff:192.0.2.1) is that IPv4 address.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join(".");
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const split = (part: string | undefined) => (part ? part.split(":") : []);
  const groups =
    tail === undefined ? split(head) : [...split(head), ...Array<string>(8 - split(head).length - split(tail).length).fill("0"), ...split(tail)];
  return groups.map((g) => parseInt(g, 16));
}
