/** A test identity the mock accepts. @public */
export interface MockAccount {
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Bedrock API keys (`Authorization: Bearer …`) that belong to this account. */
  readonly bearerTokens?: readonly string[];
}

/**
 * The two documented test accounts used when none are configured. Signed requests with these keys (or
 * bearer tokens) map to their account; each account has its own cache.
 * @public
 */
export const defaultAccounts: readonly MockAccount[] = Object.freeze([
  {
    accountId: "111111111111",
    accessKeyId: "AKIDCACHEPOINTA",
    secretAccessKey: "cachepoint-test-secret-a",
    bearerTokens: ["cachepoint-test-bearer-a"],
  },
  {
    accountId: "222222222222",
    accessKeyId: "AKIDCACHEPOINTB",
    secretAccessKey: "cachepoint-test-secret-b",
    bearerTokens: ["cachepoint-test-bearer-b"],
  },
]);

/**
 * Parses the server's `--accounts <file>` document: `{"accounts": [{"accountId", "accessKeyId", "secretAccessKey", "bearerTokens"}]}`.
 * @throws Error naming the field at fault.
 * @public
 */
export function parseAccounts(doc: unknown): MockAccount[] {
  const list = (doc as { accounts?: unknown })?.accounts;
  if (!Array.isArray(list) || list.length === 0)
    throw new Error('accounts file: expected {"accounts": [ … ]} with at least one account');
  return list.map((a, i) => {
    const o = a as Record<string, unknown>;
    for (const f of ["accountId", "accessKeyId", "secretAccessKey"] as const) {
      if (typeof o?.[f] !== "string" || o[f] === "")
        throw new Error(`accounts file: accounts[${i}].${f} must be a non-empty string`);
    }
    if (!/^\d{12}$/.test(o.accountId as string))
      throw new Error(`accounts file: accounts[${i}].accountId must be 12 digits`);
    if (
      o.bearerTokens !== undefined &&
      (!Array.isArray(o.bearerTokens) || o.bearerTokens.some((t) => typeof t !== "string"))
    ) {
      throw new Error(`accounts file: accounts[${i}].bearerTokens must be a list of strings`);
    }
    return {
      accountId: o.accountId as string,
      accessKeyId: o.accessKeyId as string,
      secretAccessKey: o.secretAccessKey as string,
      ...(o.bearerTokens !== undefined && { bearerTokens: o.bearerTokens as string[] }),
    };
  });
}
