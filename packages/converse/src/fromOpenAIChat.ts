import type { ConverseCommandInput } from "@aws-sdk/client-bedrock-runtime";
import { CachepointError, type Diagnostic } from "@cachepoint/core";
import { isObj, type Json } from "./json.js";

/** An OpenAI-style chat request as Portkey and LiteLLM accept it, with `cache_control` on parts and tools. @public */
export interface OpenAIChatRequest {
  model?: string;
  messages: readonly {
    role: "system" | "developer" | "user" | "assistant" | "tool";
    content?: string | readonly Json[] | null;
    tool_calls?: readonly { id: string; type?: "function"; function: { name: string; arguments: string } }[];
    tool_call_id?: string;
    cache_control?: Json;
  }[];
  tools?: readonly {
    type?: "function";
    function: { name: string; description?: string; parameters?: unknown };
    cache_control?: Json;
  }[];
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string | readonly string[];
}

/** The Converse input and what could not be carried over. @public */
export interface ConvertedChat {
  /**
   * Typed as the SDK's Converse input, so it goes straight into `new ConverseCommand({ ...input, modelId })`
   * (the model is optional here: an OpenAI-style request may not name a Bedrock model).
   */
  readonly input: Omit<ConverseCommandInput, "modelId" | "messages"> & {
    modelId?: string;
    messages: NonNullable<ConverseCommandInput["messages"]>;
  };
  readonly diagnostics: readonly Diagnostic[];
}

const cachePoint = (cc: Json): Json => ({
  cachePoint: { type: "default", ...(cc.ttl === "1h" || cc.ttl === "5m" ? { ttl: cc.ttl } : {}) },
});

function parts(
  content: OpenAIChatRequest["messages"][number]["content"],
  where: string,
  diagnostics: Diagnostic[],
): Json[] {
  if (content === null || content === undefined) return [];
  if (typeof content === "string") return [{ text: content }];
  const out: Json[] = [];
  content.forEach((p, i) => {
    if (p.type === "text" && typeof p.text === "string") out.push({ text: p.text });
    else if (p.type === "image_url" && isObj(p.image_url) && typeof p.image_url.url === "string") {
      const m = /^data:image\/(png|jpeg|gif|webp);base64,(.*)$/.exec(p.image_url.url);
      const bytes = m ? fromBase64(m[2]!) : undefined;
      // The SDK takes image bytes as bytes: a base64 string would be encoded a second time and reach Bedrock garbled.
      if (bytes) out.push({ image: { format: m![1], source: { bytes } } });
      else if (m)
        diagnostics.push({
          code: "malformed-request",
          severity: "error",
          message: `${where}.content[${i}]: the data: URL is not valid base64; the part was dropped.`,
          path: `${where}/content/${i}`,
        });
      else
        diagnostics.push({
          code: "unknown-body-format",
          severity: "warning",
          message: `${where}.content[${i}]: only data: URL images can be sent to Converse; the part was dropped.`,
          path: `${where}/content/${i}`,
        });
    } else {
      diagnostics.push({
        code: "unknown-body-format",
        severity: "warning",
        message: `${where}.content[${i}]: part type ${JSON.stringify(p.type)} has no Converse equivalent and was dropped.`,
        path: `${where}/content/${i}`,
      });
    }
    if (isObj(p.cache_control)) out.push(cachePoint(p.cache_control));
  });
  return out;
}

/**
 * Converts an OpenAI-style chat request with `cache_control` on content parts and tools (the unified shape
 * Portkey and LiteLLM accept) into a Converse input with the equivalent `cachePoint` blocks, so prompts
 * written for those gateways keep their checkpoints. System and developer messages become `system`; tool
 * calls and tool messages become `toolUse` / `toolResult`; consecutive messages of one role are merged, as
 * Converse requires alternating turns.
 * @public
 */
export function fromOpenAIChat(req: OpenAIChatRequest): ConvertedChat {
  if (!isObj(req) || !Array.isArray(req.messages)) {
    throw new CachepointError("malformed-request", "An OpenAI-style chat request needs a messages array.");
  }
  const diagnostics: Diagnostic[] = [];
  const system: Json[] = [];
  const messages: Json[] = [];
  const push = (role: "user" | "assistant", content: Json[]) => {
    const last = messages.at(-1);
    if (last && last.role === role) (last.content as Json[]).push(...content);
    else messages.push({ role, content });
  };
  req.messages.forEach((m, i) => {
    const where = `messages[${i}]`;
    const content = parts(m.content, where, diagnostics);
    if (isObj(m.cache_control)) content.push(cachePoint(m.cache_control));
    switch (m.role) {
      case "system":
      case "developer":
        system.push(...content);
        break;
      case "user":
        push("user", content);
        break;
      case "assistant":
        for (const call of m.tool_calls ?? []) {
          let input: unknown = {};
          try {
            input = JSON.parse(call.function.arguments || "{}");
          } catch {
            diagnostics.push({
              code: "malformed-request",
              severity: "error",
              message: `${where}.tool_calls: arguments of ${call.id} are not JSON.`,
              path: `messages/${i}`,
            });
          }
          content.push({ toolUse: { toolUseId: call.id, name: call.function.name, input } });
        }
        push("assistant", content);
        break;
      case "tool": {
        const text = content.filter((c) => "text" in c);
        const rest = content.filter((c) => "cachePoint" in c);
        push("user", [
          { toolResult: { toolUseId: m.tool_call_id ?? "", content: text.length ? text : [{ text: "" }] } },
          ...rest,
        ]);
        break;
      }
      default:
        diagnostics.push({
          code: "malformed-request",
          severity: "error",
          message: `${where}.role ${JSON.stringify(m.role)} is not a chat role.`,
          path: `messages/${i}`,
        });
    }
  });
  const tools: Json[] = [];
  for (const t of req.tools ?? []) {
    tools.push({
      toolSpec: {
        name: t.function.name,
        ...(t.function.description && { description: t.function.description }),
        inputSchema: { json: t.function.parameters ?? { type: "object" } },
      },
    });
    if (isObj(t.cache_control)) tools.push(cachePoint(t.cache_control));
  }
  const inference: Json = {
    ...(req.max_tokens !== undefined && { maxTokens: req.max_tokens }),
    ...(req.temperature !== undefined && { temperature: req.temperature }),
    ...(req.top_p !== undefined && { topP: req.top_p }),
    ...(req.stop !== undefined && {
      stopSequences: typeof req.stop === "string" ? [req.stop] : [...req.stop],
    }),
  };
  const input = {
    ...(req.model !== undefined && { modelId: req.model }),
    ...(system.length > 0 && { system }),
    messages,
    ...(tools.length > 0 && { toolConfig: { tools } }),
    ...(Object.keys(inference).length > 0 && { inferenceConfig: inference }),
  };
  // Built as plain JSON objects above; their shapes are the SDK's (the tests send them through the real SDK).
  return { input: input as unknown as ConvertedChat["input"], diagnostics };
}

/** Base64 to bytes (`atob` is global in every supported Node); undefined for text that is not base64. */
function fromBase64(text: string): Uint8Array | undefined {
  try {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}
