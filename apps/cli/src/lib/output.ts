import Table from "cli-table3";
import pc from "picocolors";

/** Where human output goes; `--json` commands print one JSON document to stdout and nothing else. */
export interface Out {
  json: boolean;
  log(line?: string): void;
}

export function createOut(json: boolean): Out {
  return {
    json,
    log(line = "") {
      if (!json) process.stdout.write(`${line}\n`);
    },
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function table(head: string[], rows: (string | number)[][], align?: ("left" | "right")[]): string {
  const t = new Table({
    head: head.map((h) => pc.bold(h)),
    style: { head: [], border: [], compact: true },
    ...(align && { colAligns: align }),
  });
  for (const r of rows) t.push(r.map(String));
  return t.toString();
}

export const usd = (n: number) => `$${n.toFixed(n !== 0 && Math.abs(n) < 0.01 ? 6 : 4)}`;
export const int = (n: number) => Math.round(n).toLocaleString("en-US");
export const pct = (n: number) => `${n.toFixed(1)}%`;

export function severityLabel(s: "error" | "warning" | "info"): string {
  return s === "error" ? pc.red("error") : s === "warning" ? pc.yellow("warning") : pc.dim("info");
}
