import { describe, expect, it } from 'vitest';
import { evidenceOf, factsOf, numberKey, sumOfSome, supported } from './facts.ts';

const kinds = (text: string) => factsOf(text).map((f) => `${f.kind}:${f.key}`);

describe('facts', () => {
  it('finds record IDs of every shape the servers use, and no dates or plain words as IDs', () => {
    expect(kinds('See TKT-1001, CUST-002, INV-2025-007, AST-SRV-001 and KB-010 (not Windows-11, not SLA).'))
      .toEqual(['id:TKT-1001', 'id:CUST-002', 'id:INV-2025-007', 'id:AST-SRV-001', 'id:KB-010']);
  });

  it('reads ISO dates and month-name dates as the same day', () => {
    expect(kinds('due 2025-11-02, issued October 5, 2025 and renewed 3rd Jan 2026')).toEqual(['date:2025-11-02', 'date:2025-10-05', 'date:2026-01-03']);
  });

  it('reads money by its value whatever the format, and leaves bare numbers alone', () => {
    expect(kinds('owes $1,800.00, then 350.00 USD, then 2,150 and €20; Windows 11 has 3 cores')).toEqual(['amount:1800', 'amount:350', 'amount:2150', 'amount:20']);
  });

  it('reads counts stated with a noun, in digits or words, skipping "one of the" phrasings', () => {
    expect(kinds('2 critical tickets, three unpaid invoices, 45 days left, one of the tickets')).toEqual(['count:2', 'count:3', 'count:45']);
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
    const evidence = evidenceOf(['{"tickets":[{"id":"TKT-1001"},{"id":"TKT-1004"}],"days_remaining":-45,"due":"2025-11-02T00:00:00Z"}', 'Today is 2025-10-05.']);
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
});
