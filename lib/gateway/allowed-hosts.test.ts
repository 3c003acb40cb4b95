import { describe, expect, it } from "vitest";
import { gatewayAllowedHosts } from "@/lib/gateway/allowed-hosts";

describe("gatewayAllowedHosts", () => {
  it.each([
    { publicUrl: undefined, bind: "127.0.0.1", expected: ["localhost", "127.0.0.1", "::1"] },
    { publicUrl: undefined, bind: "::1", expected: ["localhost", "127.0.0.1", "::1"] },
    { publicUrl: undefined, bind: "0.0.0.0", expected: undefined },
    { publicUrl: "https://portcullis.example.com", bind: "0.0.0.0", expected: ["portcullis.example.com"] },
    { publicUrl: "https://Gate.Example:8443", bind: "0.0.0.0", expected: ["gate.example"] },
    { publicUrl: "http://[::1]:3000", bind: "::", expected: ["::1"] },
    { publicUrl: "https://portcullis.example.com", bind: "127.0.0.1", expected: ["portcullis.example.com", "localhost", "127.0.0.1", "::1"] },
  ])("public URL $publicUrl, bound to $bind", ({ publicUrl, bind, expected }) => {
    expect(gatewayAllowedHosts(publicUrl, bind)).toEqual(expected);
  });
});
