import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorEnvelopeSchema } from '../../src/shared/envelope.ts';
import type { ServerDeps } from '../../servers/kit/server.ts';
import { connectInMemory, type ToolAnswer } from '../../servers/kit/testing.ts';
import { SERVERS } from '../servers.ts';

type Session = Awaited<ReturnType<typeof connectInMemory>>;
const sessions = new Map<string, Session>();
const ALL_TOOLS = SERVERS.flatMap((server) => server.tools.map((tool) => ({ server: server.folder, tool })));

beforeAll(async () => {
  for (const server of SERVERS) {
    const module = (await import(`../../servers/${server.folder}/server.ts`)) as {
      buildServer: (deps: ServerDeps) => import('@modelcontextprotocol/sdk/server/index.js').Server;
    };
    sessions.set(server.folder, await connectInMemory(module.buildServer));
  }
});
afterAll(async () => {
  await Promise.all([...sessions.values()].map((s) => s.close()));
});

async function call(server: string, tool: string, args: unknown): Promise<ToolAnswer> {
  const session = sessions.get(server);
  if (!session) throw new Error(`no session for ${server}`);
  return session.call(tool, args);
}

/** Either a result that passed the client's output-schema check, or a well-formed envelope. */
function expectAnswerOrEnvelope(answer: ToolAnswer): void {
  if (answer.isError) {
    const parsed = ErrorEnvelopeSchema.safeParse(answer.data);
    expect(parsed.success, `not an envelope: ${answer.text.slice(0, 300)}`).toBe(true);
    expect(answer.structured).toEqual(answer.data);
  } else {
    expect(answer.data).toBeTypeOf('object');
  }
}

const HOSTILE_VALUES: [string, unknown][] = [
  ['a 10,000-character string', 'x'.repeat(10_000)],
  ['unicode and emoji', 'Ünïcødé 🔥 日本語 \u202e'],
  ['null', null],
  ['an array', ['TKT-1001']],
  ['a nested object', { $gt: '' }],
  ['a number', 1e308],
  ['a negative number', -1],
  ['a boolean', true],
  ['an empty string', ''],
];

describe('hostile input to all twenty tools', () => {
  it('covers twenty tools', () => {
    expect(ALL_TOOLS).toHaveLength(20);
  });

  it.each([
    ['null', null, 'null'],
    ['an array', ['TKT-1001'], 'an array'],
    ['a string', 'TKT-1001', 'a string'],
    ['a number', 42, 'a number'],
  ])('answers arguments that are %s, not an object, with the invalid-arguments envelope', async (_label, args, kind) => {
    for (const { server, tool } of ALL_TOOLS) {
      const answer = await call(server, tool, args);
      expect(answer.isError, `${tool}: ${answer.text.slice(0, 200)}`).toBe(true);
      expect(answer.data).toMatchObject({
        error: `Invalid arguments for ${tool}`,
        reason: `the arguments must be one JSON object, got ${kind}.`,
        retryable: true,
        context: { tool, expected_arguments: expect.any(Object) },
      });
    }
  });

  // JSON.parse makes `__proto__` an own key, never a prototype: both keys reach the tool's strict
  // schema and are named as unknown arguments, and nothing is polluted.
  it.each(ALL_TOOLS)('$tool names __proto__ and constructor keys as unknown arguments and is not polluted', async ({ server, tool }) => {
    const answer = await call(server, tool, JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}'));
    expect(answer.isError).toBe(true);
    expect(answer.data.error).toBe(`Invalid arguments for ${tool}`);
    expect(answer.data.reason).toContain("unknown arguments '__proto__', 'constructor'");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it.each(ALL_TOOLS)('$tool survives every hostile value in every declared argument', async ({ server, tool }) => {
    const session = sessions.get(server);
    const listed = (await session?.client.listTools())?.tools.find((t) => t.name === tool);
    const names = Object.keys((listed?.inputSchema.properties ?? {}) as object);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      for (const [label, value] of HOSTILE_VALUES) {
        const answer = await call(server, tool, { [name]: value });
        expectAnswerOrEnvelope(answer);
        if (answer.isError) expect(answer.data.reason, `${tool}.${name} = ${label}`).not.toMatch(/at \S+:\d+:\d+/);
      }
    }
  });

  it('answers arbitrary JSON arguments with a result or an envelope (property-based)', async () => {
    const argument = fc.dictionary(
      fc.oneof(
        fc.constantFrom(
          'ticket_id',
          'customer_id',
          'invoice_id',
          'article_id',
          'asset_id',
          'query',
          'limit',
          'topic',
          'start_date',
          'end_date',
          'priority',
        ),
        fc.string(),
      ),
      fc.jsonValue(),
      { maxKeys: 4 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ALL_TOOLS), argument, async ({ server, tool }, args) => {
        expectAnswerOrEnvelope(await call(server, tool, args));
      }),
      { numRuns: 400, seed: 20251005 },
    );
  });
});
