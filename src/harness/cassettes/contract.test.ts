import { describe, expect, it } from 'vitest';
import { contractBreaks } from './contract.ts';

const tool = (name: string, properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'function', function: { name, description: '', parameters: { type: 'object', properties, required, additionalProperties: false } },
});
const RECORDED = [tool('search_tickets', { customer_id: { type: 'string' }, priority: { type: 'string', enum: ['critical', 'high', 'low'] } })];
const call = (args: object, name = 'search_tickets') => ({ name, arguments: JSON.stringify(args) });

describe('contractBreaks', () => {
  it('names a recorded call that a removed argument now refuses, with the schema path', () => {
    const removed = [tool('search_tickets', { priority: { type: 'string' } })];
    expect(contractBreaks([call({ customer_id: 'CUST-001' })], RECORDED, removed)).toEqual([{
      tool: 'search_tickets', call: 'search_tickets({"customer_id":"CUST-001"})',
      problem: '(arguments) must NOT have additional properties "customer_id" (schema #/additionalProperties)',
    }]);
  });

  it('names the new name of a renamed argument: the one added with the same schema as the one removed', () => {
    const renamed = [tool('search_tickets', { customer: { type: 'string' }, priority: RECORDED[0]?.function.parameters.properties.priority }, ['customer'])];
    expect(contractBreaks([call({ customer_id: 'CUST-001', priority: 'low' })], RECORDED, renamed)).toEqual([{
      tool: 'search_tickets', call: 'search_tickets({"customer_id":"CUST-001","priority":"low"})',
      problem: 'the argument "customer_id" is now "customer"',
    }]);
    const ambiguous = [tool('search_tickets', { customer: { type: 'string' }, client: { type: 'string' }, priority: { type: 'string' } })];
    expect(contractBreaks([call({ customer_id: 'CUST-001' })], RECORDED, ambiguous)[0]?.problem).toMatch(/^\(arguments\) must NOT have additional properties "customer_id"/);
  });

  it('names a narrowed enum, a newly required argument and a removed tool', () => {
    const narrowed = [tool('search_tickets', { customer_id: { type: 'string' }, priority: { type: 'string', enum: ['critical', 'high'] } }, ['customer_id'])];
    const [low, missing] = contractBreaks([call({ customer_id: 'CUST-1', priority: 'low' }), call({ priority: 'high' })], RECORDED, narrowed);
    expect(low?.problem).toBe('/priority must be equal to one of the allowed values (["critical","high"]) (schema #/properties/priority/enum)');
    expect(missing?.problem).toBe('(arguments) must have required property \'customer_id\' ("customer_id") (schema #/required)');
    expect(contractBreaks([call({})], RECORDED, [])).toEqual([{ tool: 'search_tickets', call: 'search_tickets({})', problem: 'the tool search_tickets is no longer offered' }]);
  });

  it('ignores calls the recording itself got wrong: unknown tools, invalid or malformed arguments', () => {
    const calls = [call({}, 'get_customer_tickets'), call({ priority: 'urgent' }), { name: 'search_tickets', arguments: '{"priority": "crit' }];
    expect(contractBreaks(calls, RECORDED, [])).toEqual([]);
  });

  it('accepts calls that still validate, such as after a new optional argument', () => {
    const widened = [tool('search_tickets', { customer_id: { type: 'string' }, priority: { type: 'string' }, status: { type: 'string' } })];
    expect(contractBreaks([call({ customer_id: 'CUST-001', priority: 'low' })], RECORDED, widened)).toEqual([]);
  });
});
