import { COLLISION_SEPARATOR } from './constants.ts';
import { toOpenAITool, type McpToolInfo, type OpenAIFunctionTool } from './openai-tools.ts';

/** Where a tool the model can call really lives. */
export interface RegisteredTool {
  /** The name the model sees (unique across servers, valid for OpenAI). */
  readonly publicName: string;
  /** The server that owns it. */
  readonly server: string;
  /** The tool's own name on that server. */
  readonly toolName: string;
  readonly info: McpToolInfo;
}

/** The longest function name OpenAI accepts. */
const MAX_NAME = 64;

function sanitize(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, MAX_NAME);
}

/** `name` with `_<n>` on the end, cut first so the whole stays within the limit. */
function numbered(name: string, n: number): string {
  const suffix = `_${n}`;
  return `${name.slice(0, MAX_NAME - suffix.length)}${suffix}`;
}

/**
 * Maps public tool names to servers. A name offered by two or more servers is never dropped
 * or overwritten: every copy is renamed `<server>__<tool>`, deterministically (server order,
 * then tool order), and names OpenAI would reject are made valid.
 */
export class ToolRegistry {
  readonly #byName = new Map<string, RegisteredTool>();
  readonly #renamed: { server: string; toolName: string; publicName: string }[] = [];
  #openAI: OpenAIFunctionTool[] | undefined;

  constructor(servers: readonly { server: string; tools: readonly McpToolInfo[] }[]) {
    const owners = new Map<string, number>();
    for (const { tools } of servers) for (const tool of tools) owners.set(tool.name, (owners.get(tool.name) ?? 0) + 1);
    for (const { server, tools } of servers) {
      for (const tool of tools) {
        const shared = (owners.get(tool.name) ?? 0) > 1;
        const base = sanitize(shared ? `${server}${COLLISION_SEPARATOR}${tool.name}` : tool.name);
        let publicName = base;
        for (let n = 2; this.#byName.has(publicName); n += 1) publicName = numbered(base, n);
        if (publicName !== tool.name) this.#renamed.push({ server, toolName: tool.name, publicName });
        this.#byName.set(publicName, { publicName, server, toolName: tool.name, info: tool });
      }
    }
  }

  /** The tool behind a public name, if any. */
  get(publicName: string): RegisteredTool | undefined {
    return this.#byName.get(publicName);
  }

  /** All tools, in server order then tool order. */
  list(): RegisteredTool[] {
    return [...this.#byName.values()];
  }

  /** Public names, sorted (for messages that list what exists). */
  names(): string[] {
    return [...this.#byName.keys()].sort();
  }

  /** Tools renamed because of a collision or an invalid name. */
  renamed(): readonly { server: string; toolName: string; publicName: string }[] {
    return this.#renamed;
  }

  /** The tools in OpenAI function-calling format (built once; the registry never changes). */
  toOpenAI(): OpenAIFunctionTool[] {
    this.#openAI ??= this.list().map((tool) => toOpenAITool(tool.info, tool.publicName));
    return this.#openAI;
  }
}
