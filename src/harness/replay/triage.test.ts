import { describe, expect, it } from 'vitest';
import { groupDrifts } from './drift-groups.ts';
import { DRIFT_RISK, firstDiff, requestDrifts, toolDrifts } from './triage.ts';

const tool = (name: string, description: string, properties: Record<string, unknown> = {}) => ({
  type: 'function', function: { name, description, parameters: { type: 'object', properties } },
});

function request(system: string, result: string): unknown {
  return {
    model: 'm', tools: [],
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: 'Critical tickets of CUST-001?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search_tickets', arguments: '{"customer_id":"CUST-001"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: result },
    ],
  };
}

const RESULT = JSON.stringify({ tickets: [{ id: 'TKT-1001', priority: 'critical' }, { id: 'TKT-1004', priority: 'critical', assignee: 'Sarah Lee' }] });

describe('drift triage', () => {
  it('names a changed tool result by tool, field and values, and shows the call and exact path', () => {
    const drifts = requestDrifts(request('Prompt.', RESULT), request('Prompt.', RESULT.replace('Sarah Lee', 'Sara Leigh')));
    expect(drifts).toEqual([{
      kind: 'data', risk: DRIFT_RISK.data,
      change: 'search_tickets result tickets[].assignee: "Sarah Lee" → "Sara Leigh"',
      detail: 'search_tickets({"customer_id":"CUST-001"}) → tickets[1].assignee: recorded "Sarah Lee", now "Sara Leigh"',
    }]);
  });

  it('word-diffs a changed system prompt instead of cutting both strings short', () => {
    const long = `${'You are an IT-support assistant. '.repeat(6)}Answer concisely and cite the IDs.`;
    const [drift] = requestDrifts(request(long, RESULT), request(long.replace('concisely', 'briefly'), RESULT));
    expect(drift).toMatchObject({ kind: 'prompt', change: 'the system prompt' });
    expect(drift?.detail).toBe('…You are an IT-support assistant. Answer [-concisely-]{+briefly+} and cite the IDs.');
  });

  it('leaves a request unclassified when the conversation itself has another shape or model', () => {
    const shorter = { ...(request('P', RESULT) as object), messages: (request('P', RESULT) as { messages: unknown[] }).messages.slice(0, 3) };
    expect(requestDrifts(request('P', RESULT), shorter)).toEqual([]);
    expect(requestDrifts(request('P', RESULT), { ...(request('P', RESULT) as object), model: 'other' })).toEqual([]);
  });

  it('shows a long value around its first difference, the difference included', () => {
    const before = `${'x'.repeat(300)}A${'y'.repeat(300)}`;
    const d = firstDiff({ text: before }, { text: before.replace('A', 'B') });
    expect(d?.path).toBe('text');
    expect(d?.recorded).toMatch(/^…x+Ay+…$/);
    expect(d?.now).toContain('xB');
  });

  it('tells a reworded description, a changed definition, a removed and an added tool apart', () => {
    const before = [tool('a', 'Find tickets.', { q: { type: 'string', description: 'Words.' } }), tool('b', 'Old.'), tool('gone', 'Unused.')];
    const after = [tool('a', 'Find support tickets.', { q: { type: 'string', description: 'Words to look for.' } }), tool('b', 'Old.', { n: { type: 'number' } }), tool('new', 'A new tool.')];
    expect(toolDrifts(before, after, []).map((d) => [d.kind, d.change, d.detail])).toEqual([
      ['tools_added', 'tool new added', 'A new tool.'],
      ['prompt', 'a description reworded', 'Find {+support+} tickets.'],
      ['prompt', 'a parameters.properties.q.description reworded', '[-Words.-]{+Words to look for.+}'],
      ['prompt', 'b definition changed', 'parameters.properties.n: recorded nothing, now {"type":"number"}'],
      ['prompt', 'tool gone no longer offered', 'no recorded call used it'],
    ]);
  });

  it('reports each change once with every scenario it touches, contract breaks first', () => {
    const failure = (kind: string, change: string, diff = 'd') => ({ code: 'x', kind, change, risk: `risk of ${kind}`, diff });
    const groups = groupDrifts([
      { id: 's1', trials: [{ replay: [failure('data', 'search_tickets result x: 1 → 2', 'call A'), { code: 'unused_turns' }] }] },
      { id: 's2', trials: [{ replay: [failure('data', 'search_tickets result x: 1 → 2', 'call B'), failure('contract', 'search_tickets refuses a recorded call')] }] },
      { id: 's3', trials: [{ replay: [failure('prompt', 'the system prompt', 'diff 1')] }, { replay: [failure('prompt', 'the system prompt', 'diff 1')] }] },
      { id: 's4', trials: [{ replay: [failure('prompt', 'the system prompt', 'diff 2')] }] },
    ]);
    expect(groups.map((g) => [g.kind, g.change, g.detail, g.scenarios])).toEqual([
      ['contract', 'search_tickets refuses a recorded call', 'd', ['s2']],
      ['data', 'search_tickets result x: 1 → 2', 'call A', ['s1', 's2']],
      ['prompt', 'the system prompt', 'diff 1', ['s3']],
      ['prompt', 'the system prompt', 'diff 2', ['s4']],
    ]);
  });
});
