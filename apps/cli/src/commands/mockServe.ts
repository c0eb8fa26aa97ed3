import { readFileSync } from "node:fs";
import { parseAccounts, startMockServer } from "@cachepoint/mock-transport";
import { cliModels } from "../lib/cliModels.js";
import { UsageError } from "../lib/UsageError.js";

export async function mockServe(o: {
  port: number;
  host: string;
  accounts?: string;
  seed: number;
  verify: boolean;
  aliases?: Record<string, string>;
}): Promise<void> {
  let accounts: ReturnType<typeof parseAccounts> | undefined;
  if (o.accounts) {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(o.accounts, "utf8"));
    } catch (e) {
      throw new UsageError(
        `--accounts: cannot read ${o.accounts} as JSON (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
    try {
      accounts = parseAccounts(doc);
    } catch (e) {
      throw new UsageError(`--accounts: ${(e as Error).message}`);
    }
  }
  let server: Awaited<ReturnType<typeof startMockServer>>;
  try {
    server = await startMockServer({
      port: o.port,
      host: o.host,
      seed: o.seed,
      verifySignatures: o.verify,
      models: cliModels(o.aliases),
      ...(accounts && { accounts }),
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "EADDRINUSE"
        ? `--port: ${o.port} is already in use (try --port 0)`
        : `could not start the mock: ${(e as Error).message}`,
    );
  }
  process.stdout.write(`cachepoint mock Bedrock Runtime listening on ${server.url}\n`);
  process.stdout.write(
    `  --endpoint-url ${server.url}   (AWS CLI, boto3; JS SDK: endpoint: "${server.url}")\n`,
  );
  for (const a of server.mock.accounts)
    process.stdout.write(
      `  account ${a.accountId}: AWS_ACCESS_KEY_ID=${a.accessKeyId} AWS_SECRET_ACCESS_KEY=${a.secretAccessKey}\n`,
    );
  process.stdout.write(
    `  signatures ${o.verify ? "verified" : "not verified"}; admin: POST ${server.url}/_cachepoint/clock/advance {"ms": n}, POST /_cachepoint/reset, GET /_cachepoint/cache, GET /_cachepoint/calls\n`,
  );
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
