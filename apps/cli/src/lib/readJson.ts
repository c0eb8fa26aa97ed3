import { readFileSync } from "node:fs";
import { UsageError } from "./UsageError.js";

/** Reads a JSON document from a file, or from stdin when the path is `-` (or absent and stdin is piped). */
export function readJson(path: string | undefined, what: string): unknown {
  let text: string;
  let where: string;
  if (path === undefined || path === "-") {
    if (path === undefined && process.stdin.isTTY)
      throw new UsageError(`${what}: give a file, or pipe JSON into stdin`);
    text = readFileSync(0, "utf8");
    where = "stdin";
  } else {
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(
        code === "ENOENT"
          ? `${what}: no such file: ${path}`
          : `${what}: cannot read ${path} (${code ?? (e as Error).message})`,
      );
    }
    where = path;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${what}: ${where} is not valid JSON (${(e as Error).message})`);
  }
}
