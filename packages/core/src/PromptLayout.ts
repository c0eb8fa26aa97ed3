import type { Section, Ttl } from "./modelTypes.js";
import type { VolatileValue } from "./volatileValue.js";

/**
 * What a block of a request is. Adapters map every Bedrock block type onto one of these; blocks they do
 * not recognise become `unknown` and are carried along, never dropped.
 * @public
 */
export type BlockKind =
  | "toolSpec"
  | "text"
  | "image"
  | "document"
  | "video"
  | "audio"
  | "toolUse"
  | "toolResult"
  | "reasoning"
  | "guardContent"
  | "citations"
  | "searchResult"
  | "unknown";

/**
 * One block of a request in Bedrock's processing order (tools → system → messages).
 * @public
 */
export interface LayoutBlock {
  readonly section: Section;
  readonly kind: BlockKind;
  /** Address in the original request, as a JSON-pointer-like path: `system/0`, `messages/3/content/1`, `toolConfig/tools/2`. */
  readonly path: string;
  /** Token count of the block (estimated or exact). */
  readonly tokens: number;
  /** Message index and role, for blocks in `messages`. */
  readonly messageIndex?: number;
  readonly role?: "user" | "assistant" | "system";
  /** Content fingerprint (stable hash of what the model sees); needed by `explainMiss` and the simulator. */
  readonly fingerprint?: string;
  /** Document format for `document` blocks (`pdf`, `txt`, …): a checkpoint after a non-PDF document fails. */
  readonly documentFormat?: string;
  /** True for a text block with no text: Bedrock cannot cache an empty block. */
  readonly empty?: boolean;
  /**
   * A value in a tools or system block that looks different on every request (the time with seconds, a UUID): a
   * cached prefix that holds it would match no later request. The planner warns when a checkpoint covers it.
   */
  readonly volatile?: VolatileValue;
  /**
   * With `volatile`: the fingerprint of the block without such values, the same for requests that differ only in
   * them. The advisor learns by it (`steadyPrefixKeys`); caching itself goes by `fingerprint`.
   */
  readonly steadyFingerprint?: string;
}

/**
 * A checkpoint already present in the request (placed by the user or a framework).
 * @public
 */
export interface ExistingCheckpoint {
  /** Index of the block it closes (the cached prefix ends after this block); -1 when nothing precedes it. */
  readonly afterBlock: number;
  /** Requested TTL; undefined means Bedrock's default (5m). */
  readonly ttl: Ttl | undefined;
  /** Where it sits in the original request. */
  readonly path: string;
  readonly section: Section;
  /** Set when the checkpoint sits somewhere Bedrock's schema has no place for one. */
  readonly inside?: "toolResult" | "citations" | "reasoning";
  /** The raw TTL string when it was not one Bedrock accepts (e.g. "10m"). */
  readonly invalidTtl?: string;
}

/**
 * The neutral picture of one request that core plans over. Adapters build it; core never parses wire formats.
 * @public
 */
export interface PromptLayout {
  readonly blocks: readonly LayoutBlock[];
  readonly checkpoints: readonly ExistingCheckpoint[];
  /** Which wire format it came from; only used in messages. */
  readonly format?: "converse" | "anthropic" | "nova" | "legacy-text-completion" | "unknown";
  /**
   * Request settings that invalidate the messages cache when they change (tool_choice, thinking, images):
   * a fingerprint per setting, compared by `explainMiss`.
   */
  readonly settings?: Readonly<Record<string, string>>;
}
