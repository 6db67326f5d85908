import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Clock } from '../../src/shared/clock.ts';
import { z } from 'zod';
import { ErrorEnvelopeSchema, makeEnvelope, type ErrorEnvelope } from '../../src/shared/envelope.ts';
import { isJsonObject, jsonKind } from '../../src/shared/json-kind.ts';
import { nowMs, parseTraceparent, SERVER_SPAN_META, type ServerSpanReport } from '../../src/shared/tracing.ts';
import type { Logger } from '../../src/shared/log.ts';
import { argumentProblems, invalidArgumentsEnvelope, jsonSchemaOf } from './arguments.ts';
import { registerCatalog, type Catalog } from './catalog.ts';
import { isToolFailure, type ObjectSchema, type OutputSchema, type ToolDefinition } from './tool.ts';

/** Everything a server needs from outside; tests pass a pinned clock and a silent logger. */
export interface ServerDeps {
  readonly clock: Clock;
  readonly logger?: Logger;
}

/** Name, version and tools of one MCP server. */
export interface ServerSpec {
  readonly name: string;
  readonly version: string;
  readonly instructions?: string;
  // `any`: each tool has its own argument and result types; run() is contravariant in them,
  // so no single precise element type accepts all four tools.
  readonly tools: readonly ToolDefinition<any, any>[];
  /** Resources and prompts besides the tools. */
  readonly catalog?: Catalog;
}

type JsonSchema = Record<string, unknown>;

/**
 * A tool's declared output: its result schema or the error envelope. Declaring both keeps
 * error results valid for clients that check every structuredContent against the output
 * schema, error or not (the v1 SDK client does; typescript-sdk issue #1943).
 */
export function outputSchemaOf(schema: OutputSchema): JsonSchema {
  const results = schema instanceof z.ZodUnion ? schema.options : [schema];
  return {
    type: 'object',
    anyOf: [...results.map((shape) => jsonSchemaOf(shape, 'output')), jsonSchemaOf(ErrorEnvelopeSchema, 'output')],
  };
}

function textResult(value: unknown, isError: boolean): CallToolResult {
  const structured = value as Record<string, unknown>;
  return {
    content: [{ type: 'text', text: JSON.stringify(value) }],
    structuredContent: structured,
    ...(isError ? { isError: true } : {}),
  };
}

/** Wraps an envelope as the MCP result every client can read: JSON text plus structured content. */
export function errorResult(envelope: ErrorEnvelope): CallToolResult {
  return textResult(envelope, true);
}

function unknownToolEnvelope(server: string, name: string, known: readonly string[]): ErrorEnvelope {
  return makeEnvelope({
    error: `Unknown tool ${name}`,
    reason: `The ${server} server has no tool named "${name}".`,
    suggested_actions: [`Use one of: ${known.join(', ')}.`],
    retryable: true,
    follow_up_tools: [...known],
    context: { tool: name, server },
  });
}

function crashEnvelope(tool: string, error: unknown): ErrorEnvelope {
  return makeEnvelope({
    error: `Tool ${tool} failed unexpectedly`,
    reason: error instanceof Error ? error.message : String(error),
    suggested_actions: ['Report this failure; the same call will fail again.'],
    retryable: false,
    context: { tool },
  });
}

/**
 * tools/call as the SDK declares it, but taking any `arguments`: a call whose arguments are not an
 * object gets our envelope instead of the SDK's -32603 error with a raw zod dump.
 */
const LooseCallToolRequestSchema = CallToolRequestSchema.extend({
  params: CallToolRequestSchema.shape.params.extend({ arguments: z.unknown().optional() }),
});

/**
 * Builds an MCP server for a list of tools. Arguments are checked against each tool's zod
 * schema here rather than by the SDK, so a bad call is answered with our envelope (what is
 * wrong and which arguments are expected) instead of the SDK's plain-text message.
 */
export function buildToolServer(spec: ServerSpec, deps: ServerDeps): Server {
  const extras = spec.catalog ? { resources: {}, prompts: {}, completions: {} } : {};
  const server = new Server(
    { name: spec.name, version: spec.version },
    { capabilities: { tools: {}, logging: {}, ...extras }, ...(spec.instructions ? { instructions: spec.instructions } : {}) },
  );
  if (spec.catalog) registerCatalog(server, spec.catalog);
  // Log notifications for the client (filtered by its logging/setLevel); stderr logs stay as they are.
  const notify = (level: 'info' | 'warning' | 'error', data: Record<string, unknown>) => {
    server.sendLoggingMessage({ level, logger: spec.name, data }).catch(() => undefined);
  };
  const byName = new Map(spec.tools.map((tool) => [tool.name, tool] as const));
  const names = spec.tools.map((tool) => tool.name);
  const inputSchemas = new Map<string, JsonSchema>();
  const inputSchemaOf = (tool: ToolDefinition<ObjectSchema, OutputSchema>): JsonSchema => {
    let schema = inputSchemas.get(tool.name);
    if (!schema) {
      schema = jsonSchemaOf(tool.input, 'input');
      inputSchemas.set(tool.name, schema);
    }
    return schema;
  };

  // Built on the first tools/list, not at start-up: converting schemas is the slowest part of a
  // listing, and a server that is only called never pays for it.
  let listed: Tool[] | undefined;
  server.setRequestHandler(ListToolsRequestSchema, () => {
    listed ??= spec.tools.map(
      (tool): Tool => ({
        name: tool.name,
        title: tool.title,
        description: tool.description,
        inputSchema: inputSchemaOf(tool) as Tool['inputSchema'],
        outputSchema: outputSchemaOf(tool.output) as Tool['outputSchema'],
        annotations: { title: tool.title, readOnlyHint: true, openWorldHint: false },
      }),
    );
    return { tools: listed };
  });

  // The SDK's Server checks every tools/call against its own schema before any handler runs and
  // answers non-object arguments with -32602 and a zod dump. Registering on the Protocol beneath it
  // keeps the looser schema, so such a call gets the invalid-arguments envelope like any bad call.
  Protocol.prototype.setRequestHandler.call(server, LooseCallToolRequestSchema, (request) => {
    const parent = request.params._meta?.traceparent;
    if (parseTraceparent(parent) === undefined) return callTool(request.params);
    // A traced call: this server's span of it goes back in the result's _meta, under the client's
    // span, so it reaches the collector without any collector address or credential reaching us.
    const start = nowMs();
    const result = callTool(request.params);
    const outcome = result.isError ? (result.structuredContent as { error?: string } | undefined)?.error : undefined;
    const report: ServerSpanReport = {
      name: `tools/call ${request.params.name}`,
      parent: String(parent),
      start_ms: start,
      end_ms: nowMs(),
      attributes: {
        'mcp.method.name': 'tools/call',
        'gen_ai.tool.name': request.params.name,
        'gen_ai.operation.name': 'execute_tool',
        'helpdesk.server.name': spec.name,
        ...(outcome ? { 'helpdesk.envelope.error': outcome } : {}),
      },
      ...(result.isError ? { error_type: 'tool_error' } : {}),
    };
    return { ...result, _meta: { ...result._meta, [SERVER_SPAN_META]: report } };
  });

  function callTool(params: z.infer<typeof LooseCallToolRequestSchema>['params']): CallToolResult {
    const { name, arguments: rawArgs } = params;
    const tool = byName.get(name);
    if (!tool) {
      notify('warning', { event: 'unknown_tool', tool: name });
      return errorResult(unknownToolEnvelope(spec.name, name, names));
    }
    if (rawArgs !== undefined && !isJsonObject(rawArgs)) {
      return errorResult(
        invalidArgumentsEnvelope(name, [`the arguments must be one JSON object, got ${jsonKind(rawArgs)}`], inputSchemaOf(tool)),
      );
    }
    const input = rawArgs ?? {};
    const parsed = tool.input.safeParse(input);
    if (!parsed.success) {
      deps.logger?.debug('invalid arguments', { tool: name });
      notify('warning', { event: 'invalid_arguments', tool: name });
      return errorResult(invalidArgumentsEnvelope(name, argumentProblems(input, parsed.error), inputSchemaOf(tool)));
    }
    try {
      const outcome = tool.run(parsed.data, { clock: deps.clock });
      notify('info', { event: 'tool_call', tool: name, ok: !isToolFailure(outcome) });
      return isToolFailure(outcome) ? errorResult(outcome.envelope) : textResult(outcome, false);
    } catch (error) {
      deps.logger?.error('tool crashed', { tool: name, error: String(error) });
      notify('error', { event: 'tool_crashed', tool: name });
      return errorResult(crashEnvelope(name, error));
    }
  }

  return server;
}
