import { type ModelRules, type PromptLayout, validateCheckpoints } from "@cachepoint/core";
import { BedrockError, messages } from "./BedrockError.js";

const dotted = (path: string) => path.replace(/#.*$/, "").replaceAll("/", ".");

/**
 * The error Bedrock returns for a request's cache checkpoints, or undefined when it accepts them.
 * Checkpoints below the minimum are accepted (they just cache nothing), as Bedrock does.
 * @internal
 */
export function cachingError(
  layout: PromptLayout,
  rules: ModelRules,
  modelName: string,
): BedrockError | undefined {
  if (layout.checkpoints.length === 0) return undefined;
  if (!rules.supportsExplicitCaching)
    return new BedrockError("ValidationException", messages.unsupportedModel);
  const issues = validateCheckpoints(layout, rules, { modelName }).filter(
    (i) => i.diagnostic.severity === "error",
  );
  const first = issues[0];
  if (!first) return undefined;
  const cp = layout.checkpoints[first.index]!;
  const closes = cp.afterBlock >= 0 ? layout.blocks[cp.afterBlock] : undefined;
  const at = dotted(closes?.path ?? cp.path);
  const nova = rules.checkpointSyntax.invokeModel === "nova-cachePoint-key";
  switch (first.diagnostic.code) {
    case "too-many-checkpoints":
      return new BedrockError(
        "ValidationException",
        messages.tooManyCheckpoints(layout.checkpoints.length, rules.maxCheckpoints),
      );
    case "field-unsupported":
      return new BedrockError(
        "ValidationException",
        messages.novaExtraneous(cp.path.replace(/\/cachePoint$/, "")),
      );
    case "ttl-order":
      return new BedrockError("ValidationException", messages.ttlOrder(at));
    case "ttl-unsupported":
      return new BedrockError("ValidationException", nova ? messages.extendedTtlNova : messages.extraTtl(at));
    case "placement-forbidden": {
      if (cp.inside === "toolResult")
        return new BedrockError("ValidationException", messages.novaExtraneous(cp.path));
      if (cp.afterBlock < 0) return new BedrockError("ValidationException", messages.nothingToCache);
      if (closes?.kind === "reasoning" || cp.inside === "reasoning")
        return new BedrockError("ValidationException", messages.afterReasoning);
      if (closes?.kind === "document")
        return new BedrockError("ValidationException", messages.nonPdfDocument(at));
      if (closes?.kind === "toolResult")
        return new BedrockError(
          "ValidationException",
          messages.novaExtraneous(cp.path.replace(/\/cachePoint$/, "")),
        );
      if (closes?.empty)
        return new BedrockError(
          "ValidationException",
          `The model returned the following errors: ${at}: cache_control cannot be set for empty text blocks`,
        );
      return new BedrockError("ValidationException", messages.malformed);
    }
    default:
      return new BedrockError("ValidationException", first.diagnostic.message);
  }
}
