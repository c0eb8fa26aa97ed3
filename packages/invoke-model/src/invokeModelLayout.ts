import { converseLayout, type ReadResult } from "@cachepoint/converse";
import {
  type BlockKind,
  base64ByteLength,
  CachepointError,
  contentFingerprint,
  type Diagnostic,
  defaultTokenCounter,
  describeContent,
  type ExistingCheckpoint,
  estimateMediaTokens,
  jsonDepth,
  type LayoutBlock,
  maxJsonDepth,
  type Section,
  type TokenCounter,
  type Ttl,
} from "@cachepoint/core";
import { bytesOf, unreadableBody } from "./byteBody.js";
import { isObj, type Json, stableJson } from "./json.js";
import { parseJsonText } from "./parseJsonText.js";
import { utf8Decoder } from "./utf8.js";

/** A text part with nothing but its type, its text and perhaps a checkpoint. */
function isPlainText(c: Json): boolean {
  for (const k in c) if (k !== "type" && k !== "text" && k !== "cache_control") return false;
  return true;
}

/** The InvokeModel body formats cachepoint knows. @public */
export type BodyFormat = "anthropic" | "nova" | "legacy-text-completion" | "unknown";

/**
 * Parses an InvokeModel body as the SDK accepts it (string; bytes as a `Uint8Array`, `Buffer`, other typed array,
 * `DataView` or `ArrayBuffer`; or an already-parsed object).
 * @throws CachepointError `malformed-request` when it is not JSON, or is a stream or `Blob` (which can only be
 * read by consuming it).
 * @public
 */
export function parseBody(body: unknown): unknown {
  const bytes = bytesOf(body);
  if (typeof body === "string" || bytes) {
    const text = typeof body === "string" ? body : utf8Decoder.decode(bytes);
    try {
      return parseJsonText(text);
    } catch (e) {
      throw new CachepointError(
        "malformed-request",
        `The InvokeModel body is not valid JSON (${(e as Error).message}).`,
        { cause: e },
      );
    }
  }
  const unreadable = unreadableBody(body);
  if (unreadable) throw new CachepointError("malformed-request", unreadable);
  return body;
}

/**
 * Which body format a parsed InvokeModel body is. The model's provider breaks ties (a body with
 * `messages` is Anthropic for `anthropic.*` and Nova for `amazon.*`).
 * @public
 */
export function detectBodyFormat(body: unknown, provider?: string): BodyFormat {
  if (!isObj(body)) return "unknown";
  if (typeof body.prompt === "string" && body.messages === undefined) {
    return provider === undefined || provider === "anthropic" ? "legacy-text-completion" : "unknown";
  }
  if (!Array.isArray(body.messages) && body.system === undefined) return "unknown";
  if (typeof body.anthropic_version === "string") return "anthropic";
  if (body.schemaVersion !== undefined || isObj(body.inferenceConfig) || isObj(body.toolConfig))
    return "nova";
  if (provider === "anthropic") return "anthropic";
  if (provider === "amazon") return "nova";
  // Shape: Anthropic blocks carry "type"; Nova content objects do not.
  const first =
    Array.isArray(body.messages) && isObj(body.messages[0]) ? body.messages[0].content : undefined;
  if (typeof first === "string") return "anthropic";
  if (Array.isArray(first) && isObj(first[0])) return "type" in first[0] ? "anthropic" : "nova";
  return "unknown";
}

const anthropicKinds: Record<string, BlockKind> = {
  text: "text",
  image: "image",
  document: "document",
  tool_use: "toolUse",
  server_tool_use: "toolUse",
  tool_result: "toolResult",
  web_search_tool_result: "toolResult",
  thinking: "reasoning",
  redacted_thinking: "reasoning",
  search_result: "searchResult",
};

/** Options for {@link invokeModelLayout}. @public */
export interface InvokeModelLayoutOptions {
  counter?: TokenCounter;
  /** The model's provider (`anthropic`, `amazon`), to tell formats apart. */
  provider?: string;
}

/**
 * Reads an InvokeModel body into a {@link PromptLayout}: Anthropic Messages bodies (`cache_control` on
 * blocks, string `system`/`content` as one text block), Nova bodies (`cachePoint` keys on content objects)
 * and legacy text-completion bodies (`prompt: "Human: …"`), which cannot cache. Unknown formats return an
 * empty layout with format `unknown`.
 * @public
 */
export function invokeModelLayout(
  body: unknown,
  options: InvokeModelLayoutOptions = {},
): ReadResult & { format: BodyFormat } {
  const parsed = parseBody(body);
  if (jsonDepth(parsed, maxJsonDepth) > maxJsonDepth) {
    throw new CachepointError(
      "malformed-request",
      `The body nests JSON more than ${maxJsonDepth} levels deep; flatten it (Bedrock refuses such input as malformed).`,
    );
  }
  const format = detectBodyFormat(parsed, options.provider);
  const counter = options.counter ?? defaultTokenCounter();
  if (format === "nova") {
    const r = converseLayout(parsed, { counter, cachePointStyle: "key" });
    return { ...r, format };
  }
  if (format === "legacy-text-completion") {
    const p = parsed as Json;
    const prompt = p.prompt as string;
    return {
      format,
      problems: [],
      layout: {
        format,
        blocks: [
          {
            section: "messages",
            kind: "text",
            path: "prompt",
            tokens: counter.count(prompt),
            fingerprint: contentFingerprint(prompt),
            messageIndex: 0,
            role: "user",
          },
        ],
        checkpoints:
          p.cache_control !== undefined
            ? [{ afterBlock: 0, ttl: undefined, path: "cache_control", section: "messages" }]
            : [],
      },
    };
  }
  if (format === "unknown") {
    return { format, problems: [], layout: { format, blocks: [], checkpoints: [] } };
  }
  return { ...anthropicLayout(parsed as Json, counter), format };
}

/**
 * An Anthropic body's layout. `messages`, when given, reads the messages in place of `body.messages` (the text path
 * reads them message by message from the body's text, see `anthropicTextLayout`).
 * @internal
 */
export function anthropicLayout(
  body: Json,
  counter: TokenCounter,
  messages?: (r: Reader) => void,
): ReadResult {
  const r: Reader = { counter, blocks: [], checkpoints: [], problems: [] };
  const { blocks, checkpoints, problems } = r;

  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools))
      problems.push({
        code: "malformed-request",
        severity: "error",
        message: "tools must be a list.",
        path: "tools",
      });
    else
      body.tools.forEach((t, i) => {
        const path = `tools/${i}`;
        if (!isObj(t)) return;
        const { cache_control, ...def } = t;
        push(r, "tools", path, "toolSpec", stableJson(def), undefined, undefined, undefined);
        if (cache_control !== undefined) cacheControl(r, cache_control, path, "tools");
      });
  }
  if (typeof body.system === "string")
    push(r, "system", "system", "text", body.system, undefined, undefined, undefined);
  else if (Array.isArray(body.system)) {
    const system = body.system;
    for (let i = 0; i < system.length; i++)
      readBlock(r, system[i], "system", `system/${i}`, undefined, undefined);
  }
  if (messages) messages(r);
  else if (Array.isArray(body.messages)) {
    const list = body.messages;
    for (let mi = 0; mi < list.length; mi++) readMessage(r, list[mi], mi);
  }
  if (body.cache_control !== undefined) {
    problems.push({
      code: "field-unsupported",
      severity: "error",
      message:
        "A top-level cache_control (Anthropic's automatic caching) is not supported on Bedrock; put cache_control on the blocks to cache instead (cachepoint's planner can place them).",
      path: "cache_control",
    });
  }
  const settings: Record<string, string> = {};
  if (body.tool_choice !== undefined) settings.toolChoice = contentFingerprint(stableJson(body.tool_choice));
  if (body.thinking !== undefined) settings.thinking = contentFingerprint(stableJson(body.thinking));
  return {
    layout: {
      blocks,
      checkpoints,
      format: "anthropic",
      ...(Object.keys(settings).length > 0 && { settings }),
    },
    problems,
  };
}

/** One message of an Anthropic body: its blocks, and its problems under `messages/${mi}`. @internal */
export function readMessage(r: Reader, m: unknown, mi: number): void {
  if (!isObj(m)) {
    r.problems.push({
      code: "malformed-request",
      severity: "error",
      message: `messages.${mi} must be an object with role and content.`,
      path: `messages/${mi}`,
    });
    return;
  }
  const role = m.role === "assistant" ? "assistant" : "user";
  if (m.role !== "user" && m.role !== "assistant") {
    r.problems.push({
      code: "malformed-request",
      severity: "error",
      message: `messages.${mi}.role: Input should be 'user' or 'assistant'.`,
      path: `messages/${mi}/role`,
    });
  }
  const content = m.content;
  if (typeof content === "string")
    push(r, "messages", `messages/${mi}/content`, "text", content, undefined, mi, role);
  else if (Array.isArray(content)) {
    for (let ci = 0; ci < content.length; ci++)
      readBlock(r, content[ci], "messages", `messages/${mi}/content/${ci}`, mi, role);
  } else
    r.problems.push({
      code: "malformed-request",
      severity: "error",
      message: `messages.${mi}.content must be a string or a list of blocks.`,
      path: `messages/${mi}/content`,
    });
}

/** What one read of a body collects. Module-level functions over it, not closures made on every call. @internal */
export interface Reader {
  readonly counter: TokenCounter;
  readonly blocks: LayoutBlock[];
  readonly checkpoints: ExistingCheckpoint[];
  readonly problems: Diagnostic[];
}

function cacheControl(
  r: Reader,
  cc: unknown,
  path: string,
  section: Section,
  inside?: ExistingCheckpoint["inside"],
): void {
  const c = isObj(cc) ? cc : {};
  if (c.type !== "ephemeral") {
    r.problems.push({
      code: "malformed-request",
      severity: "error",
      message: `${path.replaceAll("/", ".")}.cache_control.type: "ephemeral" is the only cache type (got ${stableJson(c.type)}).`,
      path,
    });
  }
  const raw = c.ttl;
  const ttl = raw === "5m" || raw === "1h" ? (raw as Ttl) : undefined;
  r.checkpoints.push({
    afterBlock: r.blocks.length - 1,
    ttl,
    path: `${path}/cache_control`,
    section,
    ...(inside !== undefined && { inside }),
    ...(raw !== undefined && ttl === undefined && { invalidTtl: String(raw) }),
  });
}

function push(
  r: Reader,
  section: Section,
  path: string,
  kind: BlockKind,
  text: string,
  tokens: number | undefined,
  messageIndex: number | undefined,
  role: LayoutBlock["role"],
): void {
  // Media and tool results come counted and need only their fingerprint. The static sections' text is also
  // searched for values that change per request (see converseLayout).
  const described =
    tokens === undefined
      ? describeContent(text, r.counter, section !== "messages" && (kind === "text" || kind === "toolSpec"))
      : undefined;
  const block: { -readonly [K in keyof LayoutBlock]: LayoutBlock[K] } = {
    section,
    kind,
    path,
    tokens: described ? described.tokens : (tokens as number),
    fingerprint: `${kind}:${described ? described.fingerprint : contentFingerprint(text)}`,
  };
  if (described?.volatile) {
    block.volatile = described.volatile;
    block.steadyFingerprint = `${kind}:${described.steadyFingerprint}`;
  }
  if (kind === "text" && text === "") block.empty = true;
  if (messageIndex !== undefined) block.messageIndex = messageIndex;
  if (role !== undefined) block.role = role;
  r.blocks.push(block);
}

/** A tool result's identity and tokens, read part by part. */
function toolResultText(r: Reader, b: Json): { text: string; tokens: number } {
  // An agent sends every earlier tool output again on each step, and the memo recognises each output text itself,
  // where serialising the whole block would build a new string to hash every call. A part's cache_control is not
  // content: it does not change what identifies the block.
  const head = `${stableJson(b.tool_use_id)}\u0000${stableJson(b.is_error)}`;
  const content = b.content;
  let text = head;
  let tokens = r.counter.count(head);
  const add = (tag: string, part: string) => {
    const d = describeContent(part, r.counter);
    text += `|${tag}${d.fingerprint}`;
    tokens += d.tokens;
  };
  if (typeof content === "string") add("s", content);
  else if (Array.isArray(content)) {
    for (const c of content) {
      if (isObj(c) && c.type === "text" && typeof c.text === "string" && isPlainText(c)) add("t", c.text);
      else if (isObj(c) && c.cache_control !== undefined) {
        const { cache_control: _cc, ...rest } = c;
        add("j", stableJson(rest));
      } else add("j", stableJson(c));
    }
  } else if (content !== undefined) add("j", stableJson(content));
  return { text, tokens };
}

function readBlock(
  r: Reader,
  b: unknown,
  section: Section,
  path: string,
  messageIndex: number | undefined,
  role: LayoutBlock["role"],
): void {
  if (typeof b === "string") {
    push(r, section, path, "text", b, undefined, messageIndex, role);
    return;
  }
  if (!isObj(b)) {
    r.problems.push({
      code: "malformed-request",
      severity: "error",
      message: `${path.replaceAll("/", ".")} must be a content block object.`,
      path,
    });
    return;
  }
  const type = typeof b.type === "string" ? b.type : "";
  const kind = anthropicKinds[type] ?? "unknown";
  let text: string;
  let tokens: number | undefined;
  const src = isObj(b.source) ? b.source : {};
  switch (type) {
    case "text":
      text = typeof b.text === "string" ? b.text : stableJson(b.text);
      break;
    case "image": {
      const data = typeof src.data === "string" ? src.data : "";
      // Named by the data's fingerprint, remembered per content: joined into a longer string, a 1 MB image's
      // base64 was copied whole on every read to be hashed.
      text = `${stableJson(src.media_type)}|${data ? `base64:${data.length}:${contentFingerprint(data)}` : stableJson(src)}`;
      tokens = estimateMediaTokens("image", base64ByteLength(data));
      break;
    }
    case "document": {
      const data = typeof src.data === "string" ? src.data : "";
      // The after-non-PDF-document rejection is a Converse translation issue; Anthropic bodies take text
      // and PDF documents alike, so no documentFormat is recorded here.
      if (src.type === "text") {
        text = data;
      } else if (src.type === "content" && Array.isArray(src.content)) {
        text = src.content
          .map((c) => (isObj(c) && typeof c.text === "string" ? c.text : stableJson(c)))
          .join("\n");
      } else {
        text = data || stableJson(src);
        tokens = estimateMediaTokens("document", base64ByteLength(data));
      }
      break;
    }
    case "tool_use":
    case "server_tool_use":
      text = `${stableJson(b.name)}|${stableJson(b.input)}`;
      break;
    case "tool_result":
      ({ text, tokens } = toolResultText(r, b));
      break;
    case "thinking":
      text = typeof b.thinking === "string" ? b.thinking : stableJson(b);
      break;
    default:
      text = stableJson(b);
  }
  if (kind === "unknown") {
    const { cache_control: _cc, ...withoutCc } = b;
    text = stableJson(withoutCc);
  }
  push(r, section, path, kind, text, tokens, messageIndex, role);
  if (type === "tool_result" && Array.isArray(b.content)) {
    const content = b.content;
    for (let j = 0; j < content.length; j++) {
      const c = content[j];
      if (isObj(c) && c.cache_control !== undefined)
        cacheControl(r, c.cache_control, `${path}/content/${j}`, section, "toolResult");
    }
  }
  if (b.cache_control !== undefined) {
    cacheControl(
      r,
      b.cache_control,
      path,
      section,
      type === "thinking" || type === "redacted_thinking" ? "reasoning" : undefined,
    );
  }
}
