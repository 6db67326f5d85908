import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { describe, expect, it } from 'vitest';
import { LazyOutputValidators } from './output-validators.ts';

const COUNT_SCHEMA = { type: 'object', properties: { count: { type: 'integer' } }, required: ['count'] } as JsonSchemaType;

/** The SDK's Ajv provider, counting the schemas it compiles. */
class CountingCompiler implements jsonSchemaValidator {
  readonly compiled: JsonSchemaType[] = [];
  readonly #ajv = new AjvJsonSchemaValidator();
  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    this.compiled.push(schema);
    return this.#ajv.getValidator<T>(schema);
  }
}

/** A server with three tools that declare output schemas; `count` answers with `structured`. */
async function connect(validators: jsonSchemaValidator, structured: unknown): Promise<Client> {
  const server = new Server({ name: 'schemas', version: '0' }, { capabilities: { tools: {} } });
  const tools = ['count', 'other', 'third'].map((name) => ({ name, inputSchema: { type: 'object' as const }, outputSchema: COUNT_SCHEMA }));
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, () => ({
    content: [{ type: 'text', text: JSON.stringify(structured) }],
    structuredContent: structured as Record<string, unknown>,
  }));
  const client = new Client({ name: 'test', version: '0' }, { jsonSchemaValidator: validators });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return client;
}

describe('LazyOutputValidators', () => {
  it('compiles no schema when the tools are listed, then only the called tool’s, once', async () => {
    const compiler = new CountingCompiler();
    const client = await connect(new LazyOutputValidators(compiler), { count: 3 });
    await client.listTools();
    expect(compiler.compiled).toEqual([]);

    await client.callTool({ name: 'count', arguments: {} });
    await client.callTool({ name: 'count', arguments: {} });
    expect(compiler.compiled).toEqual([COUNT_SCHEMA]);
    await client.close();
  });

  it('compiles every schema at listing without it: what the SDK does by default', async () => {
    const compiler = new CountingCompiler();
    const client = await connect(compiler, { count: 3 });
    await client.listTools();
    expect(compiler.compiled).toHaveLength(3);
    await client.close();
  });

  it('still rejects a result that breaks its tool’s output schema, with the SDK’s message', async () => {
    const client = await connect(new LazyOutputValidators(), { count: 'three' });
    await client.listTools();
    await expect(client.callTool({ name: 'count', arguments: {} })).rejects.toThrow(
      /Structured content does not match the tool's output schema: .*count.*must be integer/,
    );
    await client.close();
  });

  it('gives the same verdicts as the SDK’s Ajv provider', () => {
    const lazy = new LazyOutputValidators().getValidator(COUNT_SCHEMA);
    const eager = new AjvJsonSchemaValidator().getValidator(COUNT_SCHEMA);
    for (const input of [{ count: 1 }, { count: 1.5 }, {}, null, 'x']) expect(lazy(input)).toEqual(eager(input));
    expect(lazy({ count: 1.5 })).toMatchObject({ valid: false, errorMessage: expect.stringContaining('must be integer') });
  });
});
