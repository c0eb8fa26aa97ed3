/** Error types Bedrock Runtime returns, with their HTTP status (botocore service model). @public */
export type BedrockErrorName =
  | "AccessDeniedException"
  | "ValidationException"
  | "ThrottlingException"
  | "ModelTimeoutException"
  | "ModelNotReadyException"
  | "ResourceNotFoundException"
  | "ServiceQuotaExceededException"
  | "ModelErrorException"
  | "ModelStreamErrorException"
  | "InternalServerException"
  | "ServiceUnavailableException"
  | "UnrecognizedClientException"
  | "InvalidSignatureException"
  | "MissingAuthenticationTokenException"
  | "UnknownOperationException"
  | "SerializationException";

const statusOf: Record<BedrockErrorName, number> = {
  AccessDeniedException: 403,
  ValidationException: 400,
  ThrottlingException: 429,
  ModelTimeoutException: 408,
  ModelNotReadyException: 429,
  ResourceNotFoundException: 404,
  ServiceQuotaExceededException: 400,
  ModelErrorException: 424,
  ModelStreamErrorException: 424,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  MissingAuthenticationTokenException: 403,
  UnknownOperationException: 404,
  SerializationException: 400,
};

/** An error the mock answers with, exactly as Bedrock sends it: `x-amzn-errortype` + `{"message"}`. @public */
export class BedrockError extends Error {
  readonly status: number;
  constructor(
    readonly type: BedrockErrorName,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = type;
    this.status = statusOf[type];
  }
}

/** Stream exception member names (the union member, not the shape name: JS and botocore look these up). */
export const streamMemberOf: Partial<Record<BedrockErrorName, string>> = {
  ThrottlingException: "throttlingException",
  ModelStreamErrorException: "modelStreamErrorException",
  ValidationException: "validationException",
  InternalServerException: "internalServerException",
  ServiceUnavailableException: "serviceUnavailableException",
  ModelTimeoutException: "modelTimeoutException",
};

/** Bedrock's own messages for caching mistakes (bedrock-facts.md §6), in one place. @internal */
export const messages = {
  unsupportedModel: "You invoked an unsupported model or your request did not allow prompt caching.",
  nothingToCache: "There is nothing available to cache. Please remove the invalid cache point and try again.",
  afterReasoning:
    "Cache point cannot be inserted after reasoning block. Please remove the invalid cache point and try again.",
  extendedTtlNova: "Extended TTL prompt caching is only supported for Anthropic models",
  invalidModel: "The provided model identifier is invalid.",
  malformed: "Malformed input request, please reformat your input and try again.",
  tooManyCheckpoints: (found: number, max: number) =>
    `A maximum of ${max} blocks with cache_control may be provided. Found ${found}.`,
  ttlOrder: (path: string) =>
    `The model returned the following errors: ${path}.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: \`tools\`, \`system\`, \`messages\`.`,
  extraTtl: (path: string) =>
    `The model returned the following errors: ${path}.cache_control.ephemeral.ttl: Extra inputs are not permitted`,
  novaExtraneous: (path: string) =>
    `Malformed input request: #/${path}: extraneous key [cachePoint] is not permitted, please reformat your input and try again.`,
  nonPdfDocument: (path: string) => `The model returned the following errors: ${path}.type: Field required`,
} as const;
