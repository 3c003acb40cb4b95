import { describe, expect, it } from "vitest";
import { jsonLdText } from "@/components/catalog/json-ld-text";

describe("jsonLdText", () => {
  it.each([
    ["a closing script tag", "Reads files.</script><script>alert(1)</script>"],
    ["a closing tag in any case", "</SCRIPT >"],
    ["an HTML comment opener", "<!-- <script>"],
    ["ampersands and entities", "Tom &amp; Jerry & co"],
    ["line and paragraph separators", "one\u2028two\u2029three"],
  ])("keeps %s from ending the block, and the JSON the same", (_label, description) => {
    const text = jsonLdText({ "@type": "SoftwareSourceCode", description });
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual({ "@type": "SoftwareSourceCode", description });
  });
});
