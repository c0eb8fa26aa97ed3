export { type BlockSpec, buildLayout, type LayoutSpec } from "./buildLayout.js";
export { type CacheAdvisor, type CacheAdvisorOptions, createCacheAdvisor } from "./CacheAdvisor.js";
export type {
  CachePlan,
  CheckpointChange,
  CheckpointRole,
  PlanEstimate,
  PlannedCheckpoint,
  Strategy,
} from "./CachePlan.js";
export {
  CachepointError,
  type CachepointErrorOptions,
  type CachepointErrorReason,
  isCachepointError,
} from "./CachepointError.js";
export { addUsage, type CacheUsage, emptyUsage, totalInputTokens } from "./CacheUsage.js";
export { calibrateLayout } from "./calibrateLayout.js";
export type { Diagnostic, DiagnosticCode, Severity } from "./Diagnostic.js";
export { bedrockModels } from "./data/bedrockModels.js";
export { describeContent } from "./describeContent.js";
export {
  type ExplainMissOptions,
  explainMiss,
  type MissExplanation,
  type MissReason,
  type RequestContext,
} from "./explainMiss.js";
export {
  chainFingerprint,
  contentFingerprint,
  contentFingerprintBytes,
  fingerprint,
  fingerprintBytes,
} from "./fingerprint.js";
export { BytesMemo } from "./internal/BytesMemo.js";
export { ContentMemo } from "./internal/ContentMemo.js";
export { jsonDepth, maxJsonDepth } from "./jsonDepth.js";
export { type ModelRules, ttlMs } from "./ModelRules.js";
export { base64ByteLength, estimateMediaTokens } from "./mediaTokens.js";
export type {
  CachingRules,
  ForbiddenPlacement,
  ModelEntry,
  ModelOverride,
  ModelTable,
  PriceRoute,
  PriceRow,
  Section,
  Ttl,
} from "./modelTypes.js";
export {
  fromAnthropicUsage,
  fromBedrockHeaders,
  fromConverseUsage,
  fromInvocationMetrics,
  fromNovaUsage,
  type HeaderSource,
  normalizeUsage,
} from "./normalizeUsage.js";
export type { BlockKind, ExistingCheckpoint, LayoutBlock, PromptLayout } from "./PromptLayout.js";
export { type PlanOptions, planCheckpoints } from "./planCheckpoints.js";
export { prefixKeys } from "./prefixKeys.js";
export {
  breakEvenReads,
  type CostBreakdown,
  costOf,
  type EffectivePrices,
  type ExpectedSavings,
  effectivePrices,
  expectedSavings,
  type QuotaEffect,
  quotaEffect,
  recommendTtl,
  savingsPerWindow,
  type TtlRecommendation,
  type WindowSavings,
} from "./pricing.js";
export {
  createModelRegistry,
  getDefaultRegistry,
  type ModelIdForm,
  type ModelRegistry,
  type ModelRegistryOptions,
  type ResolvedModel,
  type ResolveModelOptions,
  type ResolveOptions,
  resolveModel,
} from "./resolveModel.js";
export {
  createEstimator,
  defaultTokenCounter,
  type EstimatorOptions,
  type TokenCounter,
} from "./TokenCounter.js";
export type { TrafficHints } from "./TrafficHints.js";
export { type CheckpointIssue, validateCheckpoints } from "./validateCheckpoints.js";
export { validateHints } from "./validateHints.js";
export { validatePlanOptions } from "./validatePlanOptions.js";
export { type VolatileKind, type VolatileValue, volatileValue } from "./volatileValue.js";
