import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, startMockServe } from "./helpers.js";

// The --live code paths (real SDK, default credential chain, measured latency) against `cachepoint mock serve`
// standing in for Bedrock via --endpoint-url: everything but AWS itself.
describe("--live against a mock endpoint", () => {
  let url = "";
  let stop: () => Promise<unknown> = async () => {};
  beforeAll(async () => {
    const serve = await startMockServe();
    url = serve.url;
    stop = serve.stop;
  });
  afterAll(() => stop());
  const env = {
    AWS_ACCESS_KEY_ID: "AKIDCACHEPOINTA",
    AWS_SECRET_ACCESS_KEY: "cachepoint-test-secret-a",
    AWS_REGION: "us-east-1",
  };

  it("track --live: measured latency, a write then reads, through the default credential chain", async () => {
    const r = await cli(["track", "--live", "--endpoint-url", url, "--requests", "3", "--json"], { env });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ source: "live", latency: "measured" });
    expect(doc.requests[0].cacheWriteInputTokens).toBeGreaterThan(4000);
    expect(doc.requests[2].cacheReadInputTokens).toBe(doc.requests[0].cacheWriteInputTokens);
  });

  it("doctor --live: the two-request probe shows a write, then a read", async () => {
    const r = await cli(["doctor", "--live", "--endpoint-url", url, "--json"], { env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const probe = JSON.parse(r.stdout).checks.find((c: { name: string }) => c.name === "live probe");
    expect(probe.status).toBe("ok");
    expect(probe.detail).toMatch(/request 2 read [1-9]/);
  });

  it("wrong credentials fail the live probe with Bedrock's error, exit 1", async () => {
    const r = await cli(["doctor", "--live", "--endpoint-url", url], {
      env: { ...env, AWS_SECRET_ACCESS_KEY: "wrong" },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL live probe: InvalidSignatureException/);
  });

  it("no credentials at all: the failure says where --live looks for them and what to set", async () => {
    const r = await cli(["track", "--live", "--endpoint-url", url, "--requests", "1"], {
      env: { AWS_REGION: "us-east-1", AWS_EC2_METADATA_DISABLED: "true" },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/CredentialsProviderError: .*set AWS_PROFILE .* or AWS_ACCESS_KEY_ID/);
  });

  it("--endpoint-url without --live, or not a URL, is bad usage", async () => {
    expect(await cli(["track", "--endpoint-url", url])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--endpoint-url needs --live/),
    });
    expect(await cli(["track", "--live", "--endpoint-url", "nope"])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--endpoint-url takes a URL/),
    });
  });
});
