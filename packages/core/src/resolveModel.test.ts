import { describe, expect, it } from "vitest";
import { isCachepointError } from "./CachepointError.js";
import { bedrockModels } from "./data/bedrockModels.js";
import { createModelRegistry, resolveModel } from "./resolveModel.js";

const prefixesOf = (m: (typeof bedrockModels.models)[number]) => [
  ...new Set(m.pricing.flatMap((p) => p.prefixes).filter((p) => p !== "")),
];

describe("resolveModel: every model row through every ID form it supports", () => {
  for (const m of bedrockModels.models) {
    it(`${m.id}`, () => {
      const forms = [
        m.id,
        ...m.aliases,
        `arn:aws:bedrock:us-east-1::foundation-model/${m.id}`,
        ...prefixesOf(m).flatMap((p) => [
          `${p}.${m.id}`,
          `arn:aws:bedrock:us-east-1:111122223333:inference-profile/${p}.${m.id}`,
        ]),
        // Every system-defined geography, priced or not, is a valid profile spelling.
        ...bedrockModels.profilePrefixes.map((p) => `${p}.${m.id}`),
      ];
      for (const id of forms) {
        const r = resolveModel(id);
        expect(r.id, id).toBe(m.id);
        expect(r.rules.minTokensPerCheckpoint, id).toBe(m.caching.minTokensPerCheckpoint);
      }
    });
  }

  it("prices each profile prefix with the row that names it", () => {
    for (const m of bedrockModels.models) {
      for (const row of m.pricing) {
        for (const p of row.prefixes) {
          if (p === "us-gov") continue;
          const r = resolveModel(`${p}.${m.id}`);
          expect(r.price?.inputPer1M, `${p}.${m.id}`).toBe(
            m.pricing.find((x) => x.prefixes.includes(p))!.inputPer1M,
          );
        }
      }
    }
  });
});

describe("resolveModel: routes and prices", () => {
  it("global profile uses the global row, geo profile the geo row, bare ID the in-region row", () => {
    expect(resolveModel("global.anthropic.claude-sonnet-4-6").price?.inputPer1M).toBe(3);
    expect(resolveModel("us.anthropic.claude-sonnet-4-6").route).toBe("geo");
    expect(resolveModel("us.anthropic.claude-sonnet-4-6").price?.inputPer1M).toBe(3.3);
    expect(resolveModel("anthropic.claude-sonnet-4-6").route).toBe("in-region");
  });

  it("GovCloud: the us-gov prefix or a us-gov Region selects the govcloud row", () => {
    const viaPrefix = resolveModel("us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(viaPrefix.profilePrefix).toBe("us-gov");
    expect(viaPrefix.route).toBe("govcloud");
    expect(viaPrefix.price?.inputPer1M).toBe(3.6);
    const viaRegion = resolveModel("anthropic.claude-haiku-4-5-20251001-v1:0", { region: "us-gov-west-1" });
    expect(viaRegion.route).toBe("govcloud");
    const viaArn = resolveModel(
      "arn:aws-us-gov:bedrock:us-gov-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
    );
    expect(viaArn.route).toBe("govcloud");
    expect(viaArn.region).toBe("us-gov-east-1");
  });

  it("older Claude: one 'single' rate for the bare ID and its listed prefixes", () => {
    const r = resolveModel("eu.anthropic.claude-3-7-sonnet-20250219-v1:0");
    expect(r.route).toBe("single");
    expect(r.price?.cacheWrite5mPer1M).toBe(3.75);
  });

  it("a caller can force a route", () => {
    expect(resolveModel("anthropic.claude-sonnet-4-6", { route: "global" }).price?.inputPer1M).toBe(3);
  });

  it("spellings AWS pages disagree on resolve to the same model", () => {
    expect(resolveModel("anthropic.claude-sonnet-4-6-v1:0").id).toBe("anthropic.claude-sonnet-4-6");
    expect(resolveModel("global.anthropic.claude-sonnet-4-6-v1:0").id).toBe("anthropic.claude-sonnet-4-6");
    expect(resolveModel("anthropic.claude-opus-4-6-v1:0").id).toBe("anthropic.claude-opus-4-6-v1");
    expect(resolveModel("  us.anthropic.claude-opus-5  ").id).toBe("anthropic.claude-opus-5");
  });
});

describe("resolveModel: errors a user can act on", () => {
  it("an unknown ID names the closest known IDs", () => {
    try {
      resolveModel("us.anthropic.claude-sonet-4-6");
      expect.unreachable();
    } catch (e) {
      expect(isCachepointError(e)).toBe(true);
      if (!isCachepointError(e)) throw e;
      expect(e.reason).toBe("unknown-model");
      expect(e.details?.suggestions).toContain("anthropic.claude-sonnet-4-6");
      expect(e.message).toContain("anthropic.claude-sonnet-4-6");
    }
  });

  it("an application-inference-profile ARN is opaque and says how to map it", () => {
    const arn = "arn:aws:bedrock:us-west-2:111122223333:application-inference-profile/abc123";
    expect(() => resolveModel(arn)).toThrowError(/aliases/);
    try {
      resolveModel(arn);
    } catch (e) {
      expect(isCachepointError(e) && e.reason).toBe("opaque-model-arn");
    }
    const mapped = resolveModel(arn, { aliases: { [arn]: "us.anthropic.claude-sonnet-4-6" } });
    expect(mapped.id).toBe("anthropic.claude-sonnet-4-6");
    expect(mapped.idForm).toBe("alias");
    expect(mapped.route).toBe("geo");
  });

  it("a provisioned-model ARN is opaque too", () => {
    const arn = "arn:aws:bedrock:us-east-1:111122223333:provisioned-model/xyz";
    expect(() => resolveModel(arn)).toThrowError(/provisioned-model ARN/);
  });

  it("malformed IDs and ARNs are refused with the expected shape", () => {
    expect(() => resolveModel("")).toThrowError(/model ID is required/);
    expect(() => resolveModel("arn:aws:s3:::bucket")).toThrowError(/not a Bedrock ARN/);
    expect(() => resolveModel("arn:aws:bedrock:us-east-1:111122223333:knowledge-base/kb1")).toThrowError(
      /not a model/,
    );
    expect(() => resolveModel("x".repeat(3000))).toThrowError(/at most 2048/);
  });

  it("families that cannot cache resolve, marked unsupported, instead of 'unknown'", () => {
    const llama = resolveModel("us.meta.llama3-3-70b-instruct-v1:0");
    expect(llama.rules.supportsExplicitCaching).toBe(false);
    expect(llama.rules.unsupportedReason).toMatch(/Llama/);
    const gpt = resolveModel("global.openai.gpt-5.6-sol");
    expect(gpt.rules.supportsExplicitCaching).toBe(false);
    expect(gpt.rules.unsupportedReason).toMatch(/Responses API/);
  });
});

describe("createModelRegistry: overrides, new models, aliases", () => {
  it("deep-merges caching overrides without touching other fields or the default registry", () => {
    const reg = createModelRegistry({
      overrides: { "anthropic.claude-sonnet-4-6": { caching: { minTokensPerCheckpoint: 2048 } } },
    });
    const r = reg.resolve("global.anthropic.claude-sonnet-4-6");
    expect(r.rules.minTokensPerCheckpoint).toBe(2048);
    expect(r.rules.maxCheckpoints).toBe(4);
    expect(r.price?.inputPer1M).toBe(3);
    expect(resolveModel("global.anthropic.claude-sonnet-4-6").rules.minTokensPerCheckpoint).toBe(1024);
  });

  it("overrides through resolveModel options too", () => {
    const r = resolveModel("amazon.nova-pro-v1:0", {
      overrides: { "amazon.nova-pro-v1:0": { caching: { maxCachedTokens: 32000 } } },
    });
    expect(r.rules.maxCachedTokens).toBe(32000);
  });

  it("registers a new model", () => {
    const base = bedrockModels.models.find((m) => m.id === "anthropic.claude-opus-5")!;
    const reg = createModelRegistry({
      models: [{ ...base, id: "anthropic.claude-opus-6", aliases: [], name: "Claude Opus 6" }],
    });
    expect(reg.resolve("global.anthropic.claude-opus-6").name).toBe("Claude Opus 6");
  });

  it("refuses to override a model it does not know", () => {
    expect(() => createModelRegistry({ overrides: { "anthropic.claude-nope": { name: "x" } } })).toThrowError(
      /no such model/,
    );
  });

  it("Nova 2 Lite has no documented checkpoint maximum: 4 is assumed and flagged", () => {
    const r = resolveModel("us.amazon.nova-2-lite-v1:0");
    expect(r.rules.maxCheckpoints).toBe(4);
    expect(r.rules.maxCheckpointsKnown).toBe(false);
  });
});

describe("resolveModel: remembered resolutions", () => {
  it("answers a repeated ID with the same frozen result, and a different Region with its own", () => {
    const reg = createModelRegistry();
    const a = reg.resolve("us.anthropic.claude-sonnet-4-6");
    expect(reg.resolve("us.anthropic.claude-sonnet-4-6")).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(() => {
      (a as { id: string }).id = "tampered";
    }).toThrow(TypeError);
    const gov = reg.resolve("anthropic.claude-sonnet-4-6", { region: "us-gov-west-1" });
    expect(gov.region).toBe("us-gov-west-1");
    expect(reg.resolve("anthropic.claude-sonnet-4-6").region).toBeUndefined();
  });

  it("still throws a fresh typed error for an unknown ID every time", () => {
    const reg = createModelRegistry();
    for (let i = 0; i < 2; i++) {
      expect(() => reg.resolve("anthropic.claude-sonet-4-6")).toThrow(/Unknown model/);
    }
  });
});
