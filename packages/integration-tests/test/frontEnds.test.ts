import { defaultAccounts } from "@cachepoint/mock-transport";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FrontEnd, inProcess, viaMsw, viaServer } from "./frontEnds.js";
import { countTokens, ops } from "./requests.js";

const MIN = 60_000;
const factories: [string, () => Promise<FrontEnd>][] = [
  ["in-process", inProcess],
  ["msw-node", () => viaMsw("node")],
  ["msw-fetch", () => viaMsw("fetch")],
  ["server-h2", () => viaServer("h2")],
  ["server-h1", () => viaServer("h1")],
];

for (const [label, make] of factories) {
  describe(`real SDK through ${label}`, () => {
    let fe: FrontEnd;
    beforeAll(async () => {
      fe = await make();
    });
    afterAll(async () => {
      await fe.close();
    });

    for (const [name, op] of Object.entries(ops)) {
      it(`${name}: first writes, second reads, past the TTL writes again`, async () => {
        fe.mock.reset();
        const client = fe.client();
        const first = await op(client);
        expect(first.cacheWriteInputTokens).toBeGreaterThan(1024);
        expect(first.cacheReadInputTokens).toBe(0);
        fe.mock.advance(4 * MIN);
        const second = await op(client);
        expect(second.cacheReadInputTokens).toBe(first.cacheWriteInputTokens);
        expect(second.cacheWriteInputTokens).toBe(0);
        fe.mock.advance(5 * MIN + 1);
        const third = await op(client);
        expect(third.cacheWriteInputTokens).toBe(first.cacheWriteInputTokens);
      });
    }

    it("1h entries survive where 5m ones expire, and a hit refreshes the TTL", async () => {
      fe.mock.reset();
      const client = fe.client();
      await ops.Converse!(client, "1h", "q1");
      await ops.InvokeModel!(client, "5m", "q2");
      // Different TTL in Converse and InvokeModel writes are the same prefix; use distinct models of time instead:
      fe.mock.advance(30 * MIN);
      expect((await ops.Converse!(client, "1h", "q1")).cacheReadInputTokens).toBeGreaterThan(0);
      fe.mock.reset();
      await ops.Converse!(client, "5m");
      for (let i = 0; i < 4; i++) {
        fe.mock.advance(4 * MIN);
        expect((await ops.Converse!(client, "5m")).cacheReadInputTokens, `read ${i + 1}`).toBeGreaterThan(0);
      }
      fe.mock.advance(30 * MIN);
      expect((await ops.Converse!(client, "5m")).cacheReadInputTokens).toBe(0);
    });

    it("another account never hits", async () => {
      fe.mock.reset();
      await ops.Converse!(fe.client(defaultAccounts[0]));
      const other = await ops.Converse!(fe.client(defaultAccounts[1]));
      expect(other.cacheReadInputTokens).toBe(0);
      expect(other.cacheWriteInputTokens).toBeGreaterThan(0);
      const again = await ops.Converse!(fe.client(defaultAccounts[0]));
      expect(again.cacheReadInputTokens).toBeGreaterThan(0);
    });

    it("CountTokens counts the prompt", async () => {
      const n = await countTokens(fe.client());
      expect(n).toBeGreaterThan(1024);
    });

    it("every response carries a request ID, and the call log sees each call", async () => {
      fe.mock.reset();
      await ops.Converse!(fe.client());
      const calls = fe.mock.calls();
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        operation: "Converse",
        accountId: "111111111111",
        region: "us-east-1",
        status: 200,
      });
      expect(calls[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
}
