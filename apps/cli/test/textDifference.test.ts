import { describe, expect, it } from "vitest";
import { blockText, firstTextDifference } from "../src/lib/textDifference.js";

describe("the text of a differing block", () => {
  it("follows layout paths into Converse inputs and InvokeModel bodies", () => {
    const converse = {
      system: [{ text: "be brief" }],
      messages: [
        { role: "user", content: [{ text: "hi" }, { toolResult: { toolUseId: "t1", content: [] } }] },
      ],
    };
    expect(blockText(converse, "system/0")).toBe("be brief");
    expect(blockText(converse, "messages/0/content/0")).toBe("hi");
    expect(blockText(converse, "messages/0/content/1")).toBe(
      '{"toolResult":{"toolUseId":"t1","content":[]}}',
    );
    const anthropic = { system: "be brief", messages: [{ role: "user", content: "hi" }] };
    expect(blockText(anthropic, "system")).toBe("be brief");
    expect(blockText(anthropic, "messages/0/content")).toBe("hi");
    expect(blockText(anthropic, "messages/4/content")).toBeUndefined();
    expect(blockText(anthropic, "system/0/text")).toBeUndefined();
  });

  it("shows where two texts part, with what they share just before", () => {
    const a = `${"policy ".repeat(10)}Time: 10:15:00Z. Be brief.`;
    const b = `${"policy ".repeat(10)}Time: 10:16:40Z. Be brief.`;
    const d = firstTextDifference(a, b, 10, 12)!;
    expect(d.at).toBe(a.indexOf("5:00"));
    expect(d.previous).toBe("…Time: 10:15:00Z. Be br…");
    expect(d.next).toBe("…Time: 10:16:40Z. Be br…");
    expect(firstTextDifference("same", "same")).toBeUndefined();
    expect(firstTextDifference("short", "short and more")).toEqual({
      at: 5,
      previous: "short",
      next: "short and more",
    });
  });
});
