import { describe, expect, it } from 'vitest';
import { jsonEqual, matchArguments, matchText, matchValue } from './matchers.ts';

describe('matchers', () => {
  it('treats objects with the same keys in another order as equal, and arrays in another order as different', () => {
    expect(jsonEqual({ a: 1, b: { c: [1, 2], d: null } }, { b: { d: null, c: [1, 2] }, a: 1 })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEqual({ 0: 'x' }, ['x'])).toBe(false);
    expect(jsonEqual(1, '1')).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
  });

  it('matches a plain expected value only by equality and shows both values when it differs', () => {
    expect(matchValue('critical', 'critical')).toEqual({ pass: true, reason: 'equal' });
    expect(matchValue({ from: '2025-10-01' }, { from: '2025-10-01' }).pass).toBe(true);
    expect(matchValue('critical', 'high')).toEqual({ pass: false, reason: 'expected "critical", got "high"' });
    expect(matchValue(3000, '3000')).toEqual({ pass: false, reason: 'expected 3000, got "3000"' });
  });

  it('matches $regex against strings only, honouring $flags', () => {
    expect(matchValue({ $regex: '^TKT-\\d{4}$' }, 'TKT-1001')).toEqual({ pass: true, reason: 'matches /^TKT-\\d{4}$/' });
    expect(matchValue({ $regex: '^TKT-\\d{4}$' }, 'INC-1001')).toEqual({
      pass: false,
      reason: 'expected to match /^TKT-\\d{4}$/, got "INC-1001"',
    });
    expect(matchValue({ $regex: '^tkt-' }, 'TKT-1001').pass).toBe(false);
    expect(matchValue({ $regex: '^tkt-', $flags: 'i' }, 'TKT-1001').pass).toBe(true);
    expect(matchValue({ $regex: '^tkt-', $flags: 'i' }, 'INC-1')).toEqual({
      pass: false,
      reason: 'expected to match /^tkt-/i, got "INC-1"',
    });
    expect(matchValue({ $regex: '1001' }, 1001)).toEqual({ pass: false, reason: 'expected to match /1001/, got 1001' });
  });

  it('accepts any value for $any but still requires the argument to be present', () => {
    expect(matchValue({ $any: true }, null)).toEqual({ pass: true, reason: 'present' });
    expect(matchValue({ $any: true }, { nested: [1] })).toEqual({ pass: true, reason: 'present' });
    expect(matchValue({ $any: true }, undefined, false)).toEqual({ pass: false, reason: 'missing' });
  });

  it('accepts any listed value for $oneOf, compared deeply', () => {
    expect(matchValue({ $oneOf: ['high', 'critical'] }, 'critical')).toEqual({ pass: true, reason: 'one of the accepted values' });
    expect(matchValue({ $oneOf: [{ a: 1, b: 2 }] }, { b: 2, a: 1 }).pass).toBe(true);
    expect(matchValue({ $oneOf: ['high', 'critical'] }, 'low')).toEqual({
      pass: false,
      reason: 'expected one of ["high","critical"], got "low"',
    });
  });

  it('reports a missing value together with what was expected', () => {
    expect(matchValue('critical', undefined, false)).toEqual({ pass: false, reason: 'missing (expected "critical")' });
    expect(matchValue({ $regex: '^TKT-' }, undefined, false)).toEqual({ pass: false, reason: 'missing (expected {"$regex":"^TKT-"})' });
  });

  it('shortens long values in reasons to 80 characters', () => {
    const { reason } = matchValue('x', 'y'.repeat(200));
    expect(reason).toBe(`expected "x", got "${'y'.repeat(78)}…`);
  });

  it('lets partial argument matching ignore extra arguments and exact matching name them', () => {
    const expected = { customer_id: 'CUST-001', priority: 'critical' };
    const actual = { customer_id: 'CUST-001', priority: 'critical', status: 'open' };
    expect(matchArguments(expected, actual, 'partial')).toEqual({ pass: true, reason: 'arguments match' });
    expect(matchArguments(expected, actual, 'exact')).toEqual({ pass: false, reason: 'status: not expected (exact match)' });
    expect(matchArguments(expected, { priority: 'critical', customer_id: 'CUST-001' }, 'exact').pass).toBe(true);
  });

  it('lists every argument that does not match, by name', () => {
    const check = matchArguments(
      { customer_id: { $regex: '^CUST-' }, priority: { $oneOf: ['high', 'critical'] }, limit: { $any: true } },
      { customer_id: 'TechCorp', priority: 'low', extra: 1 },
      'exact',
    );
    expect(check).toEqual({
      pass: false,
      reason:
        'customer_id: expected to match /^CUST-/, got "TechCorp"; priority: expected one of ["high","critical"], got "low"; limit: missing; extra: not expected (exact match)',
    });
  });

  it('passes a call without argument expectations and fails arguments that were not a JSON object', () => {
    expect(matchArguments(undefined, null, 'exact')).toEqual({ pass: true, reason: 'no argument expectations' });
    expect(matchArguments({ ticket_id: 'TKT-1001' }, null, 'partial')).toEqual({ pass: false, reason: 'arguments were not a JSON object' });
  });

  it('finds text case-insensitively, or by a regex matcher', () => {
    expect(matchText('tkt-1001', 'See TKT-1001.')).toEqual({ pass: true, reason: 'contains "tkt-1001"' });
    expect(matchText('TKT-9999', 'See TKT-1001.')).toEqual({ pass: false, reason: 'expected to contain "TKT-9999", got "See TKT-1001."' });
    expect(matchText({ $regex: 'TKT-100[14]' }, 'TKT-1004 is open').pass).toBe(true);
    expect(matchText({ $regex: '^not found' }, 'Ticket not found')).toEqual({
      pass: false,
      reason: 'expected to match /^not found/, got "Ticket not found"',
    });
  });
});
