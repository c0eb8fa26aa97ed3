import { createHash, timingSafeEqual } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { MockAccount } from "./accounts.js";
import { BedrockError } from "./BedrockError.js";
import type { MockRequest } from "./MockRequest.js";

/** Who sent a request. @internal */
export interface Caller {
  accountId: string;
  region: string | undefined;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;
const FIFTEEN_MINUTES = 15 * 60_000;
const sha256 = Hash.bind(null, "sha256");

/**
 * Identifies the caller from SigV4 (the access key's account, the scope's Region) or a bearer API key,
 * and optionally verifies the signature with `@smithy/signature-v4` over the raw, still-encoded path, as
 * Bedrock does (wire-protocol.md §5).
 * @internal
 */
export async function authenticate(
  req: MockRequest,
  accounts: readonly MockAccount[],
  options: { verify: boolean; now: () => number; defaultRegion: string },
): Promise<Caller> {
  const auth = req.headers.authorization;
  if (auth === undefined || auth === "") {
    throw new BedrockError("MissingAuthenticationTokenException", "Missing Authentication Token");
  }
  if (auth.startsWith("Bearer ")) {
    const token = auth.slice(7).trim();
    const acct = accounts.find((a) => a.bearerTokens?.includes(token));
    if (!acct)
      throw new BedrockError(
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
      );
    const host = req.headers[":authority"] ?? req.headers.host ?? "";
    const region = /bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\./.exec(host)?.[1];
    return { accountId: acct.accountId, region: region ?? options.defaultRegion };
  }
  const m = AUTH.exec(auth);
  if (!m) {
    throw new BedrockError(
      "InvalidSignatureException",
      "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.",
    );
  }
  const [, akid, , region, service, signed, signature] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const acct = accounts.find((a) => a.accessKeyId === akid);
  if (!acct)
    throw new BedrockError(
      "UnrecognizedClientException",
      "The security token included in the request is invalid.",
    );
  if (!options.verify) return { accountId: acct.accountId, region };

  if (service !== "bedrock") {
    throw new BedrockError(
      "InvalidSignatureException",
      `Credential should be scoped to correct service: 'bedrock'.`,
    );
  }
  const amzDate = req.headers["x-amz-date"] ?? "";
  const dm = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(amzDate);
  if (!dm) throw new BedrockError("InvalidSignatureException", "Missing or malformed X-Amz-Date header.");
  const signingDate = new Date(`${dm[1]}-${dm[2]}-${dm[3]}T${dm[4]}:${dm[5]}:${dm[6]}Z`);
  const skew = signingDate.getTime() - options.now();
  if (Math.abs(skew) > FIFTEEN_MINUTES) {
    throw new BedrockError(
      "InvalidSignatureException",
      `Signature expired: ${amzDate} is now ${skew < 0 ? "earlier" : "later"} than ${new Date(options.now() + (skew < 0 ? -FIFTEEN_MINUTES : FIFTEEN_MINUTES)).toISOString().replace(/[-:]|\.\d{3}/g, "")} (${new Date(options.now()).toISOString().replace(/[-:]|\.\d{3}/g, "")} ${skew < 0 ? "-" : "+"} 15 min.)`,
    );
  }
  // The signer trusts x-amz-content-sha256, so check it against the body ourselves.
  const declared = req.headers["x-amz-content-sha256"];
  if (
    declared &&
    declared !== "UNSIGNED-PAYLOAD" &&
    declared !== createHash("sha256").update(req.body).digest("hex")
  ) {
    throw new BedrockError(
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
    );
  }
  const names = signed.split(";");
  const headers: Record<string, string> = {};
  for (const n of names) {
    const v = req.headers[n];
    if (v !== undefined) headers[n] = v;
  }
  const [path = "/", qs = ""] = req.rawPath.split("?");
  const signer = new SignatureV4({
    credentials: { accessKeyId: akid, secretAccessKey: acct.secretAccessKey },
    region,
    service,
    sha256,
    uriEscapePath: true,
    applyChecksum: false,
  });
  const out = await signer.sign(
    new HttpRequest({
      method: req.method,
      hostname: "mock",
      path,
      query: Object.fromEntries(new URLSearchParams(qs)),
      headers,
      body: req.body,
    }),
    { signingDate, signableHeaders: new Set(names) },
  );
  const expected =
    /Signature=([0-9a-f]{64})/.exec(String(out.headers.authorization ?? out.headers.Authorization))?.[1] ??
    "";
  if (
    expected.length !== signature.length ||
    !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))
  ) {
    throw new BedrockError(
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
    );
  }
  return { accountId: acct.accountId, region };
}
