/** What to do about the errors a first --live run meets (track and doctor), named by the SDK's error names. */
export function liveHint(e: unknown): string {
  const name = (e as Error)?.name;
  if (name === "CredentialsProviderError")
    return ". --live uses the default AWS credential chain: set AWS_PROFILE (after `aws sso login` if it is an SSO profile) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; `cachepoint doctor` shows what it finds. Without --live, track runs on the embedded mock.";
  if (/did not allow prompt caching/i.test((e as Error)?.message ?? ""))
    return ". This model does not take cache checkpoints on Bedrock: `cachepoint price --model <id>` says which models cache.";
  if (name === "AccessDeniedException")
    return ". The credentials need bedrock:InvokeModel (Converse uses it too) on this model, and the model must be enabled for the account in this Region (Bedrock console → Model access).";
  if (
    name === "ValidationException" &&
    /model identifier is invalid|on-demand throughput/i.test((e as Error).message)
  )
    return ". Check --model: some models are reachable only through an inference profile (a us., eu., apac. or global. prefix), and --region must offer it.";
  return "";
}
