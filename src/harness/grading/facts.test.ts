import { describe, expect, it } from 'vitest';
import { evidenceOf, factsOf, numberKey, sumOfSome, supported } from './facts.ts';

const kinds = (text: string) => factsOf(text).map((f) => `${f.kind}:${f.key}`);

describe('facts', () => {
  it('finds record IDs of every shape the servers use, and no dates or plain words as IDs', () => {
    expect(kinds('See TKT-1001, CUST-002, INV-2025-007, AST-SRV-001 and KB-010 (not Windows-11, not SLA).')).toEqual([
      'id:TKT-1001',
      'id:CUST-002',
      'id:INV-2025-007',
      'id:AST-SRV-001',
      'id:KB-010',
    ]);
  });

  it('reads ISO dates and month-name dates as the same day', () => {
    expect(kinds('due 2025-11-02, issued October 5, 2025 and renewed 3rd Jan 2026')).toEqual([
      'date:2025-11-02',
      'date:2025-10-05',
      'date:2026-01-03',
    ]);
  });

  it('reads money by its value whatever the format, and leaves bare numbers alone', () => {
    expect(kinds('owes $1,800.00, then 350.00 USD, then 2,150 and €20; Windows 11 has 3 cores')).toEqual([
      'amount:1800',
      'amount:350',
      'amount:2150',
      'amount:20',
    ]);
  });

  it('reads counts stated with a noun, in digits or words, skipping "one of the" phrasings', () => {
    expect(kinds('2 critical tickets, three unpaid invoices, 45 days left, one of the tickets')).toEqual([
      'count:2',
      'count:3',
      'count:45',
    ]);
    expect(factsOf('TKT-1001 has 2 critical tickets')[1]).toMatchObject({ kind: 'count', text: '2 critical tickets', at: 13 });
  });

  it('does not read the digits inside IDs and dates as amounts or counts', () => {
    expect(kinds('INV-2025-004 was due 2025-11-02.')).toEqual(['id:INV-2025-004', 'date:2025-11-02']);
  });

  it('drops the sign of a number: "45 days ago" states what -45 says', () => {
    expect(numberKey('-45')).toBe('45');
    expect(numberKey('$1,800.50')).toBe('1800.5');
    expect(numberKey('twelve')).toBe('12');
  });

  it('collects IDs, dates, numbers and the lengths of JSON lists from what the model was told', () => {
    const evidence = evidenceOf([
      '{"tickets":[{"id":"TKT-1001"},{"id":"TKT-1004"}],"days_remaining":-45,"due":"2025-11-02T00:00:00Z"}',
      'Today is 2025-10-05.',
    ]);
    expect([...evidence.ids]).toEqual(['TKT-1001', 'TKT-1004']);
    expect([...evidence.dates].sort()).toEqual(['2025-10-05', '2025-11-02']);
    expect(evidence.numbers.has('2')).toBe(true);
    expect(evidence.numbers.has('45')).toBe(true);
    expect(evidence.numbers.has('1001')).toBe(false);
    expect(supported({ kind: 'id', text: 'TKT-1002', key: 'TKT-1002', at: 0 }, evidence)).toBe(false);
  });

  it('finds a total among the sums of two or more amounts, never a single one', () => {
    expect(sumOfSome(4850, [600, 3000, 500, 750])).toBe(true);
    expect(sumOfSome(2150, [1800, 350, 850])).toBe(true);
    expect(sumOfSome(600, [600, 3000])).toBe(false);
    expect(sumOfSome(4851, [600, 3000, 500, 750])).toBe(false);
  });

  it('reads no date from impossible days and months, and reads month names in their long, short and dotted forms', () => {
    expect(kinds('2025-13-01, 2025-00-10, 2025-01-32, 2025-02-00 and 2025-01-31')).toEqual(['date:2025-01-31']);
    expect(kinds('Sept. 9th, 2025 and 3 March 2026 and December 1 2025')).toEqual([
      'date:2025-09-09',
      'date:2026-03-03',
      'date:2025-12-01',
    ]);
    expect(kinds('Foo 3, 2025')).toEqual([]);
    expect(factsOf('due on Oct 5, 2025')[0]).toEqual({ kind: 'date', text: 'Oct 5, 2025', key: '2025-10-05', at: 7 });
  });

  it('takes only upper-case IDs with a digit from an answer', () => {
    expect(kinds('tkt-1001, ABC-DEF and X-1 and TKT-1001')).toEqual(['id:TKT-1001']);
    expect(factsOf('see KB-010')[0]).toEqual({ kind: 'id', text: 'KB-010', key: 'KB-010', at: 4 });
  });

  it('counts a noun with up to two describing words between, not more, and not through filler words', () => {
    expect(kinds('2 open critical tickets; 3 very old open tickets; 4 of the tickets; 5 tickets')).toEqual(['count:2', 'count:5']);
    expect(factsOf('we have 2  open\ntickets')[0]).toEqual({ kind: 'count', text: '2 open tickets', key: '2', at: 8 });
  });

  it('reads an amount where it starts, and a count and an amount side by side', () => {
    expect(factsOf('pay $50.00 now')[0]).toEqual({ kind: 'amount', text: '$50.00', key: '50', at: 4 });
    expect(kinds('3 tickets cost $30.00 and 1,000 plus 10.50 but not 10.5 or 1,00')).toEqual([
      'count:3',
      'amount:30',
      'amount:1000',
      'amount:10.5',
    ]);
  });

  it('keys number words from zero, and keeps a token that is no number as it is', () => {
    expect(numberKey('zero')).toBe('0');
    expect(numberKey('One')).toBe('1');
    expect(numberKey('1.2.3')).toBe('1.2.3');
  });

  it('reads only the dates of the texts given as dates only, and every number and list length of the others', () => {
    const evidence = evidenceOf(['paid 12.50 in three parts: [[1, 2, 3]] tkt-1001'], ['Today is 2025-10-05; TKT-9 owes 99']);
    expect([...evidence.dates]).toEqual(['2025-10-05']);
    expect([...evidence.ids]).toEqual(['TKT-1001']);
    expect([...evidence.numbers].sort()).toEqual(['1', '12.5', '2', '3']);
    expect(evidence.numbers.has('99')).toBe(false);
    expect(evidenceOf(['{"a":[[1,2],[3,4,5,6]]}']).numbers).toEqual(new Set(['1', '2', '3', '4', '5', '6']));
    expect([...evidenceOf(['{"a":{"b":[7, 8, 9, 10, 11, 12, 13]}}']).numbers]).toContain('7');
  });

  it('reads a compact list of numbers as its numbers, not as one number with thousands separators', () => {
    const { numbers } = evidenceOf(['amounts [600,3000] and 1,800.00 and 12,5']);
    expect(numbers.has('600')).toBe(true);
    expect(numbers.has('3000')).toBe(true);
    expect(numbers.has('1800')).toBe(true);
    expect(numbers.has('6003000')).toBe(false);
    expect(numbers.has('125')).toBe(false);
  });

  it('tries the first sixteen amounts only', () => {
    const ones = Array.from({ length: 16 }, () => 1);
    expect(sumOfSome(3, ones)).toBe(true);
    expect(sumOfSome(101, [...ones, 100])).toBe(false);
    expect(sumOfSome(0.3, [0.1, 0.2])).toBe(true);
  });
});
