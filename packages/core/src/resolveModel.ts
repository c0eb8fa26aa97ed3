import { CachepointError } from "./CachepointError.js";
import { bedrockModels } from "./data/bedrockModels.js";
import { closestStrings } from "./internal/closestStrings.js";
import { LruCache } from "./internal/LruCache.js";
import { type ModelRules, rulesOf } from "./ModelRules.js";
import type { ModelEntry, ModelOverride, ModelTable, PriceRoute, PriceRow } from "./modelTypes.js";
import { unsupportedFamilies } from "./unsupportedFamilies.js";

/** How the caller spelled the model. @public */
export type ModelIdForm =
  | "base"
  | "profile"
  | "foundation-model-arn"
  | "inference-profile-arn"
  | "alias"
  | "opaque-arn";

/**
 * A model ID resolved to its table entry, rules and the price row that applies to this ID form.
 * @public
 */
export interface ResolvedModel {
  /** The string the caller passed. */
  readonly requestedId: string;
  /** The table's base model ID. */
  readonly id: string;
  readonly name: string;
  readonly provider: string;
  readonly idForm: ModelIdForm;
  /** Inference-profile prefix (`us`, `global`, …) when the ID carried one. */
  readonly profilePrefix: string | undefined;
  /** Region named by an ARN or passed in options. */
  readonly region: string | undefined;
  readonly route: PriceRoute | undefined;
  /** Prices for this ID form; undefined when the table has none for it. */
  readonly price: PriceRow | undefined;
  readonly rules: ModelRules;
  /** The merged table entry (after overrides). */
  readonly entry: ModelEntry;
}

/** Options for {@link createModelRegistry}. @public */
export interface ModelRegistryOptions {
  /** Replace the embedded table entirely (e.g. a refreshed copy of bedrock-models.json). */
  table?: ModelTable;
  /** Deep-merge per model ID: `{ "anthropic.claude-sonnet-4-6": { caching: { minTokensPerCheckpoint: 2048 } } }`. */
  overrides?: Readonly<Record<string, ModelOverride>>;
  /** Models to add (or replace by `id`). */
  models?: readonly ModelEntry[];
  /**
   * Maps opaque identifiers (application-inference-profile ARNs, provisioned-model ARNs, your own names) to
   * a model ID the registry knows: `{ "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc": "us.anthropic.claude-sonnet-4-6" }`.
   */
  aliases?: Readonly<Record<string, string>>;
}

/** Options for one resolution. @public */
export interface ResolveOptions {
  /** The Region the call is made in; a `us-gov-*` Region selects GovCloud prices. */
  region?: string;
  /** Force a price route instead of deriving it from the ID form. */
  route?: PriceRoute;
}

/** A model table with overrides applied, answering ID lookups. @public */
export interface ModelRegistry {
  readonly asOf: string;
  readonly currency: string;
  /** Resolves any accepted ID form; throws {@link CachepointError} (`unknown-model`, `opaque-model-arn`, `invalid-model-id`). */
  resolve(modelId: string, options?: ResolveOptions): ResolvedModel;
  /** Like `resolve`, but returns undefined instead of throwing for unknown or opaque IDs. */
  tryResolve(modelId: string, options?: ResolveOptions): ResolvedModel | undefined;
  /** Every model entry, overrides applied. */
  list(): readonly ModelEntry[];
}

const arnPattern = /^arn:(aws[a-z-]*):bedrock:([a-z0-9-]*):(\d{12})?:([a-z-]+)\/(.+)$/;
const opaqueResources = new Set([
  "application-inference-profile",
  "provisioned-model",
  "custom-model-deployment",
  "imported-model",
  "prompt",
  "prompt-router",
  "default-prompt-router",
  "custom-model",
]);

/** Strips the Bedrock version suffix (`-v1:0`, `:0`, `-v2`) so spellings AWS pages disagree on match. */
function normalizeVersion(id: string): string {
  return id.replace(/:\d+$/, "").replace(/-v\d+$/, "");
}

function mergeEntry(base: ModelEntry, o: ModelOverride): ModelEntry {
  return {
    ...base,
    ...(o.aliases !== undefined && { aliases: [...o.aliases] }),
    ...(o.name !== undefined && { name: o.name }),
    ...(o.provider !== undefined && { provider: o.provider }),
    ...(o.status !== undefined && { status: o.status }),
    ...(o.contextWindow !== undefined && { contextWindow: o.contextWindow }),
    ...(o.notes !== undefined && { notes: o.notes }),
    caching: { ...base.caching, ...o.caching },
    pricing: o.pricing !== undefined ? o.pricing.map((r) => ({ ...r })) : base.pricing,
  };
}

/** Picks the price row for an ID form, following `shared/data/README.md` ("Price lookup the data assumes"). */
function pickPrice(
  entry: ModelEntry,
  prefix: string | undefined,
  region: string | undefined,
  forced: PriceRoute | undefined,
): { route: PriceRoute | undefined; price: PriceRow | undefined } {
  const rows = entry.pricing;
  if (rows.length === 0) return { route: forced, price: undefined };
  if (forced !== undefined) {
    const row = rows.find((r) => r.route === forced);
    return { route: forced, price: row };
  }
  const gov = prefix === "us-gov" || (region?.startsWith("us-gov-") ?? false);
  if (gov) {
    const row = rows.find((r) => r.route === "govcloud");
    if (row) return { route: "govcloud", price: row };
  }
  if (prefix !== undefined && prefix !== "us-gov") {
    const row =
      rows.find((r) => r.prefixes.includes(prefix)) ??
      (prefix === "global" ? undefined : rows.find((r) => r.route === "geo" && r.prefixes.length === 0)) ??
      (prefix === "global" ? undefined : rows.find((r) => r.route === "geo"));
    if (row) return { route: row.route, price: row };
    return { route: undefined, price: undefined };
  }
  const row = rows.find((r) => r.route === "in-region") ?? rows.find((r) => r.route === "single");
  return { route: row?.route, price: row };
}

function unsupportedEntry(id: string, family: (typeof unsupportedFamilies)[number]): ModelEntry {
  return {
    id,
    aliases: [],
    name: id,
    provider: family.provider,
    status: "ga",
    caching: {
      explicit: false,
      implicit: null,
      minTokensPerCheckpoint: 0,
      maxCheckpoints: 0,
      cacheableFields: [],
      ttls: [],
      maxCachedTokens: null,
      lookbackBlocks: null,
      forbiddenPlacements: [],
      checkpointSyntax: { converse: null, invokeModel: null },
    },
    pricing: [],
    notes: family.why,
  };
}

/**
 * Builds a registry from the embedded table (or yours) with overrides, added models and aliases.
 * @example
 * const registry = createModelRegistry({
 *   overrides: { "anthropic.claude-sonnet-4-6": { caching: { minTokensPerCheckpoint: 2048 } } },
 *   aliases: { "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc": "us.anthropic.claude-sonnet-4-6" },
 * });
 * registry.resolve("global.anthropic.claude-sonnet-4-6").rules.minTokensPerCheckpoint; // 2048
 * @public
 */
export function createModelRegistry(options: ModelRegistryOptions = {}): ModelRegistry {
  const table = options.table ?? bedrockModels;
  const byId = new Map<string, ModelEntry>();
  for (const m of table.models) byId.set(m.id, m);
  for (const m of options.models ?? []) byId.set(m.id, m);
  for (const [id, o] of Object.entries(options.overrides ?? {})) {
    const base = byId.get(id);
    if (!base) {
      throw new CachepointError(
        "unknown-model",
        `Cannot override "${id}": no such model in the table. Add it through \`models\` instead, or use one of: ${closestStrings(id, [...byId.keys()], 3).join(", ")}.`,
        { details: { modelId: id } },
      );
    }
    byId.set(id, mergeEntry(base, o));
  }
  // Longest prefix first, so "us-gov" wins over "us".
  const prefixes = [...table.profilePrefixes].sort((a, b) => b.length - a.length);
  const exact = new Map<string, ModelEntry>();
  const normalized = new Map<string, ModelEntry | null>();
  for (const m of byId.values()) {
    for (const key of [m.id, ...m.aliases]) {
      exact.set(key, m);
      const n = normalizeVersion(key);
      const prev = normalized.get(n);
      normalized.set(n, prev === undefined || prev === m ? m : null); // null = ambiguous, never matched
    }
  }
  const rulesCache = new WeakMap<ModelEntry, ModelRules>();
  const rules = (e: ModelEntry) => {
    let r = rulesCache.get(e);
    if (!r) {
      r = rulesOf(e);
      rulesCache.set(e, r);
    }
    return r;
  };
  const aliases = new Map(Object.entries(options.aliases ?? {}));
  const knownIds = [...exact.keys()];

  function lookup(id: string): ModelEntry | undefined {
    return exact.get(id) ?? normalized.get(normalizeVersion(id)) ?? undefined;
  }

  function splitPrefix(id: string): { prefix: string | undefined; base: string } {
    for (const p of prefixes) {
      if (id.startsWith(`${p}.`)) return { prefix: p, base: id.slice(p.length + 1) };
    }
    return { prefix: undefined, base: id };
  }

  function build(
    requestedId: string,
    entry: ModelEntry,
    idForm: ModelIdForm,
    prefix: string | undefined,
    region: string | undefined,
    options: ResolveOptions,
  ): ResolvedModel {
    const { route, price } = pickPrice(entry, prefix, options.region ?? region, options.route);
    return {
      requestedId,
      id: entry.id,
      name: entry.name,
      provider: entry.provider,
      idForm,
      profilePrefix: prefix,
      region: options.region ?? region,
      route,
      price,
      rules: rules(entry),
      entry,
    };
  }

  function resolveInner(
    requestedId: string,
    options: ResolveOptions,
    depth: number,
  ): ResolvedModel | CachepointError {
    if (typeof requestedId !== "string" || requestedId.trim() === "") {
      return new CachepointError(
        "invalid-model-id",
        'A model ID is required: pass a Bedrock model ID such as "us.anthropic.claude-sonnet-4-6".',
      );
    }
    const id = requestedId.trim();
    if (id.length > 2048) {
      return new CachepointError(
        "invalid-model-id",
        `Model ID is ${id.length} characters long; Bedrock accepts at most 2048.`,
      );
    }
    const aliased = aliases.get(id);
    if (aliased !== undefined && depth < 4) {
      const r = resolveInner(aliased, options, depth + 1);
      if (r instanceof CachepointError) {
        return new CachepointError(r.reason, `Alias "${id}" → "${aliased}": ${r.message}`, {
          details: r.details ?? {},
        });
      }
      return { ...r, requestedId: id, idForm: "alias" };
    }
    if (id.startsWith("arn:")) {
      const m = arnPattern.exec(id);
      if (!m) {
        return new CachepointError(
          "invalid-model-id",
          `"${id}" is not a Bedrock ARN. Expected arn:aws:bedrock:<region>:<account>:<resource>/<id>.`,
        );
      }
      const [, , region, , resource, rest] = m as unknown as [
        string,
        string,
        string,
        string | undefined,
        string,
        string,
      ];
      if (resource === "foundation-model") {
        const entry = lookup(rest);
        if (entry) return build(id, entry, "foundation-model-arn", undefined, region || undefined, options);
        return unknown(rest, id);
      }
      if (resource === "inference-profile") {
        const { prefix, base } = splitPrefix(rest);
        const entry = lookup(base);
        if (entry) return build(id, entry, "inference-profile-arn", prefix, region || undefined, options);
        return unknown(base, id);
      }
      if (opaqueResources.has(resource)) {
        return new CachepointError(
          "opaque-model-arn",
          `"${id}" is ${/^[aeiou]/.test(resource) ? "an" : "a"} ${resource} ARN: its underlying model cannot be read from the ARN. Map it to a model ID with the \`aliases\` option, e.g. aliases: { "${id}": "us.anthropic.claude-sonnet-4-6" }.`,
          { details: { modelId: id, resource } },
        );
      }
      return new CachepointError(
        "invalid-model-id",
        `"${id}" names a Bedrock resource of type "${resource}", which is not a model. Use a model ID, inference-profile ID or mapped ARN.`,
        { details: { modelId: id, resource } },
      );
    }
    const { prefix, base } = splitPrefix(id);
    const entry = lookup(base);
    if (entry) return build(id, entry, prefix === undefined ? "base" : "profile", prefix, undefined, options);
    const family = unsupportedFamilies.find((f) => base.startsWith(f.prefix));
    if (family)
      return build(
        id,
        unsupportedEntry(base, family),
        prefix === undefined ? "base" : "profile",
        prefix,
        undefined,
        options,
      );
    return unknown(base, id);
  }

  // The plugin resolves the same few IDs on every call: remember successful resolutions (frozen, so a caller
  // cannot change what the next call gets). Errors are built afresh: they are rare and carry a stack.
  const resolved = new LruCache<string, ResolvedModel>(512);
  function resolveMemo(modelId: string, opts: ResolveOptions): ResolvedModel | CachepointError {
    if (typeof modelId !== "string") return resolveInner(modelId, opts, 0);
    const key =
      opts.region === undefined && opts.route === undefined
        ? modelId
        : `${modelId}\u0000${opts.region ?? ""}\u0000${opts.route ?? ""}`;
    const hit = resolved.get(key);
    if (hit !== undefined) return hit;
    const r = resolveInner(modelId, opts, 0);
    if (!(r instanceof CachepointError)) resolved.set(key, Object.freeze(r));
    return r;
  }

  function unknown(base: string, requestedId: string): CachepointError {
    const suggestions = closestStrings(base, knownIds, 3);
    return new CachepointError(
      "unknown-model",
      `Unknown model "${requestedId}". Closest known IDs: ${suggestions.join(", ")}. If this is a new model, register it with \`models\` or map it with \`aliases\`.`,
      { details: { modelId: requestedId, suggestions } },
    );
  }

  // Every alias is resolved now: a misspelt target fails here, where the registry is made (the plugin, the mock
  // and the CLI all make theirs at start-up), not on each request to that ARN.
  for (const from of aliases.keys()) {
    const r = resolveInner(from, {}, 0);
    if (r instanceof CachepointError) throw r;
  }

  return {
    asOf: table.asOf,
    currency: table.currency,
    resolve(modelId, opts = {}) {
      const r = resolveMemo(modelId, opts);
      if (r instanceof CachepointError) throw r;
      return r;
    },
    tryResolve(modelId, opts = {}) {
      const r = resolveMemo(modelId, opts);
      return r instanceof CachepointError ? undefined : r;
    },
    list: () => [...byId.values()],
  };
}

let defaultRegistry: ModelRegistry | undefined;

/** The registry over the embedded table, with no overrides. @public */
export function getDefaultRegistry(): ModelRegistry {
  defaultRegistry ??= createModelRegistry();
  return defaultRegistry;
}

/** Options for {@link resolveModel}: a registry to use, or registry options to build one from. @public */
export interface ResolveModelOptions extends ResolveOptions, ModelRegistryOptions {
  registry?: ModelRegistry;
}

const registryCache = new WeakMap<object, ModelRegistry>();

/**
 * Resolves a Bedrock model ID in any form: base ID (`anthropic.claude-sonnet-4-6`), inference-profile ID
 * (`us.`, `eu.`, `apac.`, `jp.`, `au.`, `global.`, `us-gov.`), foundation-model ARN or system
 * inference-profile ARN. Application-inference-profile and provisioned-model ARNs resolve through `aliases`.
 * @throws CachepointError `unknown-model` (with the closest known IDs), `opaque-model-arn`, `invalid-model-id`
 * @example
 * const m = resolveModel("global.anthropic.claude-sonnet-4-6");
 * m.rules.minTokensPerCheckpoint; // 1024
 * m.price?.cacheReadPer1M;        // 0.3
 * @public
 */
export function resolveModel(modelId: string, options: ResolveModelOptions = {}): ResolvedModel {
  const { region, route, registry } = options;
  let reg = registry;
  if (!reg) {
    const hasRegistryOptions =
      options.table !== undefined ||
      options.overrides !== undefined ||
      options.models !== undefined ||
      options.aliases !== undefined;
    if (!hasRegistryOptions) reg = getDefaultRegistry();
    else {
      reg = registryCache.get(options);
      if (!reg) {
        reg = createModelRegistry(options);
        registryCache.set(options, reg);
      }
    }
  }
  return region === undefined && route === undefined
    ? reg.resolve(modelId)
    : reg.resolve(modelId, {
        ...(region !== undefined && { region }),
        ...(route !== undefined && { route }),
      });
}
