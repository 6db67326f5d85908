import { describe, expect, it } from 'vitest';
import { portable } from './arguments.ts';
import { connectInMemory } from './testing.ts';

/** Every place in a schema where a portability rule would fire: a `type` list, an empty additionalProperties. */
function findings(schema: unknown, path = '$'): string[] {
  if (Array.isArray(schema)) return schema.flatMap((item, i) => findings(item, `${path}[${i}]`));
  if (!schema || typeof schema !== 'object') return [];
  const own = Object.entries(schema).flatMap(([key, value]) => {
    if (key === 'type' && Array.isArray(value)) return [`${path}.type is a list`];
    if (key === 'additionalProperties' && value && typeof value === 'object' && Object.keys(value).length === 0)
      return [`${path}.additionalProperties has no keyword`];
    return [];
  });
  return [...own, ...Object.entries(schema).flatMap(([key, value]) => findings(value, `${path}.${key}`))];
}

describe('portable tool schemas', () => {
  it('rewrites a type list as anyOf branches and an empty additionalProperties as true, keeping the rest', () => {
    expect(
      portable({
        type: 'object',
        properties: { paid: { type: ['string', 'null'], description: 'When', format: 'date' }, additionalProperties: { type: 'string' } },
        additionalProperties: {},
      }),
    ).toEqual({
      type: 'object',
      properties: {
        paid: { description: 'When', anyOf: [{ type: 'string', format: 'date' }, { type: 'null' }] },
        additionalProperties: { type: 'string' },
      },
      additionalProperties: true,
    });
  });

  it('leaves no type list and no keyword-less additionalProperties in any tool of the five servers', async () => {
    for (const name of ['tickets', 'customers', 'billing', 'kb', 'assets']) {
      const { buildServer } = (await import(`../${name}/server.ts`)) as { buildServer: Parameters<typeof connectInMemory>[0] };
      const session = await connectInMemory(buildServer);
      const { tools } = await session.client.listTools();
      await session.close();
      expect(
        tools.flatMap((t) => findings({ input: t.inputSchema, output: t.outputSchema }, t.name)),
        name,
      ).toEqual([]);
    }
  });
});
