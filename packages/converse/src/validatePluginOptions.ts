import {
  CachepointError,
  type ResolveModelOptions,
  resolveModel,
  validatePlanOptions,
} from "@cachepoint/core";
import type { CachepointPluginOptions } from "./createCachepointPlugin.js";

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
  // The planner's own checks, run once here instead of failing on every call.
  validatePlanOptions({
    strategy: options.strategy,
    ttl: options.ttl,
    hints: typeof options.hints === "function" ? undefined : options.hints,
  });
  for (const key of ["onReport", "now"] as const) {
    if (o[key] !== undefined && typeof o[key] !== "function") {
      throw invalid(`${key} must be a function; got ${describe(o[key])}.`);
    }
  }
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
  const resolve = o.resolve as ResolveModelOptions | undefined;
  const first = Object.keys(resolve?.aliases ?? {})[0];
  // Resolving one alias builds the registry the plugin will use (resolveModel caches it per options object), and
  // building it resolves every alias: a misspelt target is named now ("Alias … → …: Unknown model …").
  if (resolve && first !== undefined && resolve.registry === undefined) resolveModel(first, resolve);
}

const invalid = (message: string) => new CachepointError("invalid-option", `cachepoint(): ${message}`);

const describe = (v: unknown): string =>
  typeof v === "string" ? `"${v}"` : v === null ? "null" : typeof v === "object" ? "an object" : String(v);
