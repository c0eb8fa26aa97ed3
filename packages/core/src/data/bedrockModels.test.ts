import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bedrockModels } from "./bedrockModels.js";

const shared = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../../../../shared/data/bedrock-models.json",
);

describe("the embedded model table", () => {
  it("is the shared table, value for value, with its date and sources", () => {
    // CI always has shared/ beside the repo; a published-package consumer does not need it.
    expect(existsSync(shared), `${shared} must exist beside the project`).toBe(true);
    expect(bedrockModels).toEqual(JSON.parse(readFileSync(shared, "utf8")));
    expect(bedrockModels.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const m of bedrockModels.models) expect(m.sources?.length, m.id).toBeGreaterThan(0);
  });
});
