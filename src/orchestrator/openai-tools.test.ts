import { describe, expect, it } from 'vitest';
import { MAX_DESCRIPTION, openAIToolProblems, toOpenAITool, type OpenAIFunctionTool } from './openai-tools.ts';

const fn = (parameters: Record<string, unknown>, name = 'get_ticket', description = 'Gets a ticket.'): OpenAIFunctionTool => ({
  type: 'function',
  function: { name, description, parameters },
});
const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });

describe('toOpenAITool', () => {
  it('keeps the schema but its $schema marker, uses the new name when renamed, and an empty description when none', () => {
    const tool = { name: 'lookup', inputSchema: { $schema: 'x', type: 'object', properties: { q: { type: 'string' } } } };
    expect(toOpenAITool(tool)).toEqual({
      type: 'function',
      function: { name: 'lookup', description: '', parameters: { type: 'object', properties: { q: { type: 'string' } } } },
    });
    expect(toOpenAITool({ ...tool, description: 'Looks up.' }, 'kb__lookup').function).toMatchObject({
      name: 'kb__lookup',
      description: 'Looks up.',
    });
    expect(tool.inputSchema.$schema).toBe('x');
  });
});

describe('openAIToolProblems', () => {
  it('accepts a well-formed tool, nested objects, arrays with items, refs, consts and anyOf below the top', () => {
    expect(
      openAIToolProblems(
        fn(
          object(
            {
              id: { type: 'string', pattern: '^TKT-\\d+$', description: 'Ticket ID.' },
              tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, minItems: 1 },
              when: { anyOf: [{ type: 'string', format: 'date' }, { type: 'null' }] },
              kind: { const: 'x' },
              link: { $ref: '#/$defs/link' },
              choice: { enum: ['x'] },
              nested: object({ n: { type: ['integer', 'null'], minimum: 0 } }, { required: ['n'], additionalProperties: false }),
            },
            { required: ['id'], $defs: { link: { type: 'string' } } },
          ),
        ),
      ),
    ).toEqual([]);
  });

  it('names a bad function name, a missing or overlong description, and a non-object top level', () => {
    expect(openAIToolProblems(fn(object({}), 'get ticket!', '  '))).toEqual([
      'name "get ticket!" must match /^[a-zA-Z0-9_-]{1,64}$/',
      'get ticket!: missing description',
    ]);
    expect(openAIToolProblems(fn(object({}), 'x'.repeat(65)))[0]).toMatch(/^name "x{65}" must match/);
    expect(openAIToolProblems(fn(object({}), 'x'.repeat(64)))).toEqual([]);
    expect(openAIToolProblems(fn(object({}), 't', 'd'.repeat(MAX_DESCRIPTION)))).toEqual([]);
    expect(openAIToolProblems(fn(object({}), 't', 'd'.repeat(MAX_DESCRIPTION + 1)))).toEqual([
      `t: description longer than ${MAX_DESCRIPTION}`,
    ]);
    expect(openAIToolProblems(fn({ type: 'string' }, 't'))).toEqual(['t: parameters must have type "object" at the top level']);
  });

  it('refuses each combinator at the top level', () => {
    for (const keyword of ['anyOf', 'oneOf', 'allOf', 'enum', 'not']) {
      expect(openAIToolProblems(fn(object({}, { [keyword]: [] }), 't'))).toContain(`t: "${keyword}" is not allowed at the top level`);
    }
  });

  it('walks every property, item and anyOf branch and names the path of each problem', () => {
    expect(
      openAIToolProblems(
        fn(
          object(
            {
              a: 'not a schema',
              b: { type: 'strings' },
              c: { description: 'no type' },
              d: { type: 'string', enum: [] },
              e: { type: 'array' },
              f: { type: 'array', items: { type: 'object' } },
              g: { anyOf: [{ type: 'string' }, { type: 'date' }] },
              h: { type: 'string', oneOf: [] },
              i: { type: [1] },
              j: [],
              k: null,
            },
            { required: ['a', 'zz'] },
          ),
          't',
        ),
      ),
    ).toEqual([
      't.parameters.a: a schema must be an object',
      't.parameters.b: unknown type "strings"',
      't.parameters.c: no type',
      't.parameters.d: empty enum',
      't.parameters.e: array without items',
      't.parameters.f.items: object without properties',
      't.parameters.g.anyOf[1]: unknown type "date"',
      't.parameters.h: unsupported keyword "oneOf"',
      't.parameters.i: unknown type 1',
      't.parameters.j: a schema must be an object',
      't.parameters.k: a schema must be an object',
      't.parameters: required "zz" is not a property',
    ]);
  });

  it('says required must be a list, and reads a missing required list as none', () => {
    expect(openAIToolProblems(fn(object({ a: { type: 'string' } }, { required: 'a' }), 't'))).toEqual([
      't.parameters: required must be a list',
    ]);
    expect(openAIToolProblems(fn(object({ a: { type: 'string' } }), 't'))).toEqual([]);
  });

  it('finds an object without properties at the top level, and takes a schema typed only by anyOf, $ref, enum or const', () => {
    expect(openAIToolProblems(fn({ type: 'object' }, 't'))).toEqual(['t.parameters: object without properties']);
    expect(
      openAIToolProblems(fn(object({ u: { anyOf: [{ type: 'string' }] }, r: { $ref: '#' }, e: { enum: [1] }, c: { const: 1 } }), 't')),
    ).toEqual([]);
  });
});
