/** A request as every front end hands it to the mock: raw (still percent-encoded) path, lower-case headers. @public */
export interface MockRequest {
  readonly method: string;
  /** Path and query exactly as received (`/model/us.anthropic.claude-sonnet-4-6%3A0/converse`). */
  readonly rawPath: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** The mock's answer: a complete body, or event-stream frames produced as the response is read. @public */
export interface MockResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array | AsyncIterable<Uint8Array>;
}
