import { CachepointError } from "./CachepointError.js";
import { describeContent } from "./describeContent.js";
import { contentFingerprint } from "./fingerprint.js";
import type { Section, Ttl } from "./modelTypes.js";
import type { BlockKind, ExistingCheckpoint, LayoutBlock, PromptLayout } from "./PromptLayout.js";
import { defaultTokenCounter, type TokenCounter } from "./TokenCounter.js";
import { volatileValue, withoutVolatile } from "./volatileValue.js";

/** One block for {@link buildLayout}: a string is a text block. @public */
export type BlockSpec =
  | string
  | {
      readonly kind?: BlockKind;
      /** What the model sees; tokens are counted and the fingerprint taken from it. */
      readonly text?: string;
      /** Token count, when known (overrides counting `text`). */
      readonly tokens?: number;
      readonly documentFormat?: string;
      /** Put a checkpoint after this block (`true` = default TTL). */
      readonly checkpoint?: Ttl | true;
    };

/** A request described section by section, for {@link buildLayout}. @public */
export interface LayoutSpec {
  readonly tools?: readonly BlockSpec[];
  readonly system?: readonly BlockSpec[];
  readonly messages?: readonly {
    readonly role: "user" | "assistant";
    readonly content: readonly BlockSpec[] | string;
  }[];
  readonly settings?: Readonly<Record<string, string>>;
}

/**
 * Builds a {@link PromptLayout} from a plain description, counting tokens and fingerprinting content.
 * Useful for planning without an adapter (pricing dashboards, tests, what-if questions).
 * @example
 * const layout = buildLayout({
 *   system: [{ text: longInstructions }],
 *   messages: [{ role: "user", content: "What changed in v2?" }],
 * });
 * @public
 */
export function buildLayout(spec: LayoutSpec, options: { counter?: TokenCounter } = {}): PromptLayout {
  const counter = options.counter ?? defaultTokenCounter();
  const blocks: LayoutBlock[] = [];
  const checkpoints: ExistingCheckpoint[] = [];
  const add = (
    section: Section,
    path: string,
    s: BlockSpec,
    extra: { messageIndex?: number; role?: "user" | "assistant" },
  ) => {
    const o = typeof s === "string" ? { text: s } : s;
    if (o === null || typeof o !== "object") {
      throw new CachepointError(
        "invalid-layout",
        `Block ${path} must be a string or an object, got ${String(o)}.`,
      );
    }
    const text = o.text ?? "";
    const described =
      o.tokens === undefined ? describeContent(text, counter, section !== "messages") : undefined;
    const tokens = o.tokens ?? described!.tokens;
    const volatile =
      section === "messages" ? undefined : described ? described.volatile : volatileValue(text);
    const kind = o.kind ?? (section === "tools" ? "toolSpec" : "text");
    blocks.push({
      section,
      kind,
      path,
      tokens,
      fingerprint: described
        ? `${kind}:${described.fingerprint}`
        : `${kind}:${contentFingerprint(text)}:${o.tokens}`,
      ...(extra.messageIndex !== undefined && { messageIndex: extra.messageIndex }),
      ...(extra.role !== undefined && { role: extra.role }),
      ...(o.documentFormat !== undefined && { documentFormat: o.documentFormat }),
      ...(kind === "text" && text === "" && o.tokens === undefined && { empty: true }),
      ...(volatile && {
        volatile,
        steadyFingerprint: described?.steadyFingerprint
          ? `${kind}:${described.steadyFingerprint}`
          : `${kind}:${contentFingerprint(withoutVolatile(text))}:${o.tokens}`,
      }),
    });
    if (o.checkpoint !== undefined) {
      checkpoints.push({
        afterBlock: blocks.length - 1,
        ttl: o.checkpoint === true ? undefined : o.checkpoint,
        path: `${path}#checkpoint`,
        section,
      });
    }
  };
  for (const [i, b] of (spec.tools ?? []).entries()) add("tools", `tools/${i}`, b, {});
  for (const [i, b] of (spec.system ?? []).entries()) add("system", `system/${i}`, b, {});
  for (const [mi, m] of (spec.messages ?? []).entries()) {
    const content = typeof m.content === "string" ? [m.content] : m.content;
    for (const [ci, b] of content.entries()) {
      add("messages", `messages/${mi}/content/${ci}`, b, { messageIndex: mi, role: m.role });
    }
  }
  return { blocks, checkpoints, ...(spec.settings && { settings: spec.settings }) };
}
