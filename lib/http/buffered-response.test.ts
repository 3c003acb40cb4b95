import { describe, expect, it } from "vitest";
import { BufferedResponse, hasBody, takeBufferedBytes } from "@/lib/http/buffered-response";

const bytes = (text: string) => new Uint8Array(Buffer.from(text));
const make = (text: string | null = '{"ok":true}') =>
  new BufferedResponse(text === null ? null : bytes(text), { status: 201, headers: { "content-type": "application/json", "x-a": "1" } });

describe("BufferedResponse", () => {
  it("is a Response with its status and headers, read as text or JSON once", async () => {
    const response = make();
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.headers.get("x-a")).toBe("1");
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
    expect(takeBufferedBytes(response)).toBeUndefined();
  });

  it("hands its bytes to a writer once, after which the body is used", async () => {
    const response = make("abc");
    expect(hasBody(response)).toBe(true);
    expect(Buffer.from(takeBufferedBytes(response)!).toString()).toBe("abc");
    expect(takeBufferedBytes(response)).toBeUndefined();
    expect(response.bodyUsed).toBe(true);
    await expect(response.arrayBuffer()).rejects.toThrow(TypeError);
  });

  it("makes a stream only when its body is asked for, and then reads through it", async () => {
    const response = make("streamed");
    const reader = response.body!.getReader();
    const chunks: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    expect(Buffer.concat(chunks).toString()).toBe("streamed");
    expect(response.bodyUsed).toBe(true);
    // A writer must not send bytes the stream already gave out.
    expect(takeBufferedBytes(response)).toBeUndefined();
    await expect(response.text()).rejects.toThrow(TypeError);
  });

  it("clones into an independent response", async () => {
    const response = make("twice");
    const copy = response.clone();
    expect(await copy.text()).toBe("twice");
    expect(await response.text()).toBe("twice");
    expect(() => response.clone()).toThrow(TypeError);
  });

  it("has no body when made without bytes", async () => {
    const response = make(null);
    expect(hasBody(response)).toBe(false);
    expect(response.body).toBeNull();
    expect(await response.text()).toBe("");
  });

  it("is made from text as UTF-8", async () => {
    const response = BufferedResponse.fromText("héllo", { status: 200 });
    expect(Buffer.from(takeBufferedBytes(response)!).toString("utf8")).toBe("héllo");
  });

  it("leaves other responses alone", () => {
    const plain = new Response("x");
    expect(takeBufferedBytes(plain)).toBeUndefined();
    expect(hasBody(plain)).toBe(true);
    expect(hasBody(new Response(null))).toBe(false);
  });
});
