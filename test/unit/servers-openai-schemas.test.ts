import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { describe, expect, it } from 'vitest';
import { openAIToolProblems, toOpenAITool } from '../../src/orchestrator/openai-tools.ts';
import type { ServerDeps } from '../../servers/kit/server.ts';
import { connectInMemory } from '../../servers/kit/testing.ts';
import { SERVERS } from '../servers.ts';

async function listedTools() {
  const all = [];
  for (const server of SERVERS) {
    const module = (await import(`../../servers/${server.folder}/server.ts`)) as { buildServer: (deps: ServerDeps) => Server };
    const session = await connectInMemory(module.buildServer);
    all.push(...(await session.client.listTools()).tools);
    await session.close();
  }
  return all;
}

describe('tool schemas and OpenAI function calling', () => {
  it('gives all twenty tools schemas that OpenAI function calling accepts', async () => {
    const tools = await listedTools();
    expect(tools).toHaveLength(20);
    const problems = tools.flatMap((tool) => openAIToolProblems(toOpenAITool(tool)));
    expect(problems).toEqual([]);
  });

  it('rejects unknown arguments in every input schema and describes every field', async () => {
    for (const tool of await listedTools()) {
      expect(tool.inputSchema.additionalProperties, tool.name).toBe(false);
      for (const [field, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
        expect((schema as { description?: string }).description, `${tool.name}.${field}`).toBeTruthy();
      }
    }
  });

  it('flags the schema mistakes OpenAI rejects', () => {
    const bad = toOpenAITool({
      name: 'bad tool!',
      description: '',
      inputSchema: {
        anyOf: [{ type: 'object', properties: {} }],
        properties: { list: { type: 'array' }, when: { type: 'date' } },
        required: ['missing'],
      },
    });
    expect(openAIToolProblems(bad)).toEqual([
      'name "bad tool!" must match /^[a-zA-Z0-9_-]{1,64}$/',
      'bad tool!: missing description',
      'bad tool!: parameters must have type "object" at the top level',
      'bad tool!: "anyOf" is not allowed at the top level',
      'bad tool!.parameters.list: array without items',
      'bad tool!.parameters.when: unknown type "date"',
      'bad tool!.parameters: required "missing" is not a property',
    ]);
  });

  it('drops the $schema marker when converting', () => {
    const tool = toOpenAITool({ name: 't', description: 'd', inputSchema: { $schema: 'x', type: 'object', properties: {} } });
    expect(tool).toEqual({ type: 'function', function: { name: 't', description: 'd', parameters: { type: 'object', properties: {} } } });
  });
});
