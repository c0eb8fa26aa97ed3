/** What the mock model says. @public */
export interface MockReply {
  /** Assistant text. */
  readonly text?: string;
  /** Tool calls the assistant makes (stop reason becomes `tool_use`). */
  readonly toolUse?: readonly {
    readonly name: string;
    readonly input: unknown;
    readonly toolUseId?: string;
  }[];
  readonly stopReason?: "end_turn" | "tool_use" | "max_tokens" | "stop_sequence";
}

/** The Bedrock operations the mock serves. @public */
export type MockOperation =
  | "Converse"
  | "ConverseStream"
  | "InvokeModel"
  | "InvokeModelWithResponseStream"
  | "CountTokens";

/** What a responder knows about the request it answers. @public */
export interface ResponderContext {
  readonly operation: MockOperation;
  /** The model ID as sent. */
  readonly modelId: string;
  readonly accountId: string;
  readonly region: string;
  /** The parsed request (Converse input or InvokeModel body). */
  readonly request: unknown;
  /** 0-based index of this call on the mock. */
  readonly callIndex: number;
}

/** Produces the model's reply; return a promise to simulate work. @public */
export type Responder = (ctx: ResponderContext) => MockReply | Promise<MockReply>;

const words = [
  "cached",
  "prefix",
  "tokens",
  "reply",
  "bedrock",
  "mock",
  "answer",
  "request",
  "model",
  "context",
];

/** The default: a deterministic reply whose words depend only on the call index. @internal */
export const deterministicResponder: Responder = (ctx) => {
  let s = ctx.callIndex + 1;
  const out: string[] = [];
  for (let i = 0; i < 24; i++) {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    out.push(words[s % words.length]!);
  }
  return { text: `Mock reply ${ctx.callIndex + 1}: ${out.join(" ")}.` };
};
