import type { ModelRules } from "../ModelRules.js";
import type { LayoutBlock } from "../PromptLayout.js";

/**
 * Why a checkpoint may not close `block` for a model, or undefined when it may. Section support is
 * checked separately (a Converse cachePoint may sit in a different section from the block it closes).
 * @internal
 */
export function forbiddenAfter(block: LayoutBlock, rules: ModelRules): string | undefined {
  const f = rules.forbiddenPlacements;
  if (block.kind === "reasoning" && f.has("after-reasoning")) {
    return 'Bedrock rejects a cache point after a reasoning block ("Cache point cannot be inserted after reasoning block"); put it before the reasoning block or after the assistant\'s text';
  }
  if (
    block.kind === "document" &&
    f.has("after-non-pdf-document") &&
    (block.documentFormat ?? "pdf") !== "pdf"
  ) {
    return `Bedrock rejects a cache point right after a non-PDF document (${block.documentFormat}) with "messages.N.content.M.type: Field required"; put it before the document, or convert the document to PDF`;
  }
  if (block.kind === "toolResult" && f.has("after-tool-result")) {
    return 'Nova rejects a cachePoint directly after a toolResult ("extraneous key [cachePoint] is not permitted"); put it before the tool result or after a following text block';
  }
  if (block.empty === true) {
    return "an empty text block cannot be cached; put the checkpoint after a block with content";
  }
  return undefined;
}

/** True when the planner may place its own checkpoint after `block`. @internal */
export function canCloseAt(block: LayoutBlock, rules: ModelRules): boolean {
  return (
    rules.cacheableSections.has(block.section) &&
    block.kind !== "unknown" &&
    forbiddenAfter(block, rules) === undefined
  );
}
