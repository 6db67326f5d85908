import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type Prompt,
  type Resource,
} from '@modelcontextprotocol/sdk/types.js';

/** Records a server offers as resources: one URI per record, from a template with one variable. */
export interface RecordCollection<T = unknown> {
  /** e.g. "helpdesk://tickets/{ticket_id}". */
  readonly uriTemplate: string;
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly mimeType: 'application/json' | 'text/markdown';
  readonly records: readonly T[];
  readonly idOf: (record: T) => string;
  readonly titleOf: (record: T) => string;
  readonly render: (record: T) => string;
}

/** One argument of a prompt, with the values a client may offer while it is typed. */
export interface PromptArgument {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
  readonly values?: () => readonly string[];
}

/** A prompt a user picks from a client's menu: its arguments and the message it makes. */
export interface PromptSpec {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly arguments: readonly PromptArgument[];
  /** The user message; throws McpError(InvalidParams) for a value it cannot use. */
  readonly render: (args: Readonly<Record<string, string>>) => string;
}

/** What a server offers besides tools. */
export interface Catalog {
  readonly collections?: readonly RecordCollection<any>[]; // any: each collection has its own record type
  readonly prompts?: readonly PromptSpec[];
}

/** resources/list returns this many per page; the cursor is the next offset. */
export const RESOURCE_PAGE_SIZE = 10;
/** completion/complete returns at most this many values (the protocol's limit). */
const MAX_COMPLETIONS = 100;

const RESOURCE_NOT_FOUND = -32002;

function variableOf(template: string): { prefix: string; variable: string } {
  const match = /^(.*)\{([a-z_]+)\}$/.exec(template);
  if (!match) throw new Error(`unsupported URI template ${template}`);
  return { prefix: match[1] as string, variable: match[2] as string };
}

function complete(values: readonly string[], typed: string): { values: string[]; total: number; hasMore: boolean } {
  const matching = values.filter((v) => v.toLowerCase().startsWith(typed.toLowerCase()));
  return { values: matching.slice(0, MAX_COMPLETIONS), total: matching.length, hasMore: matching.length > MAX_COMPLETIONS };
}

/** A known value of an argument, case-insensitively (IDs are upper case, users type either). */
export function known(values: readonly string[], given: string | undefined, what: string): string {
  const found = values.find((v) => v.toLowerCase() === (given ?? '').toLowerCase());
  if (!found) throw new McpError(ErrorCode.InvalidParams, `Unknown ${what} "${given ?? ''}"; known: ${values.join(', ')}`);
  return found;
}

/**
 * Registers resources (records by URI, a template per collection, paged listing), prompts and
 * completion of prompt arguments and template variables on a server.
 */
export function registerCatalog(server: Server, catalog: Catalog): void {
  const collections = (catalog.collections ?? []).map((c) => ({ ...c, ...variableOf(c.uriTemplate) }));
  const prompts = catalog.prompts ?? [];
  const all = collections.flatMap((c) =>
    c.records.map(
      (record): Resource => ({
        uri: `${c.prefix}${c.idOf(record)}`,
        name: c.idOf(record),
        title: c.titleOf(record),
        mimeType: c.mimeType,
      }),
    ),
  );

  server.setRequestHandler(ListResourcesRequestSchema, (request) => {
    const offset = request.params?.cursor === undefined ? 0 : Number(request.params.cursor);
    if (!Number.isInteger(offset) || offset < 0 || offset > all.length)
      throw new McpError(ErrorCode.InvalidParams, `Invalid cursor "${request.params?.cursor}"`);
    const next = offset + RESOURCE_PAGE_SIZE;
    return { resources: all.slice(offset, next), ...(next < all.length ? { nextCursor: String(next) } : {}) };
  });
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: collections.map((c) => ({
      uriTemplate: c.uriTemplate,
      name: c.name,
      title: c.title,
      description: c.description,
      mimeType: c.mimeType,
    })),
  }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) => {
    const { uri } = request.params;
    for (const c of collections) {
      if (!uri.startsWith(c.prefix)) continue;
      const id = uri.slice(c.prefix.length);
      const record = c.records.find((r) => c.idOf(r).toLowerCase() === id.toLowerCase());
      if (record) return { contents: [{ uri, mimeType: c.mimeType, text: c.render(record) }] };
    }
    throw new McpError(RESOURCE_NOT_FOUND, `Resource not found: ${uri}`, { uri });
  });

  server.setRequestHandler(ListPromptsRequestSchema, () => ({
    prompts: prompts.map(
      (p): Prompt => ({
        name: p.name,
        title: p.title,
        description: p.description,
        arguments: p.arguments.map((a) => ({ name: a.name, description: a.description, required: a.required })),
      }),
    ),
  }));
  server.setRequestHandler(GetPromptRequestSchema, (request) => {
    const prompt = prompts.find((p) => p.name === request.params.name);
    if (!prompt)
      throw new McpError(
        ErrorCode.InvalidParams,
        `Unknown prompt "${request.params.name}"; prompts: ${prompts.map((p) => p.name).join(', ')}`,
      );
    const args = request.params.arguments ?? {};
    for (const a of prompt.arguments) {
      if (a.required && !args[a.name])
        throw new McpError(ErrorCode.InvalidParams, `Missing required argument "${a.name}" of prompt ${prompt.name}`);
    }
    return { description: prompt.description, messages: [{ role: 'user', content: { type: 'text', text: prompt.render(args) } }] };
  });

  server.setRequestHandler(CompleteRequestSchema, (request) => {
    const { ref, argument } = request.params;
    if (ref.type === 'ref/prompt') {
      const values =
        prompts
          .find((p) => p.name === ref.name)
          ?.arguments.find((a) => a.name === argument.name)
          ?.values?.() ?? [];
      return { completion: complete(values, argument.value) };
    }
    const collection = collections.find((c) => c.uriTemplate === ref.uri && c.variable === argument.name);
    return { completion: complete(collection ? collection.records.map(collection.idOf) : [], argument.value) };
  });
}
