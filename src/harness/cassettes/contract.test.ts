import { describe, expect, it } from 'vitest';
import { contractBreaks, schemaShape } from './contract.ts';

const tool = (name: string, properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'function',
  function: { name, description: '', parameters: { type: 'object', properties, required, additionalProperties: false } },
});
const RECORDED = [
  tool('search_tickets', { customer_id: { type: 'string' }, priority: { type: 'string', enum: ['critical', 'high', 'low'] } }),
];
const call = (args: object, name = 'search_tickets') => ({ name, arguments: JSON.stringify(args) });

describe('contractBreaks', () => {
  it('names a recorded call that a removed argument now refuses, with the schema path', () => {
    const removed = [tool('search_tickets', { priority: { type: 'string' } })];
    expect(contractBreaks([call({ customer_id: 'CUST-001' })], RECORDED, removed)).toEqual([
      {
        tool: 'search_tickets',
        call: 'search_tickets({"customer_id":"CUST-001"})',
        problem: '(arguments) must NOT have additional properties "customer_id" (schema #/additionalProperties)',
      },
    ]);
  });

  it('names the new name of a renamed argument: the one added with the same schema as the one removed', () => {
    const renamed = [
      tool('search_tickets', { customer: { type: 'string' }, priority: RECORDED[0]?.function.parameters.properties.priority }, [
        'customer',
      ]),
    ];
    expect(contractBreaks([call({ customer_id: 'CUST-001', priority: 'low' })], RECORDED, renamed)).toEqual([
      {
        tool: 'search_tickets',
        call: 'search_tickets({"customer_id":"CUST-001","priority":"low"})',
        problem: 'the argument "customer_id" is now "customer"',
      },
    ]);
    const ambiguous = [tool('search_tickets', { customer: { type: 'string' }, client: { type: 'string' }, priority: { type: 'string' } })];
    expect(contractBreaks([call({ customer_id: 'CUST-001' })], RECORDED, ambiguous)[0]?.problem).toMatch(
      /^\(arguments\) must NOT have additional properties "customer_id"/,
    );
  });

  it('names a narrowed enum, a newly required argument and a removed tool', () => {
    const narrowed = [
      tool('search_tickets', { customer_id: { type: 'string' }, priority: { type: 'string', enum: ['critical', 'high'] } }, [
        'customer_id',
      ]),
    ];
    const [low, missing] = contractBreaks(
      [call({ customer_id: 'CUST-1', priority: 'low' }), call({ priority: 'high' })],
      RECORDED,
      narrowed,
    );
    expect(low?.problem).toBe(
      '/priority must be equal to one of the allowed values (["critical","high"]) (schema #/properties/priority/enum)',
    );
    expect(missing?.problem).toBe('(arguments) must have required property \'customer_id\' ("customer_id") (schema #/required)');
    expect(contractBreaks([call({})], RECORDED, [])).toEqual([
      { tool: 'search_tickets', call: 'search_tickets({})', problem: 'the tool search_tickets is no longer offered' },
    ]);
  });

  it('ignores calls the recording itself got wrong: unknown tools, invalid or malformed arguments', () => {
    const calls = [
      call({}, 'get_customer_tickets'),
      call({ priority: 'urgent' }),
      { name: 'search_tickets', arguments: '{"priority": "crit' },
    ];
    expect(contractBreaks(calls, RECORDED, [])).toEqual([]);
  });

  it('accepts calls that still validate, such as after a new optional argument', () => {
    const widened = [tool('search_tickets', { customer_id: { type: 'string' }, priority: { type: 'string' }, status: { type: 'string' } })];
    expect(contractBreaks([call({ customer_id: 'CUST-001', priority: 'low' })], RECORDED, widened)).toEqual([]);
  });
});

describe('contractBreaks: edge cases', () => {
  const bare = (name: string, parameters?: unknown) => ({
    type: 'function',
    function: { name, ...(parameters === undefined ? {} : { parameters }) },
  });
  const STRICT = { type: 'object', properties: { customer_id: { type: 'string' } }, additionalProperties: false };

  it('checks a call against the current schema when the recorded tool had none', () => {
    expect(contractBreaks([call({ priority: 'low' })], [bare('search_tickets')], [bare('search_tickets', STRICT)])).toEqual([
      {
        tool: 'search_tickets',
        call: 'search_tickets({"priority":"low"})',
        problem: '(arguments) must NOT have additional properties "priority" (schema #/additionalProperties)',
      },
    ]);
    expect(
      contractBreaks([call({ priority: 'low' })], [bare('search_tickets', { type: 'object' })], [bare('search_tickets', STRICT)])[0]
        ?.problem,
    ).toBe('(arguments) must NOT have additional properties "priority" (schema #/additionalProperties)');
  });

  it('reads empty arguments as {}, and JSON null as arguments that are not an object', () => {
    const required = { ...STRICT, required: ['customer_id'] };
    expect(
      contractBreaks([{ name: 'search_tickets', arguments: '' }], [bare('search_tickets')], [bare('search_tickets', required)]),
    ).toEqual([
      {
        tool: 'search_tickets',
        call: 'search_tickets({})',
        problem: '(arguments) must have required property \'customer_id\' ("customer_id") (schema #/required)',
      },
    ]);
    expect(
      contractBreaks([{ name: 'search_tickets', arguments: 'null' }], [bare('search_tickets')], [bare('search_tickets', STRICT)]),
    ).toEqual([
      {
        tool: 'search_tickets',
        call: 'search_tickets(null)',
        problem: '(arguments) must be object (schema #/type)',
      },
    ]);
  });

  it('skips malformed arguments even when nothing could have checked them', () => {
    expect(contractBreaks([{ name: 'search_tickets', arguments: '{"customer_id": ' }], [bare('search_tickets')], [])).toEqual([]);
  });

  it('does not check against parameters that are not a schema object', () => {
    expect(contractBreaks([call({ customer_id: 'CUST-1' })], RECORDED, [bare('search_tickets', false)])).toEqual([]);
    expect(contractBreaks([call({ customer_id: 'CUST-1' })], RECORDED, [bare('search_tickets')])).toEqual([]);
  });

  it('says which type an argument now needs, without an extra', () => {
    const typed = [tool('search_tickets', { customer_id: { type: 'string' }, priority: { type: 'number' } })];
    expect(contractBreaks([call({ priority: 'low' })], RECORDED, typed)[0]?.problem).toBe(
      '/priority must be number (schema #/properties/priority/type)',
    );
  });

  it('passes over tools that are not functions in either list', () => {
    const removed = [tool('search_tickets', { priority: { type: 'string' } })];
    expect(
      contractBreaks([call({ customer_id: 'CUST-001' })], [{ type: 'web_search' }, ...RECORDED], [{ type: 'web_search' }, ...removed]),
    ).toEqual([
      {
        tool: 'search_tickets',
        call: 'search_tickets({"customer_id":"CUST-001"})',
        problem: '(arguments) must NOT have additional properties "customer_id" (schema #/additionalProperties)',
      },
    ]);
  });
});

describe('schemaShape', () => {
  it('drops descriptions and titles at every depth, keeping lists and a property named description', () => {
    const schema = {
      type: 'object',
      title: 'Search',
      description: 'Find tickets.',
      properties: {
        description: { type: 'string', description: 'Text to match.' },
        priority: { type: 'string', title: 'Priority', enum: ['critical', 'high'] },
        tags: { type: 'array', items: [{ type: 'string', description: 'a tag' }] },
      },
      required: ['priority'],
    };
    expect(schemaShape(schema)).toEqual({
      type: 'object',
      properties: {
        description: { type: 'string' },
        priority: { type: 'string', enum: ['critical', 'high'] },
        tags: { type: 'array', items: [{ type: 'string' }] },
      },
      required: ['priority'],
    });
    expect(schemaShape(null)).toBeNull();
    expect(schemaShape('text')).toBe('text');
  });
});
