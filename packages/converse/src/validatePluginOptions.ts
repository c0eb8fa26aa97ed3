import { CachepointError, createModelRegistry, validateHints } from "@cachepoint/core";
import type { CachepointPluginOptions } from "./createCachepointPlugin.js";

const strategies = ["auto", "static-prefix", "conversation", "manual"];
const ttls = ["5m", "1h", "30m"]; // 30m: the TTL some models offer instead of 1h (see the model table)

/**
 * Checks the plugin's options when the plugin is made, so a misspelt strategy, TTL or alias fails once, at
 * start-up, with what to write instead, and not on every request (or, for an alias, silently: every request to
 * that ARN would go out uncached with an unknown-model diagnostic).
 * @throws CachepointError `invalid-option`, or the registry's own error for an alias whose target is unknown.
 */
export function validatePluginOptions(options: CachepointPluginOptions): void {
  if (typeof options !== "object" || options === null) {
    throw invalid(`cachepoint(options) takes an options object; got ${describe(options)}.`);
  }
  const o = options as Record<string, unknown>;
  if (o.strategy !== undefined && !strategies.includes(o.strategy as string)) {
    throw invalid(`Unknown strategy ${describe(o.strategy)}; use ${strategies.join(", ")}.`);
  }
  if (o.ttl !== undefined && !ttls.includes(o.ttl as string)) {
    throw invalid(`Unknown ttl ${describe(o.ttl)}; use "5m", "1h" or "30m" (as the model offers).`);
  }
  for (const key of ["onReport", "now"] as const) {
    if (o[key] !== undefined && typeof o[key] !== "function") {
      throw invalid(`${key} must be a function; got ${describe(o[key])}.`);
    }
  }
  if (o.hints !== undefined && typeof o.hints !== "function") validateHints(o.hints);
  const advisor = o.advisor;
  if (
    advisor !== undefined &&
    typeof advisor !== "boolean" &&
    (typeof advisor !== "object" ||
      advisor === null ||
      typeof (advisor as { observe?: unknown }).observe !== "function" ||
      typeof (advisor as { advise?: unknown }).advise !== "function")
  ) {
    throw invalid(
      `advisor takes true, false or a CacheAdvisor (createCacheAdvisor()); got ${describe(advisor)}.`,
    );
  }
  const ct = o.countTokens as { send?: unknown } | undefined;
  if (ct !== undefined && (typeof ct !== "object" || ct === null || typeof ct.send !== "function")) {
    throw invalid(`countTokens takes a BedrockRuntimeClient (anything with send); got ${describe(ct)}.`);
  }
  const resolve = o.resolve as
    | (Parameters<typeof createModelRegistry>[0] & { registry?: unknown })
    | undefined;
  const aliases = resolve?.aliases;
  if (resolve && aliases !== undefined && resolve.registry === undefined) {
    const registry = createModelRegistry(resolve);
    // Resolving each alias names a misspelt target now ("Alias … → …: Unknown model …, closest …").
    for (const from of Object.keys(aliases)) registry.resolve(from);
  }
}

const invalid = (message: string) => new CachepointError("invalid-option", `cachepoint(): ${message}`);

const describe = (v: unknown): string =>
  typeof v === "string" ? `"${v}"` : v === null ? "null" : typeof v === "object" ? "an object" : String(v);
