/**
 * Bedrock model families that do not accept explicit prompt-caching checkpoints. Knowing them lets the
 * planner say "this model cannot cache" instead of "unknown model".
 * Sources: AWS-SAMPLES README ("Not listed in prompt caching supported models": Llama 4, Mistral, DeepSeek,
 * GPT-OSS); zeroclaw PR #7315 (Qwen), strands PR #1807 (Llama), models.dev PR #5082 (Grok), AWS-PC/D
 * (GPT-5.5 and earlier: automatic caching only).
 * @internal
 */
export const unsupportedFamilies: readonly { prefix: string; provider: string; why: string }[] = [
  { prefix: "meta.", provider: "meta", why: "Meta Llama models are not in Bedrock's prompt-caching list" },
  { prefix: "mistral.", provider: "mistral", why: "Mistral models are not in Bedrock's prompt-caching list" },
  {
    prefix: "deepseek.",
    provider: "deepseek",
    why: "DeepSeek models are not in Bedrock's prompt-caching list",
  },
  { prefix: "qwen.", provider: "qwen", why: "Qwen models reject cachePoint on Bedrock" },
  { prefix: "xai.", provider: "xai", why: "xAI Grok rejects Converse cachePoint on Bedrock" },
  { prefix: "cohere.", provider: "cohere", why: "Cohere models are not in Bedrock's prompt-caching list" },
  { prefix: "ai21.", provider: "ai21", why: "AI21 models are not in Bedrock's prompt-caching list" },
  { prefix: "writer.", provider: "writer", why: "Writer models are not in Bedrock's prompt-caching list" },
  { prefix: "amazon.titan", provider: "amazon", why: "Amazon Titan models do not support prompt caching" },
  {
    prefix: "openai.gpt-oss",
    provider: "openai",
    why: "GPT-OSS models are not in Bedrock's prompt-caching list",
  },
  {
    prefix: "openai.gpt-5.5",
    provider: "openai",
    why: "GPT-5.5 and earlier cache automatically only; explicit checkpoints are not accepted",
  },
  {
    prefix: "openai.gpt-5.4",
    provider: "openai",
    why: "GPT-5.5 and earlier cache automatically only; explicit checkpoints are not accepted",
  },
  {
    prefix: "anthropic.claude-3-haiku",
    provider: "anthropic",
    why: "Claude 3 Haiku is not in Bedrock's prompt-caching list",
  },
  {
    prefix: "anthropic.claude-3-sonnet",
    provider: "anthropic",
    why: "Claude 3 Sonnet is not in Bedrock's prompt-caching list",
  },
  {
    prefix: "anthropic.claude-3-opus",
    provider: "anthropic",
    why: "Claude 3 Opus is not in Bedrock's prompt-caching list",
  },
  {
    prefix: "anthropic.claude-3-5-sonnet-20240620",
    provider: "anthropic",
    why: "Claude 3.5 Sonnet (June 2024) is not in Bedrock's prompt-caching list",
  },
  {
    prefix: "anthropic.claude-v2",
    provider: "anthropic",
    why: "Claude 2 uses the legacy text-completion API, which cannot cache",
  },
  {
    prefix: "anthropic.claude-instant",
    provider: "anthropic",
    why: "Claude Instant uses the legacy text-completion API, which cannot cache",
  },
];
