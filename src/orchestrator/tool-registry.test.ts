import { describe, expect, it } from 'vitest';
import { OPENAI_FUNCTION_NAME } from './openai-tools.ts';
import { ToolRegistry } from './tool-registry.ts';

const tool = (name: string, description = `${name} does its job`) => ({
  name,
  description,
  inputSchema: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: {} },
});

describe('ToolRegistry', () => {
  it('keeps unique valid names as they are, in server order then tool order, and renames nothing', () => {
    const registry = new ToolRegistry([
      { server: 'tickets', tools: [tool('search_tickets'), tool('get_ticket')] },
      { server: 'assets', tools: [tool('get_asset')] },
    ]);
    expect(registry.list().map((t) => [t.publicName, t.server, t.toolName])).toEqual([
      ['search_tickets', 'tickets', 'search_tickets'],
      ['get_ticket', 'tickets', 'get_ticket'],
      ['get_asset', 'assets', 'get_asset'],
    ]);
    expect(registry.names()).toEqual(['get_asset', 'get_ticket', 'search_tickets']);
    expect(registry.renamed()).toEqual([]);
    expect(registry.get('get_ticket')?.info.description).toBe('get_ticket does its job');
    expect(registry.get('tickets__get_ticket')).toBeUndefined();
  });

  it('renames every copy of a name two servers share to <server>__<tool> and routes each to its owner', () => {
    const registry = new ToolRegistry([
      { server: 'tickets', tools: [tool('lookup', 'tickets lookup'), tool('get_ticket')] },
      { server: 'billing', tools: [tool('lookup', 'billing lookup')] },
    ]);
    expect(registry.names()).toEqual(['billing__lookup', 'get_ticket', 'tickets__lookup']);
    expect(registry.get('lookup')).toBeUndefined();
    expect(registry.get('billing__lookup')).toMatchObject({
      server: 'billing',
      toolName: 'lookup',
      info: { description: 'billing lookup' },
    });
    expect(registry.get('tickets__lookup')).toMatchObject({
      server: 'tickets',
      toolName: 'lookup',
      info: { description: 'tickets lookup' },
    });
    expect(registry.renamed()).toEqual([
      { server: 'tickets', toolName: 'lookup', publicName: 'tickets__lookup' },
      { server: 'billing', toolName: 'lookup', publicName: 'billing__lookup' },
    ]);
  });

  it('makes names OpenAI would reject valid: other characters become _ and the name is cut at 64', () => {
    const long = `a${'b'.repeat(79)}`;
    const registry = new ToolRegistry([{ server: 'odd', tools: [tool('get.ticket by id'), tool(long)] }]);
    expect(registry.names()).toEqual([`a${'b'.repeat(63)}`, 'get_ticket_by_id']);
    expect(registry.renamed()).toEqual([
      { server: 'odd', toolName: 'get.ticket by id', publicName: 'get_ticket_by_id' },
      { server: 'odd', toolName: long, publicName: `a${'b'.repeat(63)}` },
    ]);
    for (const name of registry.names()) expect(name).toMatch(OPENAI_FUNCTION_NAME);
  });

  it('numbers names that become equal only after cleaning, counting up from the cleaned name', () => {
    const registry = new ToolRegistry([{ server: 'odd', tools: [tool('a.b'), tool('a_b'), tool('a b')] }]);
    expect(registry.list().map((t) => [t.toolName, t.publicName])).toEqual([
      ['a.b', 'a_b'],
      ['a_b', 'a_b_2'],
      ['a b', 'a_b_3'],
    ]);
  });

  it('keeps a numbered name within 64 characters when the name it numbers is already 64 long', () => {
    const base = 'x'.repeat(64);
    const registry = new ToolRegistry([{ server: 'odd', tools: [tool(`${base}.one`), tool(`${base}.two`), tool(`${base}.three`)] }]);
    expect(registry.list().map((t) => t.publicName)).toEqual([base, `${'x'.repeat(62)}_2`, `${'x'.repeat(62)}_3`]);
    for (const name of registry.names()) expect(name).toMatch(OPENAI_FUNCTION_NAME);
  });

  it('offers the tools to OpenAI under their public names without the $schema marker, built once', () => {
    const registry = new ToolRegistry([
      { server: 'a', tools: [tool('lookup')] },
      { server: 'b', tools: [tool('lookup')] },
    ]);
    const offered = registry.toOpenAI();
    expect(offered).toEqual([
      {
        type: 'function',
        function: { name: 'a__lookup', description: 'lookup does its job', parameters: { type: 'object', properties: {} } },
      },
      {
        type: 'function',
        function: { name: 'b__lookup', description: 'lookup does its job', parameters: { type: 'object', properties: {} } },
      },
    ]);
    expect(registry.toOpenAI()).toBe(offered);
  });
});
