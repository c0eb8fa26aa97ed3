import { Readable } from "node:stream";
import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  InvokeModelCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { applyConversePlan, converseLayout, prepareConverse } from "@cachepoint/converse";
import { planCheckpoints, resolveModel } from "@cachepoint/core";
import { cachepoint } from "@cachepoint/invoke-model";
import { createMockRequestHandler, MockBedrock, mockCredentials } from "@cachepoint/mock-transport";
import { createMswHandlers } from "@cachepoint/mock-transport/msw";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { HttpResponse } from "@smithy/protocol-http";
import { mockClient } from "aws-sdk-client-mock";
import { setupServer } from "msw/node";
import { agentRequest, anthropicAgentBody, text } from "../agentRequests.js";
import { type Measured, measure, measurePaired, type PairedCost, table } from "../measure.js";
import { profileSends } from "../profileSends.js";

const repeats = (r: PairedCost) => r.repeats.map((x) => `${x.toFixed(1)}%`).join(", ");

const cannedBody = new TextEncoder().encode(
  JSON.stringify({
    output: { message: { role: "assistant", content: [{ text: "ok" }] } },
    stopReason: "end_turn",
    usage: {
      inputTokens: 10,
      outputTokens: 2,
      totalTokens: 12,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 0,
    },
    metrics: { latencyMs: 1 },
  }),
);

/** The cheapest possible transport: answers every request with the same bytes. */
const cannedHandler = (bytes: Uint8Array) => ({
  metadata: { handlerProtocol: "http/1.1" },
  async handle() {
    return {
      response: new HttpResponse({
        statusCode: 200,
        headers: { "content-type": "application/json", "x-amzn-requestid": "0" },
        body: Readable.from([Buffer.from(bytes)]),
      }),
    };
  },
  updateHttpClientConfig() {},
  httpHandlerConfigs: () => ({}),
  destroy() {},
});

/** The baseline transport for Converse. */
const trivialHandler = cannedHandler(cannedBody);

const client = (requestHandler: unknown, plugin = false, cacheMiddleware = false) => {
  const c = new BedrockRuntimeClient({
    region: "us-east-1",
    credentials: mockCredentials(),
    maxAttempts: 1,
    requestHandler: requestHandler as never,
    ...(cacheMiddleware && { cacheMiddleware }),
  });
  if (plugin) c.middlewareStack.use(cachepoint());
  return c;
};

function words(chars: number, seed: number): string {
  const w = ["cache", "prefix", "bedrock", "policy", "refund", "order", "model", "token"];
  let s = seed;
  let out = "";
  while (out.length < chars) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out += `${w[s % w.length]} `;
  }
  return out.slice(0, chars);
}

/** Distinct request objects with equal content, as a service builds them per call. */
function inputs(chars: number, n = 64): ConverseCommandInput[] {
  const system = words(chars, 7);
  return Array.from({ length: n }, (_, i) => ({
    modelId: "us.anthropic.claude-sonnet-4-6",
    system: [{ text: system.split("").join("") }],
    messages: [{ role: "user" as const, content: [{ text: `question ${i % 8}` }] }],
  }));
}

export async function overheadSuite(timeMs: number): Promise<{ markdown: string; summary: string }> {
  const sections: string[] = [];
  const summary: string[] = [];

  // 1. The plugin's client-side cost per call against the bare SDK, same trivial transport.
  const pluginRows: string[] = [];
  const full = timeMs >= 3000;
  const converseAdded = new Map<number, number>(); // prompt chars → µs the plugin added per call
  for (const chars of [1_000, 20_000, 400_000]) {
    const xs = inputs(chars);
    let i = 0;
    let j = 0;
    const bare = client(trivialHandler);
    const withPlugin = client(trivialHandler, true);
    const r = await measurePaired(
      () => bare.send(new ConverseCommand(xs[i++ % xs.length]!)),
      () => withPlugin.send(new ConverseCommand(xs[j++ % xs.length]!)),
      { calls: chars >= 400_000 ? (full ? 600 : 150) : full ? 10_000 : 800 },
    );
    converseAdded.set(chars, r.addedUs);
    pluginRows.push(
      `| ${chars.toLocaleString("en-US")} | ${r.baseUs.toFixed(1)} | ${r.addedUs.toFixed(1)} | ${r.pct.toFixed(1)}% (repeats ${repeats(r)}) ${r.pct < 5 ? "✓" : "✗"} |`,
    );
    summary.push(`plugin overhead at ${chars} chars: ${r.pct.toFixed(1)}% (repeats ${repeats(r)})`);
  }
  sections.push(`### The plugin's cost per call

\`client.send(new ConverseCommand(…))\` with and without \`cachepoint()\` on the same client type, both on a trivial
transport that returns canned bytes, so only client-side work is timed (serialisation, signing, middleware, and for
the plugin: reading the request, counting tokens — memoised per content — planning, writing the copy, reading usage,
pricing the call). Each call sends a distinct request object whose system prompt has equal content (as a service
builds them); at 1,000 characters the prompt is below the model's minimum, so nothing is cached and the request goes
out as it came. The two clients alternate call by call, each call timed on its own, and the cost the plugin adds is
the median of the differences between adjacent calls: a GC pause or a slow stretch of this shared machine then lands
on one call instead of a whole round of one side (comparing rounds of 100–200 calls, as earlier runs did, spread
its quartiles over ±6 points). Three repeats; the verdict is their median. Target: under 5%.

| prompt chars | bare SDK median µs | added by the plugin µs | overhead |
|---:|---:|---:|---:|
${pluginRows.join("\n")}
`);

  const invoke = await invokeModelOverhead(full);
  sections.push(invoke.markdown);
  sections.push(await withMedia(full));
  sections.push(await onAnAgent(full));
  sections.push(await onCachedChains(full, converseAdded, invoke.added));
  sections.push(await whereTheOverheadGoes(timeMs));
  sections.push(
    await profiledInTheSdk(full, {
      converse1k: converseAdded.get(1_000)!,
      invoke20k: invoke.added.get(20_000)!,
    }),
  );

  // 2. The mock against the baseline, msw and aws-sdk-client-mock (20k chars).
  const xs = inputs(20_000);
  const counters = [0, 0, 0, 0];
  const mock = new MockBedrock({ maxEntries: 1000, maxCalls: 100 });
  const mswMock = new MockBedrock({ maxEntries: 1000, maxCalls: 100 });
  const server = setupServer(...createMswHandlers(mswMock));
  server.listen({ onUnhandledRequest: "error" });
  const plainSdk = client(trivialHandler);
  const viaMock = client(createMockRequestHandler(mock));
  const viaMsw = client(new NodeHttpHandler());
  const stubbed = new BedrockRuntimeClient({ region: "us-east-1", credentials: mockCredentials() });
  const stub = mockClient(stubbed);
  stub.on(ConverseCommand).resolves(JSON.parse(new TextDecoder().decode(cannedBody)));
  let rows: Measured[];
  try {
    rows = await measure(
      [
        {
          name: "SDK + trivial static handler (baseline)",
          fn: () => plainSdk.send(new ConverseCommand(xs[counters[0]!++ % xs.length]!)),
        },
        {
          name: "SDK + cachepoint mock requestHandler",
          fn: () => viaMock.send(new ConverseCommand(xs[counters[1]!++ % xs.length]!)),
        },
        {
          name: "SDK + NodeHttpHandler + msw + cachepoint mock",
          fn: () => viaMsw.send(new ConverseCommand(xs[counters[2]!++ % xs.length]!)),
        },
        {
          name: "aws-sdk-client-mock (stubs send: no serialisation, no cache)",
          fn: () => stubbed.send(new ConverseCommand(xs[counters[3]!++ % xs.length]!)),
        },
      ],
      timeMs,
    );
  } finally {
    server.close();
    stub.restore();
  }
  const pair = await measurePaired(
    () => plainSdk.send(new ConverseCommand(xs[counters[0]!++ % xs.length]!)),
    () => viaMock.send(new ConverseCommand(xs[counters[1]!++ % xs.length]!)),
    { calls: full ? 6_000 : 600 },
  );
  const ratio = 1 + pair.pct / 100;
  summary.push(`mock requestHandler vs trivial handler: ${ratio.toFixed(2)}×`);
  sections.push(`### The mock against other ways to fake Bedrock (20,000-character Converse request)

The mock parses the request, reads it into a layout, checks Bedrock's caching rules, runs the cache simulator and
builds a real response. Target for the in-process handler: at most 1.25 × the trivial handler.
\`aws-sdk-client-mock\` replaces \`client.send\` itself, so it skips serialisation and knows nothing of caching:
it is faster because it does less, and its ratio is reported as measured.

${table(rows)}

In-process mock / trivial handler, call by call: **${ratio.toFixed(2)}×** (repeats: ${pair.repeats.map((x) => (1 + x / 100).toFixed(2)).join(", ")}) ${ratio <= 1.25 ? "✓" : "✗"}.
`);
  return { markdown: `## Overhead\n\n${sections.join("\n")}`, summary: summary.join("\n") };
}

const anthropicResponse = new TextEncoder().encode(
  JSON.stringify({
    id: "msg",
    type: "message",
    role: "assistant",
    content: [{ type: "text", text: "ok" }],
    stop_reason: "end_turn",
    usage: { input_tokens: 10, output_tokens: 2, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
  }),
);

/** The baseline transport for InvokeModel: an Anthropic Messages body. */
const trivialAnthropicHandler = cannedHandler(anthropicResponse);

/** The plugin on InvokeModel with an Anthropic body (JSON text), against the bare SDK sending the same text. */
async function invokeModelOverhead(full: boolean): Promise<{ markdown: string; added: Map<number, number> }> {
  const added = new Map<number, number>(); // prompt chars → µs the plugin added per call
  const rows: string[] = [];
  const misses: string[] = [];
  for (const chars of [1_000, 20_000, 400_000]) {
    const xs = anthropicBodies(chars);
    const own = anthropicBodies(chars, true);
    // The same bodies as UTF-8 bytes (a Buffer or Uint8Array body, as many callers pass one).
    const asBytes = xs.map((x) => new TextEncoder().encode(x));
    const bare = client(trivialAnthropicHandler);
    const withPlugin = client(trivialAnthropicHandler, true);
    // For scale: a middleware that does nothing but JSON.parse the body, the least any reader of it does.
    const parseOnly = client(trivialAnthropicHandler);
    parseOnly.middlewareStack.add(
      (next) => async (args) => {
        JSON.parse((args.input as { body: string }).body);
        return next(args);
      },
      { step: "initialize", name: "parseOnly" },
    );
    let i = 0;
    let j = 0;
    let k = 0;
    const send = (c: BedrockRuntimeClient, body: string | Uint8Array) =>
      c.send(new InvokeModelCommand({ modelId: "us.anthropic.claude-sonnet-4-6", body }));
    const calls = chars >= 400_000 ? (full ? 600 : 150) : full ? 6_000 : 600;
    const r = await measurePaired(
      () => send(bare, xs[i++ % xs.length]!),
      () => send(withPlugin, xs[j++ % xs.length]!),
      { calls },
    );
    const parsed = await measurePaired(
      () => send(bare, xs[i++ % xs.length]!),
      () => send(parseOnly, xs[k++ % xs.length]!),
      { calls },
    );
    const ownR = await measurePaired(
      () => send(bare, own[i++ % own.length]!),
      () => send(withPlugin, own[j++ % own.length]!),
      { calls },
    );
    const bytesR = await measurePaired(
      () => send(bare, asBytes[i++ % asBytes.length]!),
      () => send(withPlugin, asBytes[j++ % asBytes.length]!),
      { calls },
    );
    added.set(chars, r.addedUs);
    rows.push(
      `| ${chars.toLocaleString("en-US")} | ${r.baseUs.toFixed(1)} | ${r.addedUs.toFixed(1)} | ${r.pct.toFixed(1)}% (repeats ${repeats(r)}) ${r.pct < 5 ? "✓" : "✗"} | ${parsed.pct.toFixed(1)}% | ${ownR.addedUs.toFixed(1)} µs, ${ownR.pct.toFixed(1)}% | ${bytesR.addedUs.toFixed(1)} µs, ${bytesR.pct.toFixed(1)}% |`,
    );
    if (r.pct >= 5) misses.push(chars.toLocaleString("en-US"));
  }
  return {
    added,
    markdown: `### The same for InvokeModel (an Anthropic Messages body as JSON text)

The bare SDK sends an InvokeModel body as the text it is given (and encodes it to bytes on the way); the plugin has
to parse it to read it (without decoding its long strings, which it reads as slices of the text; an Anthropic body
message by message, a message it has read before placed from memory) and writes the plan
into the body's own text, inserting \`cache_control\` where it goes, never re-serialising the body. An ASCII body is
written straight into bytes, which the SDK sends without encoding them again: building a new large string would cost
more than the plugin's whole work. A middleware that does nothing but \`JSON.parse\` the body shows, for scale, what
reading the body the plain way costs, before planning or writing anything. A body that carries its own
\`cache_control\` is written the same way: checkpoints the plan keeps stay as they are, one it moves is rewritten or
removed in place (the caller's own checkpoint on the system prompt, against the bare SDK sending that body). A body
given as bytes is read where it lies, its long strings decoded once per content, and written into at byte positions
(the same bodies as UTF-8 bytes, against the bare SDK sending those bytes). ${
      misses.length === 0
        ? "Target under 5%: met."
        : `Target under 5%: missed at ${misses.join(" and ")} characters.`
    }

| prompt chars | bare SDK median µs | added by the plugin µs | overhead | a JSON.parse of the body alone | with its own cache_control: added | as bytes: added |
|---:|---:|---:|---:|---:|---:|---:|
${rows.join("\n")}
`,
  };
}

/** Anthropic Messages bodies for InvokeModel with the same prompts as {@link inputs}. */
const anthropicBodies = (chars: number, ownCheckpoint = false): string[] =>
  inputs(chars).map((x) =>
    JSON.stringify({
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 256,
      system: ownCheckpoint
        ? [{ type: "text", text: x.system![0]!.text, cache_control: { type: "ephemeral" } }]
        : x.system![0]!.text,
      messages: [{ role: "user", content: x.messages![0]!.content![0]!.text }],
    }),
  );

/**
 * Requests that carry a large image or document, sent with every call as such applications do: the plugin identifies
 * the media by content (a remembered fingerprint confirmed by one memory comparison), never by hashing it again.
 */
async function withMedia(full: boolean): Promise<string> {
  const megabyte = new Uint8Array(1_000_000);
  for (let k = 0; k < megabyte.length; k++) megabyte[k] = (k * 31 + (k >> 10)) & 255;
  const converse = (): ConverseCommandInput => ({
    modelId: "us.anthropic.claude-sonnet-4-6",
    messages: [
      {
        role: "user",
        content: [
          { document: { format: "pdf", name: "contract", source: { bytes: megabyte } } },
          { text: "What is the notice period?" },
        ],
      },
    ],
  });
  const image = Buffer.from(megabyte).toString("base64");
  const anthropic = JSON.stringify({
    anthropic_version: "bedrock-2023-05-31",
    max_tokens: 256,
    messages: [
      {
        role: "user",
        content: [
          { type: "image", source: { type: "base64", media_type: "image/png", data: image } },
          { type: "text", text: "What does the chart show?" },
        ],
      },
    ],
  });
  const calls = full ? 400 : 100;
  const rows: string[] = [];
  const bare = client(trivialHandler);
  const withPlugin = client(trivialHandler, true);
  const c = await measurePaired(
    () => bare.send(new ConverseCommand(converse())),
    () => withPlugin.send(new ConverseCommand(converse())),
    { calls },
  );
  rows.push(
    `| Converse, a 1 MB PDF as bytes | ${c.baseUs.toFixed(0)} | ${c.addedUs.toFixed(0)} | ${c.pct.toFixed(1)}% (repeats ${repeats(c)}) |`,
  );
  const bareI = client(trivialAnthropicHandler);
  const pluginI = client(trivialAnthropicHandler, true);
  const send = (x: BedrockRuntimeClient) =>
    x.send(new InvokeModelCommand({ modelId: "us.anthropic.claude-sonnet-4-6", body: anthropic }));
  const i = await measurePaired(
    () => send(bareI),
    () => send(pluginI),
    { calls },
  );
  rows.push(
    `| InvokeModel, a 1 MB image as base64 in an Anthropic body (text) | ${i.baseUs.toFixed(0)} | ${i.addedUs.toFixed(0)} | ${i.pct.toFixed(1)}% (repeats ${repeats(i)}) |`,
  );
  return `### With a large image or document

The same comparison for requests that carry 1 MB of media with every call, as document and image applications send
them: the plugin identifies the media by content (a fingerprint remembered per content and confirmed by one memory
comparison), so it neither hashes nor copies it again on each call.

| request | bare SDK median µs | added by the plugin µs | overhead |
|---|---:|---:|---:|
${rows.join("\n")}
`;
}

/**
 * An agent's request after 100 steps (a tool call and its result per step), sent as agents send it: a new messages
 * array each step holding the same message objects as before (Converse), or the whole body as new JSON text
 * (InvokeModel). For scale, a middleware that only `JSON.stringify`s the Converse input.
 */
async function onAnAgent(full: boolean): Promise<string> {
  const agent = agentRequest();
  // Every call is a new step: the history so far (the same message objects, or the same text) and a last tool result
  // never sent before.
  let step = 0;
  const output = () => `${text(149, 250)} (run ${step++})`;
  const history = agent.messages!.slice(0, -1);
  const converse = (): ConverseCommandInput => ({
    ...agent,
    messages: [
      ...history,
      { role: "user", content: [{ toolResult: { toolUseId: "t49", content: [{ text: output() }] } }] },
    ],
  });
  const body = anthropicAgentBody();
  const head = body.slice(0, body.lastIndexOf('{"role":"user"'));
  const invokeBody = () =>
    `${head}${JSON.stringify({ role: "user", content: [{ type: "tool_result", tool_use_id: "t49", content: [{ type: "text", text: output() }] }] })}]}`;
  const calls = full ? 1_500 : 200;
  const bare = client(trivialHandler);
  const withPlugin = client(trivialHandler, true);
  const stringifyOnly = client(trivialHandler);
  stringifyOnly.middlewareStack.add(
    (next) => async (args) => {
      JSON.stringify(args.input);
      return next(args);
    },
    { step: "initialize", name: "stringifyOnly" },
  );
  const c = await measurePaired(
    () => bare.send(new ConverseCommand(converse())),
    () => withPlugin.send(new ConverseCommand(converse())),
    { calls },
  );
  const s = await measurePaired(
    () => bare.send(new ConverseCommand(converse())),
    () => stringifyOnly.send(new ConverseCommand(converse())),
    { calls },
  );
  const bareI = client(trivialAnthropicHandler);
  const pluginI = client(trivialAnthropicHandler, true);
  const send = (x: BedrockRuntimeClient) =>
    x.send(new InvokeModelCommand({ modelId: "us.anthropic.claude-sonnet-4-6", body: invokeBody() }));
  const i = await measurePaired(
    () => send(bareI),
    () => send(pluginI),
    { calls },
  );
  const row = (name: string, r: PairedCost) =>
    `| ${name} | ${r.baseUs.toFixed(0)} | ${r.addedUs.toFixed(0)} | ${r.pct.toFixed(1)}% (repeats ${repeats(r)}) |`;
  return `### On an agent's request

A request after 100 agent steps (a tool call and a ~1,700-character result per step, a 13,600-character system
prompt, one tool: 103 blocks), sent the way agents send it, each call with a last tool result never sent before:
through Converse, a new messages array each step that holds the same message objects as before; through
InvokeModel, the whole body as new JSON text.
Through Converse the plugin reads every block on every call (a tool call's input is serialised to be counted and
identified: about 1 µs each), so its cost grows with the blocks where the SDK's grows with the bytes; for scale, a
middleware that does nothing but \`JSON.stringify\` the Converse input. Through InvokeModel it finds each message's
text in the body and parses only the messages it has not read before (here the last), so most of its cost is the
scan of the body and the comparisons that recognise the earlier messages.

| request | bare SDK median µs | added µs | overhead |
|---|---:|---:|---:|
${row("Converse, 100-step agent", c)}
${row("the same, a middleware that only JSON.stringify's the input", s)}
${row("InvokeModel, the same agent as an Anthropic body (text)", i)}
`;
}

/**
 * The same comparison on clients created with `cacheMiddleware: true`, the SDK's documented option to resolve the
 * middleware stack once per command class instead of on every send: what the SDK saves itself, and what the
 * plugin adds on such a client.
 */
async function onCachedChains(
  full: boolean,
  converseDefault: ReadonlyMap<number, number>,
  invokeDefault: ReadonlyMap<number, number>,
): Promise<string> {
  const calls = (chars: number) => (chars >= 400_000 ? (full ? 600 : 150) : full ? 3_000 : 400);
  const sizes = full ? [1_000, 20_000, 400_000] : [20_000];
  const rows: string[] = [];
  const xs20k = inputs(20_000);
  let a = 0;
  let b = 0;
  const plain = client(trivialHandler);
  const cached = client(trivialHandler, false, true);
  const saved = await measurePaired(
    () => plain.send(new ConverseCommand(xs20k[a++ % xs20k.length]!)),
    () => cached.send(new ConverseCommand(xs20k[b++ % xs20k.length]!)),
    { calls: calls(20_000) },
  );
  for (const chars of sizes) {
    const xs = inputs(chars);
    const bodies = anthropicBodies(chars);
    const bare = client(trivialHandler, false, true);
    const withPlugin = client(trivialHandler, true, true);
    const bareInvoke = client(trivialAnthropicHandler, false, true);
    const invokeWithPlugin = client(trivialAnthropicHandler, true, true);
    let i = 0;
    let j = 0;
    const converse = await measurePaired(
      () => bare.send(new ConverseCommand(xs[i++ % xs.length]!)),
      () => withPlugin.send(new ConverseCommand(xs[j++ % xs.length]!)),
      { calls: calls(chars) },
    );
    const send = (c: BedrockRuntimeClient, body: string) =>
      c.send(new InvokeModelCommand({ modelId: "us.anthropic.claude-sonnet-4-6", body }));
    const invoke = await measurePaired(
      () => send(bareInvoke, bodies[i++ % bodies.length]!),
      () => send(invokeWithPlugin, bodies[j++ % bodies.length]!),
      { calls: calls(chars) },
    );
    const cell = (r: PairedCost, onDefault: number | undefined) =>
      `${onDefault === undefined ? "" : onDefault.toFixed(1)} | ${r.addedUs.toFixed(1)} | ${r.pct.toFixed(1)}% (repeats ${repeats(r)}) ${r.pct < 5 ? "✓" : "✗"}`;
    rows.push(
      `| ${chars.toLocaleString("en-US")} | ${cell(converse, converseDefault.get(chars))} | ${cell(invoke, invokeDefault.get(chars))} |`,
    );
  }
  return `### On clients with \`cacheMiddleware: true\`

Without it the SDK sorts and links its middleware stack again on every \`send\`; with it (a documented client option,
off by default) it does so once per command class. On a 20,000-character Converse request that saves the bare SDK
**${(-saved.addedUs).toFixed(0)} µs a call** (${(-saved.pct).toFixed(1)}%; repeats ${repeats(saved)}). What the plugin adds is measured here
against a bare client that also caches its stack, call by call as above, next to what it added on default clients
in the tables above (same run, earlier). The percentages are of a faster bare send. Add the plugin before the
first \`send\`: the SDK ignores middleware added to such a client after it.

| prompt chars | Converse: added µs on a default client | on a caching client | overhead | InvokeModel: added µs on a default client | on a caching client | overhead |
|---:|---:|---:|---:|---:|---:|---:|
${rows.join("\n")}
`;
}

/**
 * The plugin's own functions, sampled inside `client.send`: which of cachepoint's code the added time is spent in,
 * for the rows that miss the target (Converse below the minimum, InvokeModel at 20,000 characters).
 */
async function profiledInTheSdk(
  full: boolean,
  added: { converse1k: number; invoke20k: number },
): Promise<string> {
  const calls = full ? 20_000 : 2_000;
  const cases = [
    {
      name: "Converse, 1,000 characters (below the minimum: read, found too small, reported)",
      added: added.converse1k,
      send: (() => {
        const c = client(trivialHandler, true);
        const xs = inputs(1_000);
        let i = 0;
        return () => c.send(new ConverseCommand(xs[i++ % xs.length]!));
      })(),
    },
    {
      name: "InvokeModel, 20,000 characters (parsed, planned, written into the body's bytes, usage read)",
      added: added.invoke20k,
      send: (() => {
        const c = client(trivialAnthropicHandler, true);
        const bodies = anthropicBodies(20_000);
        let i = 0;
        return () =>
          c.send(
            new InvokeModelCommand({
              modelId: "us.anthropic.claude-sonnet-4-6",
              body: bodies[i++ % bodies.length]!,
            }),
          );
      })(),
    },
  ];
  const parts: string[] = [];
  for (const k of cases) {
    for (let w = 0; w < (full ? 2_000 : 500); w++) await k.send();
    const p = await profileSends(k.send, calls);
    const top = p.functions.slice(0, 8);
    parts.push(`**${k.name}**: ${p.total.toFixed(1)} µs of cachepoint's own code per call, against ${k.added.toFixed(1)} µs the plugin added per call above (${((100 * p.total) / k.added).toFixed(0)}%), of which

| function | file | µs per call | share |
|---|---|---:|---:|
${top.map((f) => `| \`${f.name}\` | ${f.file} | ${f.usPerCall.toFixed(2)} | ${((100 * f.usPerCall) / p.total).toFixed(0)}% |`).join("\n")}
`);
  }
  return `### Where the time goes inside the SDK, by function (sampled)

V8's sampling profiler (every 100 µs, ${calls.toLocaleString("en-US")} plugin calls per case) attributes each sample to the
function running; this sums the samples that fall in cachepoint's own built code, per call, and compares it with
what the plugin added per call in the rows above. Its own code is slow here, several times what the same code takes
called alone in a loop, because the SDK's work between calls evicts it from the caches; what the total does not cover
is being a middleware at all (the no-op row) and the SDK running slower around it. The profiler slows everything a
little, so the shares say more than the microseconds.

${parts.join("\n")}`;
}

/** Busy-waits for `us` microseconds without allocating: a CPU cost of known size. */
function spin(us: number): void {
  const end = performance.now() + us / 1000;
  while (performance.now() < end) {
    // nothing: only time passes
  }
}

/**
 * Splits the plugin's in-SDK overhead at 20,000 characters: what any middleware costs, what a known amount of
 * plain CPU costs, and what the plugin's own middleware costs when called alone with a stub next.
 */
async function whereTheOverheadGoes(timeMs: number): Promise<string> {
  const xs = inputs(20_000);
  const calls = timeMs >= 3000 ? 6_000 : 400; // the quick run (`pnpm bench`) must stay under 3 minutes
  const bare = client(trivialHandler);
  let i = 0;
  const bareSend = () => bare.send(new ConverseCommand(xs[i++ % xs.length]!));
  const withHook = (hook: (input: ConverseCommandInput) => ConverseCommandInput | undefined) => {
    const c = client(trivialHandler);
    c.middlewareStack.add(
      (next) => async (args) =>
        next({ ...args, input: hook(args.input as ConverseCommandInput) ?? args.input }),
      { step: "initialize", name: "part" },
    );
    let n = 0;
    return () => c.send(new ConverseCommand(xs[n++ % xs.length]!));
  };
  // The same requests with the plugin's checkpoints already in them, sent by a bare client: what the SDK itself
  // spends on the extra blocks.
  const placed = xs.map((x) => prepareConverse(x).request);
  const handPlaced = client(trivialHandler);
  let h = 0;
  const withPlugin = client(trivialHandler, true);
  let k = 0;
  const cases: [string, () => Promise<unknown>][] = [
    ["a no-op initialize middleware", withHook(() => undefined)],
    [
      "8 µs of plain CPU (busy wait, no allocation) in a middleware",
      withHook(() => {
        spin(8);
        return undefined;
      }),
    ],
    [
      "no plugin: the request with the plugin's checkpoints already in it (the SDK's own cost of sending them)",
      () => handPlaced.send(new ConverseCommand(placed[h++ % placed.length]!)),
    ],
    [
      "reading the request (converseLayout) in a middleware",
      withHook((input) => {
        converseLayout(input);
        return undefined;
      }),
    ],
    [
      "prepareConverse (read, plan, write) in a middleware",
      withHook((input) => prepareConverse(input).request),
    ],
    [
      "prepareConverse twice in a middleware (the second time: the same work, its code and data just used)",
      withHook((input) => {
        prepareConverse(input);
        return prepareConverse(input).request;
      }),
    ],
    [
      "the plugin (also: report, usage, cost)",
      () => withPlugin.send(new ConverseCommand(xs[k++ % xs.length]!)),
    ],
  ];
  const rows: string[] = [];
  const pcts: number[] = [];
  const added: number[] = [];
  for (const [name, fn] of cases) {
    const r = await measurePaired(bareSend, fn, { calls, repeats: 3 });
    pcts.push(r.pct);
    added.push(r.addedUs);
    rows.push(
      `| ${name} | ${r.baseUs.toFixed(0)} | ${r.addedUs.toFixed(1)} | ${r.pct.toFixed(1)}% (${repeats(r)}) |`,
    );
  }
  // The plugin's middleware alone: same inputs, a \`next\` that returns a canned output at once.
  let middleware: ((next: unknown, context: unknown) => (args: unknown) => Promise<unknown>) | undefined;
  cachepoint().applyToStack({ add: (m: unknown) => (middleware = m as typeof middleware) } as never);
  const canned = JSON.parse(new TextDecoder().decode(cannedBody)) as Record<string, unknown>;
  const handler = middleware!(async () => ({ output: { ...canned, $metadata: {} }, response: {} }), {
    commandName: "ConverseCommand",
  });
  let j = 0;
  const [alone] = await measure(
    [{ name: "plugin middleware alone", fn: () => handler({ input: xs[j++ % xs.length] }) }],
    timeMs,
  );
  const steps = await stepsInAndOutOfTheSdk(xs, timeMs);
  const [noop, spun, sdkOwn, , once, twice, plugin] = pcts as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [noopUs, spunUs] = added as [number, number];
  return `### Where the plugin's overhead goes (20,000 characters)

Each row is a client that differs from the bare one in one way, measured against it call by call as above (the
median bare send and the µs added in the middle repeat; the percentage with all three repeats). The machine's speed
drifts between rows (compare the bare sends), so compare percentages, not microseconds:

| added to a bare send | bare µs | added µs | overhead |
|---|---:|---:|---:|
${rows.join("\n")}

Of the plugin's ${plugin.toFixed(1)}%, about ${sdkOwn.toFixed(1)} points are the SDK serialising the checkpoint blocks the plugin adds
(any request that caches pays them, placed by hand or not) and about ${noop.toFixed(1)} being a middleware at all; its own work is
what is left. Called alone in a loop (stub \`next\`, same inputs) the plugin's middleware takes **${alone!.medianUs.toFixed(1)} µs**;
inside the SDK its work costs several times that, while 8 µs of busy waiting, which touches almost no memory, added
${(spunUs - noopUs).toFixed(1)} µs over the no-op middleware (${(spun - noop).toFixed(1)} points). Each step
timed directly (\`performance.now()\` around it, µs per call, after warm-up), in a tight loop of its own and inside
\`client.send\` (as an initialize middleware, with the SDK's work in between calls):

| step | alone µs | inside the SDK µs | × |
|---|---:|---:|---:|
${steps.rows}

Between SDK calls the plugin's code and data are no longer in the CPU's caches and predictors (${steps.alone.toFixed(1)} → ${steps.inSdk.toFixed(1)} µs
for the four steps). The rows above say the same from outside: read, plan and write once cost ${(once - noop).toFixed(1)} points over a
no-op middleware, and the same work a second time in the same middleware, right after the first, ${(twice - once).toFixed(1)} more
(points, because the machine's speed drifts between rows). So the way down is less code and data on the per-call
path, not a faster hook.
`;
}

/** Times the plugin's steps one by one, in a tight loop and inside SDK calls: how much dearer each gets in context. */
async function stepsInAndOutOfTheSdk(
  xs: ConverseCommandInput[],
  timeMs: number,
): Promise<{ rows: string; alone: number; inSdk: number }> {
  const names = ["resolveModel", "converseLayout", "planCheckpoints", "applyConversePlan"];
  const acc = new Float64Array(4);
  let n = 0;
  const timed = (input: ConverseCommandInput): ConverseCommandInput => {
    const t0 = performance.now();
    const model = resolveModel(input.modelId!);
    const t1 = performance.now();
    const { layout } = converseLayout(input);
    const t2 = performance.now();
    const plan = planCheckpoints(layout, model);
    const t3 = performance.now();
    const out = applyConversePlan(input, plan, { rules: model.rules, layout });
    const t4 = performance.now();
    acc[0]! += t1 - t0;
    acc[1]! += t2 - t1;
    acc[2]! += t3 - t2;
    acc[3]! += t4 - t3;
    n++;
    return out;
  };
  const perCall = () => Array.from(acc, (t) => (t * 1000) / n);
  const calls = Math.max(1000, Math.round(timeMs * 5));
  for (let i = 0; i < calls; i++) timed(xs[i % xs.length]!); // warm-up
  acc.fill(0);
  n = 0;
  for (let i = 0; i < calls; i++) timed(xs[i % xs.length]!);
  const alone = perCall();
  const c = client(trivialHandler);
  c.middlewareStack.add(
    (next) => async (args) => next({ ...args, input: timed(args.input as ConverseCommandInput) }),
    { step: "initialize", name: "timedSteps" },
  );
  for (let i = 0; i < calls; i++) await c.send(new ConverseCommand(xs[i % xs.length]!)); // warm-up
  acc.fill(0);
  n = 0;
  for (let i = 0; i < calls; i++) await c.send(new ConverseCommand(xs[i % xs.length]!));
  const inSdk = perCall();
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const rows = names.map(
    (name, k) =>
      `| ${name} | ${alone[k]!.toFixed(2)} | ${inSdk[k]!.toFixed(2)} | ${(inSdk[k]! / alone[k]!).toFixed(1)} |`,
  );
  rows.push(
    `| **all four** | ${sum(alone).toFixed(2)} | ${sum(inSdk).toFixed(2)} | ${(sum(inSdk) / sum(alone)).toFixed(1)} |`,
  );
  return { rows: rows.join("\n"), alone: sum(alone), inSdk: sum(inSdk) };
}
