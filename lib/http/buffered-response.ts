// A web Response over bytes already in memory. The gateway's hot path reads each finite upstream answer into a
// buffer (lib/upstream/guarded-fetch.ts), hands it on as a Response, and writes it to node:http
// (lib/gateway/node-adapter.ts). A plain `new Response(bytes)` builds a ReadableStream around the bytes, and the
// writer then reads them back out of it: measured at saturation, that was about a seventh of the gateway process's
// CPU. This one keeps the bytes as they are: `takeBufferedBytes` gives them to a writer that knows the class, while
// everything else (`body`, `text()`, `json()`, `clone()`...) behaves as a normal Response (a stream is made only when
// `body` is asked for).

type Bytes = Uint8Array<ArrayBuffer>;

export class BufferedResponse extends Response {
  readonly #bytes: Bytes | null;
  #taken = false;
  #stream: Response | null = null;

  constructor(bytes: Bytes | null, init?: ResponseInit) {
    super(null, init);
    this.#bytes = bytes;
  }

  /** A response whose body is this text, in UTF-8. */
  static fromText(text: string, init?: ResponseInit): BufferedResponse {
    return new BufferedResponse(Buffer.from(text, "utf8"), init);
  }

  /** The same bytes as a normal Response, made once, the first time a stream (or a rare reader) is needed. */
  #materialize(): Response {
    if (this.#stream === null) {
      if (this.#taken) throw new TypeError("Body is unusable: it has already been read.");
      this.#stream = new Response(this.#bytes, { status: this.status, statusText: this.statusText, headers: this.headers });
    }
    return this.#stream;
  }

  #take(): Bytes {
    if (this.#taken || this.#stream?.bodyUsed) throw new TypeError("Body is unusable: it has already been read.");
    this.#taken = true;
    return this.#bytes ?? new Uint8Array(0);
  }

  /** The bytes, once, for a writer that sends them as they are; undefined when the body was read another way. */
  takeBytes(): Bytes | null | undefined {
    if (this.#taken || this.#stream !== null) return undefined;
    this.#taken = true;
    return this.#bytes;
  }

  /** The bytes to look at (not to send or keep), while they are still unread; undefined once read. */
  peekBytes(): Bytes | null | undefined {
    return this.#taken || this.#stream !== null ? undefined : this.#bytes;
  }

  /** Whether there is a body, without making a stream for it. */
  get hasBody(): boolean {
    return this.#bytes !== null;
  }

  override get body(): ReadableStream<Bytes> | null {
    return this.#bytes === null ? null : this.#materialize().body;
  }

  override get bodyUsed(): boolean {
    return this.#taken || (this.#stream?.bodyUsed ?? false);
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#stream !== null) return this.#stream.arrayBuffer();
    const bytes = this.#take();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  override async text(): Promise<string> {
    if (this.#stream !== null) return this.#stream.text();
    const bytes = this.#take();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  }

  override async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  override async blob(): Promise<Blob> {
    return this.#materialize().blob();
  }

  override async formData(): Promise<FormData> {
    return this.#materialize().formData();
  }

  override clone(): Response {
    if (this.bodyUsed) throw new TypeError("Body is unusable: it has already been read.");
    if (this.#stream !== null) {
      // A stream was handed out: clone through it, as a normal Response would.
      return this.#stream.clone();
    }
    return new BufferedResponse(this.#bytes, { status: this.status, statusText: this.statusText, headers: this.headers });
  }
}

/** Whether a response has a body; for a BufferedResponse, without making a stream for it. */
export function hasBody(response: Response): boolean {
  return response instanceof BufferedResponse ? response.hasBody : response.body !== null;
}

/** The bytes of a BufferedResponse not read yet (once); undefined for any other Response. */
export function takeBufferedBytes(response: Response): Bytes | null | undefined {
  return response instanceof BufferedResponse ? response.takeBytes() : undefined;
}
