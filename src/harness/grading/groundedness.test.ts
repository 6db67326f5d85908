import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../orchestrator/model-client.ts';
import type { Transcript } from '../../orchestrator/transcript.ts';
import { gradeGroundedness, toldTexts } from './groundedness.ts';

const INVOICES = JSON.stringify({
  customer_id: 'CUST-002',
  invoices: [
    { id: 'INV-2024-075', amount: 1800, due_date: '2024-12-15' },
    { id: 'INV-2025-007', amount: 350, due_date: '2025-10-05' },
  ],
});

function request(...tool: string[]): ChatRequest {
  return {
    model: 'm',
    messages: [
      { role: 'system', content: 'Today is 2025-10-05.' },
      { role: 'user', content: 'Which invoices of CUST-002 are overdue?' },
      ...tool.map((content, i) => ({ role: 'tool' as const, tool_call_id: `c${i}`, content })),
    ],
  };
}

const answered = (...answers: string[]) => answers.map((answer) => ({ answer }) as Transcript);

describe('groundedness', () => {
  it('passes an answer whose every ID, amount, date and count the tools returned', () => {
    const result = gradeGroundedness(
      answered('CUST-002 has 2 overdue invoices: INV-2024-075 ($1,800.00, due December 15, 2024) and INV-2025-007 (350.00).'),
      [request(INVOICES)],
    );
    expect(result).toMatchObject({ pass: true, ungrounded: [] });
    expect(result.checked).toBe(7);
  });

  it('fails a planted invoice ID and names it', () => {
    const result = gradeGroundedness(answered('The overdue invoice is INV-2099 for 350.00.'), [request(INVOICES)]);
    expect(result.pass).toBe(false);
    expect(result.reason).toBe("answer mentions INV-2099, which no tool returned (nor the user's messages)");
  });

  it('names each kind of invented fact: an amount, a date and a count', () => {
    const result = gradeGroundedness(answered('INV-2025-007 is 420.00, due 2025-12-01; 4 invoices in all.'), [request(INVOICES)]);
    expect(result.reason).toBe(
      "answer mentions the amount 420.00, the date 2025-12-01, the count 4 invoices, which no tool returned (nor the user's messages)",
    );
  });

  it('accepts a total the answer adds up from amounts it states, and rejects one that does not add up', () => {
    expect(gradeGroundedness(answered('1800.00 plus 350.00 is 2150.00 overdue.'), [request(INVOICES)]).pass).toBe(true);
    expect(gradeGroundedness(answered('1800.00 plus 350.00 is 2250.00 overdue.'), [request(INVOICES)]).reason).toContain(
      'the amount 2250.00',
    );
  });

  it("takes facts from the user's words and the system prompt's date, never from the model's own earlier answer", () => {
    const withAnswer: ChatRequest = {
      ...request(),
      messages: [...request().messages, { role: 'assistant', content: 'INV-2099 is overdue.' }],
    };
    expect(toldTexts([withAnswer]).facts).not.toContain('INV-2099 is overdue.');
    expect(gradeGroundedness(answered('As of 2025-10-05, CUST-002 is fine.'), [request()]).pass).toBe(true);
    expect(gradeGroundedness(answered('INV-2099 is overdue.'), [withAnswer]).pass).toBe(false);
  });

  it('takes only the date from the system prompt, not the example IDs it cites', () => {
    const prompted: ChatRequest = {
      model: 'm',
      messages: [
        { role: 'system', content: 'Cite the IDs (e.g. TKT-1001). Today is 2025-10-05.' },
        { role: 'user', content: 'q' },
      ],
    };
    expect(gradeGroundedness(answered('As of 2025-10-05 the critical one is TKT-1001.'), [prompted]).reason).toBe(
      "answer mentions TKT-1001, which no tool returned (nor the user's messages)",
    );
  });

  it('skips the tokens a scenario lists to ignore, by text or by value', () => {
    expect(gradeGroundedness(answered('INV-2099 for $99.00'), [request(INVOICES)], ['inv-2099', '$99.00']).pass).toBe(true);
  });

  it('checks every turn of a conversation and lists at most five facts, then how many more', () => {
    const result = gradeGroundedness(answered('TKT-1', 'TKT-2 TKT-3 TKT-4 TKT-5 TKT-6 TKT-7'), [request(INVOICES)]);
    expect(result.reason).toMatch(/^answer mentions TKT-1, TKT-2, TKT-3, TKT-4, TKT-5 and 2 more, which no tool returned/);
  });
});
