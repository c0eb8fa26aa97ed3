import {
  createModelRegistry,
  isCachepointError,
  type ModelRegistry,
  type ResolvedModel,
} from "@cachepoint/core";
import { UsageError } from "./UsageError.js";

/**
 * Commander's parser for the repeatable `--alias <id>=<model-id>`: collects the pairs. An application-inference-
 * profile or provisioned-model ARN does not name its model, so the user says which model is behind it.
 */
export function aliasFlag(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf("=");
  const from = at < 0 ? "" : value.slice(0, at).trim();
  const to = at < 0 ? "" : value.slice(at + 1).trim();
  if (!from || !to) {
    throw new UsageError(
      `--alias takes <model ID or ARN>=<a known model ID>, e.g. --alias "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc=us.anthropic.claude-sonnet-4-6" (got "${value}")`,
    );
  }
  return { ...previous, [from]: to };
}

/** The model table the command resolves against: the embedded one, with the user's `--alias` pairs. */
export function cliModels(aliases: Readonly<Record<string, string>> | undefined): ModelRegistry {
  try {
    // Building the registry resolves every alias, so a typo in a target is named here, not on a later request.
    return createModelRegistry(aliases ? { aliases } : {});
  } catch (e) {
    // The core's advice (map it with an alias) makes no sense for an alias's own target: leave it out.
    throw new UsageError(
      `--alias: ${(e as Error).message.replace(` ${libraryAdvice}`, "")} Give a known model ID after the "=".`,
    );
  }
}

/**
 * Resolves a model ID for a command, turning the library's advice (the `aliases` and `models` options) into the
 * flag that does the same here. `what` names where the ID came from (`--model`, or the trace line).
 */
export function resolveCliModel(
  what: string,
  id: string,
  registry: ModelRegistry,
  region?: string,
): ResolvedModel {
  try {
    return registry.resolve(id, region ? { region } : undefined);
  } catch (e) {
    if (!isCachepointError(e)) throw e;
    if (e.reason === "opaque-model-arn") {
      const resource = String(e.details?.resource ?? "resource");
      throw new UsageError(
        `${what}: "${id}" is ${/^[aeiou]/.test(resource) ? "an" : "a"} ${resource} ARN, which does not say which model it runs, so cachepoint cannot know its caching rules or prices. Name the model behind it: --alias "${id}=us.anthropic.claude-sonnet-4-6" (with your model ID; \`aws bedrock get-inference-profile --inference-profile-identifier <ARN>\` shows it for an inference profile).`,
      );
    }
    throw new UsageError(`${what}: ${cliAdvice(e.message)}`);
  }
}

/** The core's advice names library options; on the command line the flag is `--alias`. */
function cliAdvice(message: string): string {
  return message.replace(
    libraryAdvice,
    "If it is another name for a model cachepoint knows, map it: --alias <this ID>=<known model ID>.",
  );
}

const libraryAdvice = "If this is a new model, register it with `models` or map it with `aliases`.";
