import {
  type BlockKind,
  base64ByteLength,
  CachepointError,
  contentFingerprint,
  contentFingerprintBytes,
  type Diagnostic,
  defaultTokenCounter,
  describeContent,
  type ExistingCheckpoint,
  estimateMediaTokens,
  jsonDepth,
  type LayoutBlock,
  maxJsonDepth,
  type PromptLayout,
  type Section,
  type TokenCounter,
  type Ttl,
} from "@cachepoint/core";
import { contentKeyJson, isObj, stableJson } from "./json.js";
import type { ReadResult } from "./ReadResult.js";

/** Options for {@link converseLayout}. @public */
export interface ConverseLayoutOptions {
  counter?: TokenCounter;
  /**
   * `block` (Converse): a checkpoint is its own `{cachePoint}` element after the content it closes.
   * `key` (Nova InvokeModel body): `cachePoint` is a key beside `text` on the content object it closes.
   */
  cachePointStyle?: "block" | "key";
}

const contentMembers = [
  "text",
  "image",
  "toolUse",
  "toolResult",
  "document",
  "video",
  "audio",
  "cachePoint",
  "reasoningContent",
  "citationsContent",
  "searchResult",
  "guardContent",
  "toolAddition",
  "toolRemoval",
] as const;
const systemMembers = ["text", "guardContent", "cachePoint"] as const;
const toolMembers = ["toolSpec", "systemTool", "cachePoint"] as const;

const kindOf: Record<string, BlockKind> = {
  text: "text",
  image: "image",
  document: "document",
  video: "video",
  audio: "audio",
  toolUse: "toolUse",
  toolResult: "toolResult",
  reasoningContent: "reasoning",
  citationsContent: "citations",
  searchResult: "searchResult",
  guardContent: "guardContent",
  toolSpec: "toolSpec",
  systemTool: "toolSpec",
};

/**
 * Reads a Converse / ConverseStream request (the command input, or its JSON body) into a {@link PromptLayout}
 * in Bedrock's processing order: `toolConfig.tools` → `system` → `messages`. Every block type Bedrock accepts
 * is recognised; unknown blocks become `unknown` and are carried, never dropped. Existing `cachePoint`s become
 * the layout's checkpoints (including ones nested where Bedrock's schema has no place for them).
 * @throws CachepointError `malformed-request` when the input is not an object.
 * @example
 * const { layout, problems } = converseLayout({ system: [{ text: policy }, { cachePoint: { type: "default" } }], messages });
 * @public
 */
export function converseLayout(input: unknown, options: ConverseLayoutOptions = {}): ReadResult {
  if (!isObj(input)) {
    throw new CachepointError(
      "malformed-request",
      `A Converse request must be a JSON object, got ${input === null ? "null" : typeof input}.`,
    );
  }
  if (jsonDepth(input, maxJsonDepth) > maxJsonDepth) {
    throw new CachepointError(
      "malformed-request",
      `The request nests JSON more than ${maxJsonDepth} levels deep; flatten it (Bedrock refuses such input as malformed).`,
    );
  }
  const r: Reader = {
    counter: options.counter ?? defaultTokenCounter(),
    keyStyle: options.cachePointStyle === "key",
    blocks: [],
    checkpoints: [],
    problems: [],
  };
  const { blocks, checkpoints, problems, keyStyle } = r;
  const toolConfig = input.toolConfig;
  if (toolConfig !== undefined) {
    if (!isObj(toolConfig)) malformed(r, "toolConfig", "toolConfig must be an object with a tools list.");
    else readUnionArray(r, toolConfig.tools, "tools", "toolConfig/tools", toolMembers, "Tool");
  }
  readUnionArray(r, input.system, "system", "system", systemMembers, "SystemContentBlock");
  const messages = input.messages;
  if (messages !== undefined) {
    if (!Array.isArray(messages)) malformed(r, "messages", "messages must be a list of {role, content}.");
    else for (let mi = 0; mi < messages.length; mi++) readMessage(r, messages[mi], mi);
  }

  let settings: Record<string, string> | undefined;
  if (isObj(toolConfig) && toolConfig.toolChoice !== undefined)
    settings = { toolChoice: contentFingerprint(stableJson(toolConfig.toolChoice)) };
  const amrf = input.additionalModelRequestFields;
  if (isObj(amrf)) {
    const thinking = amrf.thinking ?? amrf.reasoning_config ?? amrf.reasoningConfig;
    if (thinking !== undefined) {
      settings ??= {};
      settings.thinking = contentFingerprint(stableJson(thinking));
    }
  }
  const layout: PromptLayout = settings
    ? { blocks, checkpoints, format: keyStyle ? "nova" : "converse", settings }
    : { blocks, checkpoints, format: keyStyle ? "nova" : "converse" };
  return { layout, problems };
}

/** What one read of a request collects. Module-level functions over it, not closures made on every call. */
interface Reader {
  readonly counter: TokenCounter;
  readonly keyStyle: boolean;
  readonly blocks: LayoutBlock[];
  readonly checkpoints: ExistingCheckpoint[];
  readonly problems: Diagnostic[];
}

/** One message: its blocks and checkpoints, and its problems under `messages/${mi}`. */
function readMessage(r: Reader, m: unknown, mi: number): void {
  const path = `messages/${mi}`;
  if (!isObj(m)) {
    malformed(r, path, `Message at messages.${mi} must be an object with role and content.`);
    return;
  }
  if (m.role !== "user" && m.role !== "assistant" && m.role !== "system") {
    malformed(
      r,
      path,
      `Message at messages.${mi} has role ${stableJson(m.role)}; use "user" or "assistant".`,
    );
  }
  const role = m.role === "assistant" ? "assistant" : m.role === "system" ? "system" : "user";
  readUnionArray(r, m.content, "messages", `${path}/content`, contentMembers, "ContentBlock", mi, role);
}

function malformed(r: Reader, path: string, message: string): void {
  r.problems.push({ code: "malformed-request", severity: "error", message, path });
}

function checkpoint(
  r: Reader,
  cp: unknown,
  path: string,
  section: Section,
  inside?: ExistingCheckpoint["inside"],
): void {
  const c = isObj(cp) ? cp : {};
  const rawTtl = c.ttl;
  const ttl = rawTtl === "5m" || rawTtl === "1h" ? (rawTtl as Ttl) : undefined;
  if (c.type !== "default") {
    malformed(
      r,
      path,
      `CachePointBlock at ${path.replaceAll("/", ".")} needs type "default" (got ${stableJson(c.type)}).`,
    );
  }
  r.checkpoints.push({
    afterBlock: r.blocks.length - 1,
    ttl,
    path,
    section,
    ...(inside !== undefined && { inside }),
    ...(rawTtl !== undefined && ttl === undefined && { invalidTtl: String(rawTtl) }),
  });
}

function push(
  r: Reader,
  section: Section,
  path: string,
  member: string,
  value: unknown,
  messageIndex: number | undefined,
  role: LayoutBlock["role"],
): void {
  const counter = r.counter;
  const kind = kindOf[member] ?? "unknown";
  let text: string;
  let tokens: number | undefined;
  let documentFormat: string | undefined;
  const v = isObj(value) ? value : {};
  switch (member) {
    case "text":
      text = typeof value === "string" ? value : stableJson(value);
      break;
    case "image":
    case "video":
    case "audio":
    case "document": {
      const media = readMedia(member, v, counter);
      text = media.id;
      tokens = media.tokens;
      documentFormat = media.documentFormat;
      break;
    }
    case "reasoningContent": {
      const rt = isObj(v.reasoningText) ? v.reasoningText : undefined;
      // redactedContent is bytes: named by size and hash, not written out as numbered keys.
      text = rt && typeof rt.text === "string" ? rt.text : contentKeyJson(value);
      break;
    }
    case "toolResult": {
      // Read part by part: a tool's output text is usually a long string the caller sends again on every later
      // turn, and the memo recognises the string itself, where serialising the whole block would build a new
      // string to hash and compare on every call (2.8× a JSON.stringify of the request, on a 100-step agent).
      const content = Array.isArray(v.content) ? v.content : [];
      const extra = Object.keys(v).some((k) => k !== "toolUseId" && k !== "status" && k !== "content")
        ? stableJson({ ...v, content: undefined })
        : "";
      const id = typeof v.toolUseId === "string" ? v.toolUseId : stableJson(v.toolUseId);
      const status = typeof v.status === "string" ? v.status : stableJson(v.status);
      const head = `${id}\u0000${status}\u0000${extra}`;
      let parts = head;
      let sum = counter.count(head);
      for (const c of content) {
        const plain = isObj(c) && typeof c.text === "string" && Object.keys(c).length === 1;
        // An image or document a tool returned: estimated as media, and never serialised byte by byte.
        const media = plain || !isObj(c) ? undefined : toolResultMedia(c, counter);
        const d = describeContent(plain ? (c.text as string) : media ? media.id : stableJson(c), counter);
        parts += plain ? `|t${d.fingerprint}` : media ? `|m${d.fingerprint}` : `|j${d.fingerprint}`;
        sum += media ? media.tokens : d.tokens;
      }
      text = parts; // what identifies the block: its head and its parts' fingerprints
      tokens = sum;
      break;
    }
    case "toolSpec":
      text = stableJson(value);
      break;
    case "guardContent":
      // May carry bytes (a guarded image): named by size and hash. (Not every member goes this way: a replacer
      // makes JSON.stringify about 20% slower, and toolUse blocks, which hold JSON only, fill every agent request.)
      text = contentKeyJson(value);
      break;
    default:
      text = stableJson(value);
  }
  // Media and tool results are counted above and need only their fingerprint; for the rest one memo lookup gives
  // both. The static sections' text is also searched for values that change per request, which would keep a
  // cached prefix from matching.
  const described =
    tokens === undefined
      ? describeContent(text, counter, section !== "messages" && (member === "text" || member === "toolSpec"))
      : undefined;
  const block: { -readonly [K in keyof LayoutBlock]: LayoutBlock[K] } = {
    section,
    kind,
    path,
    tokens: described ? described.tokens : (tokens as number),
    fingerprint: `${member}:${described ? described.fingerprint : contentFingerprint(text)}`,
  };
  if (described?.volatile) {
    block.volatile = described.volatile;
    block.steadyFingerprint = `${member}:${described.steadyFingerprint}`;
  }
  if (documentFormat !== undefined) block.documentFormat = documentFormat;
  if (member === "text" && text === "") block.empty = true;
  if (messageIndex !== undefined) block.messageIndex = messageIndex;
  if (role !== undefined) block.role = role;
  r.blocks.push(block);
}

function readUnionArray(
  r: Reader,
  arr: unknown,
  section: Section,
  base: string,
  allowed: readonly string[],
  unionName: string,
  messageIndex?: number,
  role?: LayoutBlock["role"],
): void {
  if (arr === undefined) return;
  if (!Array.isArray(arr)) {
    malformed(r, base, `${base.replaceAll("/", ".")} must be a list.`);
    return;
  }
  for (let i = 0; i < arr.length; i++) {
    const el: unknown = arr[i];
    const path = `${base}/${i}`;
    if (!isObj(el)) {
      malformed(r, path, `${unionName} at ${path.replaceAll("/", ".")} must be an object.`);
      continue;
    }
    const keys = Object.keys(el);
    // The common case, a block with one member (a text, a tool call, a tool result): no member bookkeeping. This
    // loop runs for every block of every request, and an agent's request is mostly such blocks.
    if (keys.length === 1) {
      const k = keys[0]!;
      if (k === "text" && typeof el.text === "string") {
        push(r, section, path, "text", el.text, messageIndex, role);
        continue;
      }
      if (k !== "cachePoint" && el[k] !== undefined && allowed.includes(k)) {
        push(r, section, path, k, el[k], messageIndex, role);
        if (k === "toolResult" && !r.keyStyle) readToolResultCheckpoints(r, el[k], path, section);
        continue;
      }
    }
    const set = keys.filter((k) => allowed.includes(k) && el[k] !== undefined);
    const content = set.filter((k) => k !== "cachePoint");
    const unknownKeys = keys.filter((k) => !allowed.includes(k));
    if (r.keyStyle) {
      for (const k of content) push(r, section, path, k, el[k], messageIndex, role);
      if (content.length === 0 && unknownKeys.length > 0)
        push(r, section, path, unknownKeys[0]!, el, messageIndex, role);
      if (set.includes("cachePoint")) checkpoint(r, el.cachePoint, `${path}/cachePoint`, section);
      continue;
    }
    if (set.length > 1) {
      malformed(
        r,
        path,
        `${unionName} object at ${path.replaceAll("/", ".")} can only set one of the following keys: ${allowed.join(", ")}.`,
      );
    }
    if (set.length === 0) {
      if (unknownKeys.length === 0)
        malformed(
          r,
          path,
          `${unionName} at ${path.replaceAll("/", ".")} sets no member; give it one of: ${allowed.join(", ")}.`,
        );
      push(r, section, path, "unknown", el, messageIndex, role); // carried along, never dropped
      continue;
    }
    for (const k of content) {
      push(r, section, path, k, el[k], messageIndex, role);
      if (k === "toolResult") readToolResultCheckpoints(r, el[k], path, section);
    }
    if (set.includes("cachePoint")) checkpoint(r, el.cachePoint, path, section);
  }
}

function readToolResultCheckpoints(r: Reader, tr: unknown, path: string, section: Section): void {
  if (!isObj(tr) || !Array.isArray(tr.content)) return;
  tr.content.forEach((c, j) => {
    if (isObj(c) && c.cachePoint !== undefined)
      checkpoint(r, c.cachePoint, `${path}/toolResult/content/${j}`, section, "toolResult");
  });
}

/**
 * Media bytes as the SDK takes them (a Uint8Array) or as JSON carries them (base64 text): their size, and short
 * text that identifies them. Serialising SDK bytes as JSON instead took 281 ms for a 300 KB image (every byte a
 * numbered key) and estimated it from that text's length.
 */
function mediaBytes(src: Record<string, unknown>): { byteLength: number; id: string } | undefined {
  const b = src.bytes;
  // Base64 text (a request as JSON carries it, as the mock reads it) is named by its fingerprint, remembered per
  // content: joined into a longer string, a 1 MB image's text was copied whole on every read to be hashed.
  if (typeof b === "string")
    return { byteLength: base64ByteLength(b), id: `base64:${b.length}:${contentFingerprint(b)}` };
  if (ArrayBuffer.isView(b))
    return { byteLength: b.byteLength, id: `bytes:${b.byteLength}:${contentFingerprintBytes(b)}` };
  return undefined;
}

/** A tool result's image, document or video part, read as the same block at the top level is. */
function toolResultMedia(
  part: Record<string, unknown>,
  counter: TokenCounter,
): { id: string; tokens: number } | undefined {
  for (const kind of ["image", "document", "video"] as const) {
    const v = part[kind];
    if (!isObj(v)) continue;
    const media = readMedia(kind, v, counter);
    return { id: `${kind}|${media.id}`, tokens: media.tokens };
  }
  return undefined;
}

/**
 * An image, video, audio or document block: text that identifies it (its bytes by size and hash, or its base64,
 * or an S3 location) and its estimated tokens (from the byte size, or counted when a document is inline text).
 */
function readMedia(
  kind: "image" | "video" | "audio" | "document",
  v: Record<string, unknown>,
  counter: TokenCounter,
): { id: string; tokens: number; documentFormat?: string } {
  const src = isObj(v.source) ? v.source : {};
  const m = mediaBytes(src);
  if (kind !== "document") {
    return {
      id: `${stableJson(v.format)}|${m ? m.id : stableJson(src)}`,
      tokens: estimateMediaTokens(kind, m ? m.byteLength : 0),
    };
  }
  const format = typeof v.format === "string" ? v.format : "pdf";
  const inline =
    typeof src.text === "string"
      ? src.text
      : Array.isArray(src.content)
        ? src.content.map((c) => (isObj(c) && typeof c.text === "string" ? c.text : stableJson(c))).join("\n")
        : undefined;
  return {
    id: `${format}|${stableJson(v.name)}|${stableJson(v.context)}|${inline ?? (m ? m.id : stableJson(src))}`,
    tokens:
      inline !== undefined ? counter.count(inline) : estimateMediaTokens("document", m ? m.byteLength : 0),
    documentFormat: format,
  };
}
